"""What the CNN lab's live curves cost per refresh: built anew (charts.curves) against refilled in
place (charts.LiveCurves), each followed by what st.plotly_chart does with it (Streamlit's own
figure check and plotly.io.to_json).

    python -m bench.live_curves [--points 1000] [--repeats 30]

The history: `points` steps of batch loss and an evaluation every 25 steps. Same process, same
history, interleaved. Last line: {"bench": "live_curves", "build_ms": ..., "refill_ms": ..., "speedup": ...}
"""
import argparse
import base64
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import plotly.io  # noqa: E402
import plotly.tools  # noqa: E402

from core.topics.cnn_lab import charts as charts  # noqa: E402
from core.live import History  # noqa: E402
from core.train import StepEvent  # noqa: E402

LABELS = dict(loss="Loss", accuracy="Accuracy", step="Step", train="train", val="validation", batch="batch")


def history(points: int) -> History:
    """A run's curves: a decaying batch loss and an evaluation every 25 steps."""
    h = History()
    for i in range(1, points + 1):
        h.add_step(StepEvent(i, 1, points, 2.0 / (1 + 0.01 * i), 1e-3, 0.0))
        if i % 25 == 0:
            h.add_eval(i, i / 100, 1.0 / (1 + 0.01 * i), 1 - 0.5 / (1 + 0.01 * i), 1.1 / (1 + 0.01 * i), 0.9)
    return h


def as_streamlit_does(figure) -> str:
    """st.plotly_chart's work on a figure (streamlit/elements/plotly_chart.py, 1.67)."""
    figure = plotly.tools.return_figure_from_figure_or_data(figure, validate_figure=True)
    return plotly.io.to_json(figure, validate=False)


def drawn(spec: str) -> list[tuple]:
    """(name, x values, y values) of each trace of a figure's JSON, numbers decoded (NaN = no value)."""
    def numbers(v) -> np.ndarray:
        if isinstance(v, dict):  # plotly's binary form: {"dtype", "bdata" (base64)}
            return np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"]).astype(float)
        return np.array([np.nan if e is None else e for e in v], dtype=float)
    return [(t.get("name"), numbers(t.get("x", [])), numbers(t.get("y", []))) for t in json.loads(spec)["data"]]


def same_picture(a: str, b: str) -> bool:
    """Two figure JSONs draw the same traces with the same numbers."""
    def same(p: np.ndarray, q: np.ndarray) -> bool:
        return p.shape == q.shape and np.allclose(p, q, equal_nan=True)
    return all(n == m and same(x, u) and same(y, v) for (n, x, y), (m, u, v) in zip(drawn(a), drawn(b), strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    h = history(args.points)
    live = charts.LiveCurves(LABELS)
    assert same_picture(as_streamlit_does(live.update(h)), as_streamlit_does(charts.curves([("", h)], LABELS)))
    build, refill = [], []
    for _ in range(args.repeats):
        start = time.perf_counter()
        as_streamlit_does(charts.curves([("", h)], LABELS))
        build.append(time.perf_counter() - start)
        start = time.perf_counter()
        as_streamlit_does(live.update(h))
        refill.append(time.perf_counter() - start)
    build_ms, refill_ms = 1000 * statistics.median(build), 1000 * statistics.median(refill)
    print(f"build {build_ms:.1f} ms · refill {refill_ms:.1f} ms per refresh (median of {args.repeats})")
    print(json.dumps({"bench": "live_curves", "points": args.points, "build_ms": round(build_ms, 2),
                      "refill_ms": round(refill_ms, 2), "speedup": round(build_ms / refill_ms, 1)}))


if __name__ == "__main__":
    main()
