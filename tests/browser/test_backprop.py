"""The backpropagation page in Chromium: Next moves to the next recorded step, in place."""
import re

import pytest

from tests.browser.conftest import exceptions_on, wait_for_app

pytestmark = pytest.mark.browser


def _step_text(page) -> str:
    return page.get_by_text(re.compile(r"Step \d+ of \d+")).first.inner_text()


def test_next_changes_the_step(page, server_url, screenshot_dir):
    page.goto(f"{server_url}/backprop")
    wait_for_app(page)
    assert not exceptions_on(page), exceptions_on(page)
    assert "Step 1 of" in _step_text(page)
    formula = page.locator(".katex-display").first.inner_text()
    page.get_by_role("button", name="Next").click()
    page.wait_for_function("document.body.innerText.includes('Step 2 of')", timeout=30_000)
    wait_for_app(page)
    assert page.locator(".katex-display").first.inner_text() != formula
    page.get_by_role("button", name="Previous").click()
    page.wait_for_function("document.body.innerText.includes('Step 1 of')", timeout=30_000)
    wait_for_app(page)
    page.screenshot(path=str(screenshot_dir / "backprop-step.png"), full_page=True)
    assert not exceptions_on(page), exceptions_on(page)
