"""CNN lab in a real browser: start the default run, watch the curve grow live, stop it."""
import pytest

from tests.browser.conftest import exceptions_on, set_number, wait_for_app

pytestmark = pytest.mark.browser

CURVE_POINTS = """() => {
    const plots = [...document.querySelectorAll('.js-plotly-plot')].filter(p => p.offsetParent !== null);
    // What Plotly drew (_fullData): the figure's own arrays may arrive base64-packed.
    return Math.max(0, ...plots.map(p => (p._fullData && p._fullData[0] && p._fullData[0].x) ? p._fullData[0].x.length : 0));
}"""


STEP = """() => {
    const found = document.querySelector("[data-testid='stMain']").innerText.match(/step (\\d+)\\//);
    return found ? parseInt(found[1]) : 0;
}"""


def test_start_watch_the_curve_grow_and_stop(page, server_url, screenshot_dir):
    page.goto(f"{server_url}/cnn_lab")
    wait_for_app(page)
    page.get_by_role("tab", name="Training").click()
    set_number(page, "cnn_epochs", 30)  # long enough to be stopped (the offline digits train 3 epochs in ~2 s)
    page.locator(".st-key-cnn_start button").click()
    page.wait_for_function(f"({CURVE_POINTS})() > 0", timeout=60_000)
    first_points, first_step = page.evaluate(CURVE_POINTS), page.evaluate(STEP)
    # The progress line and the chart arrive as separate updates: wait for each to move on.
    page.wait_for_function(f"({CURVE_POINTS})() > {first_points}", timeout=30_000)  # redrawn with more steps
    page.wait_for_function(f"({STEP})() > {first_step}", timeout=30_000)
    page.screenshot(path=str(screenshot_dir / "cnn_lab-training.png"), full_page=True)

    page.locator(".st-key-cnn_stop button").click()
    page.wait_for_function("document.body.innerText.includes('stopped')", timeout=30_000)
    wait_for_app(page)
    assert not exceptions_on(page), exceptions_on(page)
    assert page.locator(".st-key-cnn_start button").is_enabled()
    page.get_by_role("tab", name="Results").click()
    page.wait_for_selector("text=Confusion matrix (test set)", timeout=30_000)
    page.screenshot(path=str(screenshot_dir / "cnn_lab-results.png"), full_page=True)
    assert not exceptions_on(page), exceptions_on(page)

    page.get_by_role("tab", name="Try it").click()  # draw a "1" on the canvas: a prediction appears
    canvas = page.locator("[data-testid='stMain'] canvas").last
    canvas.wait_for(timeout=30_000)
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.8, steps=12)
    page.mouse.up()
    page.wait_for_selector("text=Prediction:", timeout=30_000)
    page.wait_for_timeout(1000)  # let the step images load before the screenshot
    page.screenshot(path=str(screenshot_dir / "cnn_lab-try.png"), full_page=True)
    assert not exceptions_on(page), exceptions_on(page)
