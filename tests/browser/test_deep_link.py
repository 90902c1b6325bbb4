"""A shared link opened as the very first request of a fresh server still goes through the router.

Streamlit runs a `pages/` script directly (no router, no language switch) until app.py has called
st.navigation once in the process; ui/__init__.py switches that mode off. This test needs its own
fresh server, because any earlier visit would hide the problem.
"""
import pytest

from core.navigation import PAGES
from tests.browser.conftest import _need_browser, exceptions_on, start_server, stop_server, wait_for_app

pytestmark = pytest.mark.browser


def test_first_visit_to_a_deep_link_is_routed(page, screenshot_dir):
    _need_browser()
    deep = [p for p in PAGES if p.url_path]
    if not deep:
        pytest.skip("no page besides home is registered")
    proc, url, log = start_server()
    try:
        page.goto(f"{url}/{deep[-1].url_path}?lang=zh")
        wait_for_app(page)  # waits for the sidebar language switch, which only app.py draws
        page.screenshot(path=str(screenshot_dir / "deep-link.png"), full_page=True)
        assert not exceptions_on(page), exceptions_on(page)
        assert page.url.rstrip("/").split("?")[0].endswith(deep[-1].url_path)
        assert "语言" in page.inner_text("[data-testid='stSidebar']")  # ?lang=zh: the sidebar is in Chinese
    finally:
        stop_server(proc, log)
