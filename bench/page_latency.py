"""Time a page rerun after a widget change, through Streamlit's AppTest, for every page.

    python -m bench.page_latency [--repeats 15]

Each page's scenario lives in bench/latency/<stem>.py. The page is run once to warm caches,
then the scenario's change is applied and the page rerun `repeats` times; the median is reported.
The home page rerun through the router (app.py, no widget changed) is the in-process baseline:
home links every page with st.page_link, which needs the router's st.navigation.
Last line: {"bench": "page_latency", "<page stem>": median ms, ..., "baseline_home_ms": ms}
"""
import argparse
import importlib
import json
import os
import pkgutil
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("PLAYGROUND_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

import bench.latency  # noqa: E402


def _rerun_ms(path: str, change, repeats: int, prepare=None) -> float:
    at = AppTest.from_file(str(ROOT / path), default_timeout=120)
    at.session_state["lang"] = "en"
    if prepare:
        prepare(at)
    at.run()
    if at.exception:
        raise RuntimeError(f"{path}: {[e.value for e in at.exception]}")
    times = []
    for i in range(repeats):
        change(at, i)
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
        if at.exception:
            raise RuntimeError(f"{path} after change {i}: {[e.value for e in at.exception]}")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    results = {"bench": "page_latency"}
    results["baseline_home_ms"] = round(_rerun_ms("app.py", lambda at, i: None, args.repeats), 1)
    print(f"home (baseline, no change): {results['baseline_home_ms']} ms")
    for info in sorted(pkgutil.iter_modules(bench.latency.__path__), key=lambda m: m.name):
        scenario = importlib.import_module(f"bench.latency.{info.name}")
        ms = _rerun_ms(scenario.PAGE, scenario.change, args.repeats, getattr(scenario, "prepare", None))
        stem = Path(scenario.PAGE).stem
        results[stem] = round(ms, 1)
        print(f"{stem}: median rerun after a widget change {ms:.1f} ms")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
