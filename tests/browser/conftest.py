"""A real `streamlit run` server on a free port and a headless Debian Chromium driven by Playwright.

Under CI=true a missing browser fails the run; elsewhere the browser tests are skipped.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = os.environ.get("PLAYGROUND_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                 "--no-first-run", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _need_browser():
    if not Path(CHROMIUM).exists():
        message = f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + ": under CI=true a missing browser is a failure")
        pytest.skip(message)


def start_server():
    """Start `streamlit run app.py` headless on a free port; return (process, base URL, log file)."""
    port = _free_port()
    cache_dir = tempfile.mkdtemp(prefix="np-cache-")  # trained models of this server only (removed on stop)
    env = {**os.environ, "PLAYGROUND_OFFLINE": "1", "PLAYGROUND_CACHE_DIR": cache_dir}
    log = open(Path(tempfile.gettempdir()) / f"streamlit-{port}.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    proc.cache_dir = cache_dir
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited early; see {log.name}")
    else:
        proc.kill()
        pytest.fail(f"streamlit did not become healthy in 90 s; see {log.name}")
    return proc, url, log


def stop_server(proc, log) -> None:
    """Terminate a server from start_server (kill it if it does not stop in 10 s)."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()
    shutil.rmtree(proc.cache_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def server_url():
    """The app served headless on a free port for the whole test session."""
    _need_browser()
    proc, url, log = start_server()
    yield url
    stop_server(proc, log)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh browser tab (its own Streamlit session) at 1400x900."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """Where screenshots go (a temporary dir, printed so a developer can look)."""
    path = Path(os.environ.get("PLAYGROUND_SCREENSHOTS") or tempfile.mkdtemp(prefix="np-shots-"))
    path.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {path}")
    return path


def wait_for_app(tab, timeout_ms: int = 90_000) -> None:
    """Wait until the router has run and the page script has finished.

    Before the first run the root can already read 'notRunning', so first wait for the sidebar's
    language switch, which only app.py draws.
    """
    tab.wait_for_selector("[data-testid='stSidebar'] [data-testid='stSelectbox']", timeout=timeout_ms)
    tab.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout_ms)
    tab.wait_for_timeout(300)  # let the last delta paint


def exceptions_on(tab) -> list[str]:
    """Texts of any exception boxes or error dialogs (e.g. Streamlit's "Page not found") on the page."""
    boxes = tab.query_selector_all("[data-testid='stException'], [role='dialog']")
    return [e.inner_text() for e in boxes]


def set_number(tab, key: str, value: int) -> None:
    """Type `value` into the number input with widget key `key` and wait for the rerun it causes."""
    box = tab.locator(f".st-key-{key} input")
    box.fill(str(value))
    box.press("Enter")
    tab.wait_for_function(f"document.querySelector('.st-key-{key} input').value == '{value}'", timeout=30_000)
    wait_for_app(tab)

