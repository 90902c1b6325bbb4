"""The 2-D playground in a real browser: Play advances the epoch counter, Pause stops it, a link restores a setup."""
import re

import pytest

from tests.browser.conftest import exceptions_on, wait_for_app

pytestmark = pytest.mark.browser


def _step(page) -> int:
    text = " ".join(page.locator("h3").all_inner_texts())
    match = re.search(r"step (\d+)", text)
    return int(match.group(1)) if match else -1


def test_play_advances_the_epoch_counter_and_pause_stops_it(page, server_url, screenshot_dir):
    page.goto(f"{server_url}/playground?ds=xor&h=4,4&act=relu&speed=20")
    wait_for_app(page)
    assert _step(page) == 0 and not exceptions_on(page)
    page.locator(".st-key-pg_start button").click()
    page.wait_for_function("/Epoch [1-9]/.test(document.body.innerText)", timeout=45_000)
    page.locator(".st-key-pg_pause button").click()
    page.wait_for_function("!document.querySelector('.st-key-pg_resume button').disabled", timeout=20_000)
    wait_for_app(page)
    paused_at = _step(page)
    assert paused_at >= 20
    page.wait_for_timeout(1500)
    assert _step(page) == paused_at  # nothing runs while paused
    page.screenshot(path=str(screenshot_dir / "playground-trained.png"), full_page=True)
    assert not exceptions_on(page), exceptions_on(page)
    assert "ds=xor" in page.url and ("h=4%2C4" in page.url or "h=4,4" in page.url)


def test_link_with_garbage_falls_back_with_a_notice(page, server_url, screenshot_dir):
    page.goto(f"{server_url}/playground?ds=nope&h=3&lang=zh")
    wait_for_app(page)
    page.screenshot(path=str(screenshot_dir / "playground-zh.png"), full_page=True)
    assert not exceptions_on(page), exceptions_on(page)
    assert "ds='nope'" in page.inner_text("[data-testid='stMain']") or "nope" in page.inner_text("[data-testid='stMain']")
    assert "第 0 轮" in page.inner_text("[data-testid='stMain']")
