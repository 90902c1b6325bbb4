"""bench/st_client.py against a real `streamlit run` server: a slider moves a curve, a button's
callback resets a slider, and the CNN lab's Start / Stop run through the fragment and its auto-reruns.
"""
import asyncio
import threading
import base64
import json
import re

import pytest

pytest.importorskip("websockets")

from bench.st_client import StClient  # noqa: E402
from tests.browser.conftest import start_server, stop_server  # noqa: E402


@pytest.fixture(scope="module")
def server_url():
    """One server for this module (module scope: started before the per-test env changes)."""
    proc, url, log = start_server()
    yield url
    stop_server(proc, log)


def _run(coro):
    """Run the scenario on its own event loop in its own thread: an earlier test (Playwright's sync
    API) may leave a loop running in this one, where asyncio.run refuses to start."""
    outcome: dict = {}

    def target():
        try:
            outcome["value"] = asyncio.run(asyncio.wait_for(coro, 90))
        except BaseException as error:  # noqa: BLE001 — re-raised in the test's thread
            outcome["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _numbers(values) -> list[float]:
    """A Plotly array: a JSON list, or a typed array {"dtype", "bdata"} (Plotly 6)."""
    if isinstance(values, dict):
        import numpy as np

        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def _leaky_min(client: StClient) -> float:
    """The lowest value of the explorer chart's Leaky ReLU curve (x from -6: that is -6·slope)."""
    for _, el, _ in client.elements():
        if el.WhichOneof("type") == "plotly_chart":
            for trace in json.loads(el.plotly_chart.spec)["data"]:
                if trace.get("name") == "Leaky ReLU" and trace.get("line", {}).get("dash") is None:
                    return min(_numbers(trace["y"]))
    raise AssertionError("no Leaky ReLU curve on the page")


def _bias_in_equation(client: StClient) -> float:
    """b as the neuron's equation 'z = ... + (b) = z' shows it."""
    line = next(t for t in client.texts() if r"\mathbf w \cdot \mathbf x" in t)
    return float(re.search(r"\+ \(([-\d.]+)\) = ", line).group(1))


@pytest.mark.slow
def test_slider_moves_the_leaky_relu_curve(server_url):
    async def scenario():
        async with StClient(server_url, name="t") as c:
            first = await c.open("activations")
            assert first.status is not None and "Activations & the neuron" in c.texts()
            _, chooser, _ = c.widget("act_explore")
            chosen = [chooser.options[i] for i in chooser.default] + ["Leaky ReLU"]
            await c.set_value("act_explore", chosen)
            mins = {}
            for slope in (0.3, 0.05):
                run = await c.set_value("act_slope", slope)
                assert run.finished is not None and not run.fragment_ids  # a full run, finished
                mins[slope] = _leaky_min(c)
            return mins

    mins = _run(scenario())
    assert mins[0.3] == pytest.approx(-1.8, abs=1e-6)   # f(-6) = -6·α
    assert mins[0.05] == pytest.approx(-0.3, abs=1e-6)


def test_button_callback_resets_the_bias_slider(server_url):
    async def scenario():
        async with StClient(server_url, name="t") as c:
            await c.open("activations")
            await c.set_value("act_b", 1.5)
            moved = _bias_in_equation(c)
            await c.press("act_reset_ex")
            return moved, _bias_in_equation(c), list(c.widget("act_b")[1].value)

    moved, reset, slider = _run(scenario())
    assert moved == 1.5
    assert reset == 0.1 and slider == [0.1]  # the tutorial's bias, in the equation and in the slider


@pytest.mark.slow
def test_cnn_start_trains_through_auto_reruns_and_stop_ends_it(server_url):
    def progress(c: StClient) -> str:
        return next((el.progress.text for _, el, _ in c.elements() if el.WhichOneof("type") == "progress"), "")

    def step(c: StClient) -> int:
        found = re.match(r"Training · step (\d+)", progress(c))
        return int(found.group(1)) if found else -1

    async def scenario():
        async with StClient(server_url, name="t") as c:
            await c.open("cnn_lab")
            assert "Ready: press Start to train." in c.texts()
            _, start, fragment = c.widget("cnn_start")
            assert fragment  # Start lives in the live panel's fragment
            await c.press("cnn_start")
            await c.wait_for(lambda: c.timers == (fragment,), 10)  # a full run after Start arms its timer
            await c.wait_for(lambda: step(c) > 0, 60)
            first = step(c)
            await c.wait_for(lambda: step(c) > first, 30)  # only the auto-reruns bring new steps
            ticks = c.auto_reruns_sent
            await c.press("cnn_stop")
            await c.wait_for(lambda: any("finished (stopped)" in t.lower() for t in c.texts()), 30)
            await c.wait_for(lambda: not c.timers, 10)
            return ticks

    assert _run(scenario()) > 0
