"""The 2-D playground page: renders in both languages, controls change the run, the link restores a setup."""
import json
import time

import pytest
import torch

from core.topics.playground.network import make_data, new_run
from tests.app.conftest import page_app, rerun_while

PAGE = "pages/playground.py"


def _counter(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("### "))


def _chart(at, key: str) -> dict:
    return json.loads(next(c for c in at.get("plotly_chart") if c.proto.id and key in c.proto.id).proto.spec)


@pytest.mark.parametrize("lang,title", [("en", "2-D playground"), ("zh", "二维游乐场")])
def test_renders_in_both_languages(lang, title):
    at = page_app(PAGE, lang=lang).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == title
    assert _counter(at) == ("### Epoch 0 · step 0" if lang == "en" else "### 第 0 轮 · 第 0 步")
    assert len(at.get("plotly_chart")) == 3 and len(at.latex) >= 4
    assert at.query_params["ds"] == "circles" and at.query_params["h"] == "4,2"


def _step(at) -> int:
    return at.session_state["pg_run"].progress().step


def _state(at) -> str:
    return at.session_state["pg_run"].state


def test_step_play_pause_and_reset_drive_the_engine_in_a_worker():
    """The run trains in the job runner at the page's speed (20 steps per 0.5 s frame by default);
    the weights it reports are the in-process run's after the same steps, and the page draws them."""
    at = page_app(PAGE).run()
    at.button(key="pg_step").click().run()
    rerun_while(at, lambda at: _step(at) < 1, timeout=60)
    assert _counter(at) == "### Epoch 0 · step 1" and _state(at) == "paused"
    at.button(key="pg_resume").click().run()  # Step paused it
    began = time.monotonic()
    rerun_while(at, lambda at: _step(at) < 41, timeout=60)
    at.button(key="pg_pause").click().run()
    rerun_while(at, lambda at: _state(at) != "paused", timeout=30)
    seconds, steps = time.monotonic() - began, _step(at)
    assert steps <= 1 + 20 * (seconds / 0.5 + 2)  # paced: no faster than the speed slider says
    time.sleep(1.0)
    at.run()
    assert _step(at) == steps and _counter(at).endswith(f"step {steps}")  # paused: no more steps
    # The worker's weights, as shipped to the page, equal the same run trained here for as many steps.
    config, data = at.session_state["pg_run"].setup, make_data(at.session_state["pg_run"].setup)
    here = new_run(config, data)
    here.step(steps)
    here.advance()
    shipped = at.session_state["pg_run"].model.state_dict()
    assert all(torch.equal(shipped[k], v) for k, v in here.model.state_dict().items())
    at.button(key="pg_reset").click().run()
    assert _counter(at) == "### Epoch 0 · step 0" and not at.exception


def test_controls_change_the_network_the_data_and_the_link():
    at = page_app(PAGE).run()
    before = _chart(at, "pg_boundary_chart")
    at.selectbox(key="pg_ds").set_value("spiral").run()
    at.number_input(key="pg_layers").set_value(3).run()
    at.number_input(key="pg_n2").set_value(7).run()
    at.checkbox(key="pg_f_sin1").check().run()
    assert not at.exception
    assert at.query_params["ds"] == "spiral" and at.query_params["h"] == "4,2,7"
    assert at.query_params["f"] == "x1,x2,sin1"
    network = _chart(at, "pg_network_chart")
    titles = [a["text"] for a in network["layout"]["annotations"]]
    assert "Layer 3<br>(7)" in titles and "sin(x₁)" in titles
    assert _chart(at, "pg_boundary_chart")["data"][1]["x"] != before["data"][1]["x"]  # new points
    code = next(c.value for c in at.code if "nn.Sequential" in c.value)
    assert "nn.Linear(3, 4)" in code and "nn.Linear(2, 7)" in code and "torch.sin(x[:, 0])" in code


def test_per_layer_activation_and_regression_dataset():
    at = page_app(PAGE).run()
    at.toggle(key="pg_per").set_value(True).run()
    at.selectbox(key="pg_act1").set_value("relu").run()
    assert at.query_params["acts"] == "tanh,relu" and not at.exception
    at.selectbox(key="pg_ds").set_value("reg_gauss").run()
    assert not at.exception
    assert at.selectbox(key="pg_loss").disabled
    assert [m.label for m in at.metric] == ["Train loss", "Test loss"]  # no accuracy for regression


def test_link_restores_the_setup_and_garbage_falls_back_with_a_notice():
    at = page_app(PAGE)
    at.query_params.update({"ds": "xor", "h": "5,3,2", "act": "relu", "lr": "0.3", "seed": "17", "f": "x1x2",
                            "test": "0", "disc": "1", "opt": "nonsense", "noise": "9"})
    at.run()
    assert not at.exception
    assert at.selectbox(key="pg_ds").value == "xor" and at.number_input(key="pg_layers").value == 3
    assert [at.number_input(key=f"pg_n{i}").value for i in range(3)] == [5, 3, 2]
    assert at.select_slider(key="pg_lr").value == 0.3 and at.number_input(key="pg_seed").value == 17
    assert at.checkbox(key="pg_f_x1x2").value and not at.checkbox(key="pg_f_x1").value
    assert not at.toggle(key="pg_test").value and at.toggle(key="pg_disc").value
    warnings = " ".join(w.value for w in at.warning)
    assert "opt" in warnings and "noise" in warnings
    assert at.selectbox(key="pg_opt").value == "adam" and at.slider(key="pg_noise").value == 0.05
    share = next(c.value for c in at.code if "?" in c.value and "ds=" in c.value)
    assert "ds=xor" in share and "h=5%2C3%2C2" in share and "seed=17" in share


def test_no_feature_warns_and_keeps_working():
    at = page_app(PAGE).run()
    at.checkbox(key="pg_f_x1").uncheck().run()
    at.checkbox(key="pg_f_x2").uncheck().run()
    assert not at.exception and any("feature" in w.value for w in at.warning)


def test_six_layers_each_get_a_width_input_and_reach_the_link():
    at = page_app(PAGE, lang="zh").run()
    at.number_input(key="pg_layers").set_value(6).run()
    assert not at.exception
    widths = [at.number_input(key=f"pg_n{i}") for i in range(6)]
    assert [w.value for w in widths] == [4, 2, 4, 4, 4, 4]  # new layers start at 4 neurons
    widths[5].increment().run()
    assert at.query_params["h"] == "4,2,4,4,4,5"
    titles = [a["text"] for a in _chart(at, "pg_network_chart")["layout"]["annotations"]]
    assert sum(title.endswith(")") for title in titles) == 6  # one title per hidden layer, width included
