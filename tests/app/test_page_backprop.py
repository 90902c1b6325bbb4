"""The backpropagation page: renders in both languages, Next/Previous move the highlighted step, controls change it."""
import json

import pytest

from tests.app.conftest import page_app

PAGE = "pages/backprop.py"
TABS = {"en": ["Step through", "Train", "Loss functions", "NumPy ↔ PyTorch"],
        "zh": ["逐步执行", "训练", "损失函数", "NumPy ↔ PyTorch"]}


def _highlighted(at) -> str:
    """The colour-highlighted element of the graph: the units' ring colours plus the thick edge's colour."""
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    units = next(d for d in spec["data"] if d.get("mode") == "markers+text" and len(d["x"]) > 1)
    thick = [d["line"]["color"] for d in spec["data"] if d.get("mode") == "lines" and d["line"].get("width") == 7]
    bold = [a["text"] for a in spec["layout"]["annotations"] if "<b>" in a["text"]]  # the number being computed
    return json.dumps([units["marker"]["line"]["color"], thick, bold])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_tab_renders(lang):
    for tab in TABS[lang]:
        at = page_app(PAGE, lang=lang)
        at.session_state["bp_tab"] = tab
        at.run()
        assert not at.exception, (tab, [e.value for e in at.exception])
        if tab == TABS[lang][2]:  # the worked example: categorical CE = (−ln 0.8 − ln 0.7)/2
            assert any("0.2899" in x.value for x in at.latex)
        else:  # the other tabs end in a check that passed (proof, XOR learned, twins agree)
            assert at.success, tab


def test_next_and_previous_move_the_highlighted_step():
    at = page_app(PAGE).run()
    assert "Step 1 of 29" in at.markdown[1].value
    formula, highlight = at.latex[0].value, _highlighted(at)
    at.button(key="bp_next_button").click().run()
    assert not at.exception
    assert "Step 2 of 29" in at.markdown[1].value
    assert at.latex[0].value != formula and _highlighted(at) != highlight  # z → a of the same unit
    ring = json.loads(_highlighted(at))[0]
    at.button(key="bp_next_button").click().run()
    assert json.loads(_highlighted(at))[0] != ring  # z of the next unit: the ring moved
    at.button(key="bp_prev_button").click().run()
    assert "Step 2 of 29" in at.markdown[1].value
    at.slider(key="bp_step").set_value(29).run()  # last step: an update, Next disabled
    assert "w \\leftarrow" not in at.latex[0].value and "\\leftarrow" in at.latex[0].value
    assert at.button(key="bp_next_button").disabled


def test_controls_change_the_numbers():
    at = page_app(PAGE).run()
    at.slider(key="bp_step").set_value(7).run()  # the loss step
    mse = at.latex[0].value
    at.selectbox(key="bp_lossfn.en").set_value("bce").run()
    assert at.latex[0].value != mse and "\\ln" in at.latex[0].value
    at.selectbox(key="bp_example.en").set_value(1).run()  # one example: plain numbers, no sum over n
    assert "\\sum" not in at.latex[0].value
    at.text_input(key="bp_hidden").set_value("4,3").run()
    assert not at.exception and "of 29" not in at.markdown[1].value
    at.selectbox(key="bp_act.en").set_value("relu").run()
    assert not at.exception and at.success  # the proof still holds


def test_bad_hidden_sizes_show_a_message_not_a_traceback():
    at = page_app(PAGE).run()
    at.text_input(key="bp_hidden").set_value("9,9").run()
    assert not at.exception
    assert at.error and "hidden" in at.error[0].value


def test_zero_init_points_out_the_symmetry_problem():
    at = page_app(PAGE)
    at.session_state["bp_tab"] = "Train"
    at.run()
    assert not at.warning
    at.selectbox(key="bp_init.en").set_value("zeros").run()
    assert any("Symmetry" in w.value for w in at.warning)
    assert at.info  # and explains why


def test_settings_and_step_survive_a_language_switch():
    at = page_app(PAGE).run()
    at.selectbox(key="bp_lossfn.en").set_value("bce").run()
    at.slider(key="bp_step").set_value(7).run()  # the loss step
    bce = at.latex[0].value
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception
    assert at.selectbox(key="bp_lossfn.zh").value == "bce"
    assert "第 7 步" in at.markdown[1].value and at.latex[0].value == bce


def test_a_link_reproduces_a_setup_and_bad_parameters_fall_back():
    at = page_app(PAGE)
    at.query_params["hidden"] = "4,3"
    at.query_params["loss"] = "bce"
    at.query_params["act"] = "swish"  # not offered here: falls back with a notice
    at.run()
    assert not at.exception
    assert at.text_input(key="bp_hidden").value == "4,3"
    assert at.selectbox(key="bp_lossfn.en").value == "bce"
    assert at.selectbox(key="bp_act.en").value == "sigmoid"
    assert any("act" in w.value for w in at.warning)
    at.selectbox(key="bp_init.en").set_value("he_normal").run()
    assert at.query_params["init"] in (["he_normal"], "he_normal")


def test_play_advances_one_step_per_tick_and_stops_at_the_end():
    at = page_app(PAGE).run()
    at.button(key="bp_play_button").click().run()  # each run while playing is one timer tick
    assert "Step 2 of 29" in at.markdown[1].value
    at.run()
    assert "Step 3 of 29" in at.markdown[1].value
    at.button(key="bp_play_button").click().run()  # Pause
    at.run()
    assert "Step 3 of 29" in at.markdown[1].value and not at.session_state["bp_play"]
    at.slider(key="bp_step").set_value(28).run()
    at.button(key="bp_play_button").click().run()  # plays the last step...
    assert "Step 29 of 29" in at.markdown[1].value
    at.run()  # ...and the next tick stops the timer
    assert not at.exception and not at.session_state["bp_play"]
    assert "Step 29 of 29" in at.markdown[1].value
