"""Resident memory of a real `streamlit run` server after a browser has opened every page.

    python -m bench.app_memory

Starts the app headless (as the browser tests do), reads the server's RSS once it is healthy (the
baseline, same process), then opens every registered page in headless Chromium, waits for each to
finish running, and reads the RSS again. GUIDE target: < 1.5 GB after visiting every page.
Last line: {"bench": "app_memory", "rss_mb": ..., "baseline_rss_mb": ..., "pages": n}
"""
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.navigation import PAGES  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server, wait_for_app  # noqa: E402


def rss_mb(pid: int) -> float:
    """Resident set size of a process in MB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def main() -> None:
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("PLAYGROUND_OFFLINE", "1")
    proc, url, log = start_server()
    try:
        baseline = rss_mb(proc.pid)
        print(f"server healthy, nothing opened yet: {baseline:.0f} MB")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            tab = browser.new_page(viewport={"width": 1400, "height": 900})
            for entry in PAGES:
                tab.goto(f"{url}/{entry.url_path}")
                wait_for_app(tab)
                print(f"after /{entry.url_path}: {rss_mb(proc.pid):.0f} MB")
            browser.close()
        rss = rss_mb(proc.pid)
    finally:
        stop_server(proc, log)
    print(json.dumps({"bench": "app_memory", "rss_mb": round(rss), "baseline_rss_mb": round(baseline),
                      "pages": len(PAGES)}))


if __name__ == "__main__":
    main()
