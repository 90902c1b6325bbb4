"""The activations page: renders in both languages, and its main controls change what is drawn."""
import base64
import json

import numpy as np
import pytest

from core.topics.activations import url as act_url
from core.topics.activations.functions import ACTIVATIONS
from tests.app.conftest import link_notices, open_with_link, page_app, query_of

PAGE = "pages/activations.py"


def charts(at) -> dict[str, dict]:
    """Every Plotly chart on the page by its widget key suffix, as parsed figure specs."""
    found = {}
    for element in at.get("plotly_chart"):
        spec = json.loads(element.proto.spec)
        key = next((k for k in ("curves", "softmax", "diagram", "point", "boundary", "history", "grad", "hist")
                    if f"act_{k}_chart" in element.proto.id), element.proto.id)
        found[key] = spec
    return found


def array(value) -> np.ndarray:
    """A trace's x/y as numbers: plotly 6 sends numpy arrays as {"dtype", "bdata"(, "shape")} base64."""
    if isinstance(value, dict) and "bdata" in value:
        flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        return flat.reshape([int(n) for n in str(value["shape"]).split(",")]) if "shape" in value else flat
    return np.asarray(value, dtype=float)


def trace_names(spec: dict) -> list[str]:
    return [trace.get("name") for trace in spec["data"]]


@pytest.fixture
def page():
    at = page_app(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_renders_in_both_languages(lang):
    at = page_app(PAGE, lang=lang).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == {"en": "Activations & the neuron", "zh": "激活函数与神经元"}[lang]
    assert {"curves", "softmax", "diagram", "point", "boundary", "grad", "hist"} <= set(charts(at))
    assert not at.error
    table = at.table[0].value  # the properties table: one row per activation, in the page's language
    assert len(table) == len(ACTIVATIONS) and table.iloc[0, 0] == "Sigmoid"
    assert table.iloc[0, 3] == {"en": "yes", "zh": "是"}[lang]  # sigmoid is monotonic


def test_changing_the_activations_changes_the_figure(page):
    before = trace_names(charts(page)["curves"])
    page.multiselect(key="act_explore").select("mish").unselect("sigmoid").run()
    assert not page.exception
    after = trace_names(charts(page)["curves"])
    assert "Mish" in after and "Sigmoid" not in after and after != before
    page.toggle(key="act_show_df").set_value(False).run()
    assert len(charts(page)["curves"]["data"]) == len(after) // 2  # derivative lines gone
    page.multiselect(key="act_explore").set_value([]).run()
    assert not page.exception and page.info  # a hint instead of an empty chart


def test_leaky_slope_moves_the_leaky_curve(page):
    page.multiselect(key="act_explore").set_value(["leaky_relu"]).run()
    y_before = array(charts(page)["curves"]["data"][0]["y"])
    page.slider(key="act_slope").set_value(0.3).run()
    y_after = array(charts(page)["curves"]["data"][0]["y"])
    assert y_after.min() == pytest.approx(0.3 * y_before.min() / 0.1)  # slope 0.1 → 0.3 on the negative side


def test_softmax_temperature_and_bad_logits(page):
    probs = lambda: array(charts(page)["softmax"]["data"][0]["y"])  # noqa: E731
    warm_before = probs()
    page.slider(key="act_temp").set_value(5.0).run()
    assert max(probs()) < max(warm_before)  # a higher temperature flattens
    page.text_input(key="act_logits").input("1, banana").run()
    assert not page.exception and page.error  # a message, not a traceback


def test_neuron_by_hand_shows_the_tutorial_numbers_and_reacts(page):
    latex = " ".join(e.value for e in page.latex)
    assert "0.2400" in latex and "0.5597" in latex  # z = 0.24, a = σ(0.24)
    page.selectbox(key="act_neuron_act").set_value("relu").run()
    latex = " ".join(e.value for e in page.latex)
    assert "f(0.2400) = 0.2400" in latex


def test_training_the_neuron_moves_its_line(page):
    def line():
        return array(charts(page)["boundary"]["data"][-1]["y"]).tolist()
    start = line()
    page.button(key="act_start").click().run()
    assert not page.exception
    page.button(key="act_pause").click().run()
    assert "history" in charts(page) and line() != start
    page.button(key="act_reset").click().run()
    assert line() == start and "history" not in charts(page)


def test_depth_lab_reacts_to_residual_and_presets(page):
    grads = lambda: array(charts(page)["grad"]["data"][0]["y"])  # noqa: E731
    vanishing = grads()
    page.toggle(key="act_d_res").set_value(True).run()
    assert not page.exception
    rescued = grads()
    assert rescued[0] > 1e6 * vanishing[0]  # residual connections carry the gradient to layer 1
    page.selectbox(key="act_preset").set_value("healthy").run()
    assert page.selectbox(key="act_d_act").value == "relu" and page.selectbox(key="act_d_init").value == "he_normal"
    assert not page.exception


def test_bad_logits_message_is_translated():
    at = page_app(PAGE, lang="zh").run()
    at.text_input(key="act_logits").input("1, banana").run()
    assert not at.exception
    assert "不是数字" in at.error[0].value and "banana" in at.error[0].value


ACT_LINK = {"fns": "mish,step", "lo": "-3.5", "hi": "8", "slope": "0.25", "df": "0", "temp": "0.3", "ds": "xor",
            "rule": "sigmoid_gd", "lr": "0.03", "noise": "0.2", "depth": "33", "width": "40", "act": "gelu",
            "init": "he_normal", "bn": "1", "res": "1", "seed": "9", "x": "1.5,-0.25", "w": "0.75,-2", "b": "-0.6",
            "fn": "tanh", "z": "3,-1.25,0.5,7"}


def test_a_link_reopens_the_page_as_it_was_and_the_page_writes_it_back():
    page = open_with_link(PAGE, ACT_LINK)
    assert not page.exception and not page.warning, [w.value for w in page.warning]
    assert page.multiselect(key="act_explore").value == ["mish", "step"]
    assert page.slider(key="act_range").value == (-3.5, 8.0) and page.toggle(key="act_show_df").value is False
    assert page.slider(key="act_temp").value == 0.3 and page.radio(key="act_method").value == "sigmoid_gd"
    assert page.select_slider(key="act_lr_sigmoid_gd").value == 0.03 and page.selectbox(key="act_ds").value == "xor"
    assert (page.slider(key="act_d_depth").value, page.slider(key="act_d_width").value) == (33, 40)
    assert page.selectbox(key="act_d_init").value == "he_normal" and page.toggle(key="act_d_res").value is True
    assert page.radio(key="act_n_in").value == 2 and page.slider(key="act_x1").value == -0.25
    assert page.slider(key="act_w1").value == -2.0 and page.slider(key="act_b").value == -0.6
    assert page.selectbox(key="act_neuron_act").value == "tanh"
    assert page.text_input(key="act_logits").value == "3, -1.25, 0.5, 7"
    assert query_of(page) == ACT_LINK


def test_a_garbage_activations_link_falls_back_with_a_notice():
    page = open_with_link(PAGE, {"depth": "9999", "fns": "relu,<b>bold</b>"})
    assert not page.exception
    assert "depth" in link_notices(page) and "fns" in link_notices(page)
    default = act_url.ActivationsLink()
    assert page.slider(key="act_d_depth").value == default.depth.depth
    assert page.multiselect(key="act_explore").value == list(default.explorer.functions)
