"""Open every registered page in headless Chromium: it must finish running with no exception box."""
import pytest

from core.navigation import PAGES
from tests.browser.conftest import exceptions_on, wait_for_app

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("entry", PAGES, ids=[p.url_path or "home" for p in PAGES])
def test_page_opens_without_exception(entry, page, server_url, screenshot_dir):
    page.goto(f"{server_url}/{entry.url_path}")
    wait_for_app(page)
    page.screenshot(path=str(screenshot_dir / f"{entry.url_path or 'home'}.png"), full_page=True)
    assert not exceptions_on(page), exceptions_on(page)
    assert page.query_selector("[data-testid='stMain']") is not None


def test_language_switch_translates_the_app(page, server_url, screenshot_dir):
    page.goto(server_url)
    wait_for_app(page)
    assert "Neural Playground" in page.inner_text("h1")
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.locator("[data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name="简体中文").click()
    page.wait_for_function("document.querySelector('h1') && document.querySelector('h1').innerText.includes('神经网络')",
                           timeout=30_000)
    wait_for_app(page)
    page.screenshot(path=str(screenshot_dir / "home-zh.png"), full_page=True)
    assert not exceptions_on(page)
