"""The activations page in a real browser: change the plotted functions, train the neuron, use the depth lab."""
import pytest

from tests.browser.conftest import exceptions_on, wait_for_app

pytestmark = pytest.mark.browser


# Traces drawn by the explorer's chart (read from the live plot; 0 while Plotly is still drawing it).
TRACES_JS = ("(() => { const p = document.querySelector('.st-key-act_curves_chart .js-plotly-plot');"
             " return p && p.data ? p.data.length : 0; })()")


def _chart_traces(page) -> int:
    """Wait until Plotly has drawn the explorer's chart, then return its number of traces."""
    page.wait_for_function(f"{TRACES_JS} > 0", timeout=30_000)
    return page.evaluate(TRACES_JS)


def test_activation_explorer_and_labs_interact(page, server_url, screenshot_dir):
    page.goto(f"{server_url}/activations")
    wait_for_app(page)
    assert not exceptions_on(page), exceptions_on(page)
    before = _chart_traces(page)

    # Add ELU to the plotted functions: the chart gains its f and f' traces.
    explore = page.locator(".st-key-act_explore")
    explore.locator("input").click()
    page.get_by_role("option", name="ELU", exact=True).click()
    page.keyboard.press("Escape")
    wait_for_app(page)
    page.wait_for_function(f"{TRACES_JS} > {before}", timeout=30_000)
    assert _chart_traces(page) == before + 2
    page.screenshot(path=str(screenshot_dir / "activations-explorer.png"), full_page=True)
    assert not exceptions_on(page), exceptions_on(page)

    # One neuron: train a few epochs live, then pause. Gradient descent runs all its 300 epochs
    # (~12 s); the default perceptron rule separates the blobs after ~5 steps (~1.4 s), too soon to
    # be sure of catching the run still going.
    page.get_by_role("tab").nth(2).click()
    wait_for_app(page)
    page.locator(".st-key-act_method").get_by_text("Sigmoid + gradient descent").click()
    wait_for_app(page)
    page.locator(".st-key-act_start button").click()
    page.wait_for_timeout(1500)
    page.locator(".st-key-act_pause button").click()
    page.locator(".st-key-act_resume button:not([disabled])").wait_for(timeout=30_000)
    wait_for_app(page)
    page.screenshot(path=str(screenshot_dir / "activations-neuron.png"), full_page=True)
    assert not exceptions_on(page), exceptions_on(page)

    # Depth lab: switch on residual connections.
    page.get_by_role("tab").nth(3).click()
    wait_for_app(page)
    page.locator(".st-key-act_d_res label").click()
    wait_for_app(page)
    page.screenshot(path=str(screenshot_dir / "activations-depth.png"), full_page=True)
    assert not exceptions_on(page), exceptions_on(page)
