"""One neuron by hand: sliders for inputs, weights and bias; z = w·x + b and a = f(z) drawn with the numbers.

The sliders start from session state (filled from the link, core/topics/activations/url.py)."""
import streamlit as st

from core.topics.activations.functions import ACTIVATIONS, curves
from core.topics.activations import charts
from core.topics.activations.neuron import TUTORIAL_BIAS, TUTORIAL_INPUTS, TUTORIAL_WEIGHTS, equation_latex, forward
from ui import t


def _reset_example() -> None:
    """Put the tutorials' perceptron example back into the sliders (a button callback: runs before the rerun)."""
    for i, (xi, wi) in enumerate(zip(TUTORIAL_INPUTS, TUTORIAL_WEIGHTS)):
        st.session_state[f"act_x{i}"], st.session_state[f"act_w{i}"] = xi, wi
    st.session_state["act_b"], st.session_state["act_n_in"] = TUTORIAL_BIAS, len(TUTORIAL_INPUTS)


def by_hand(names: dict[str, str]) -> None:
    """Controls on the left; on the right the neuron diagram, its two equations and f with the operating point.

    `names` maps activation keys to this run's translated names.
    """
    st.subheader(t("act_by_hand"))
    controls, drawing = st.columns([1, 2])
    with controls:
        n = st.radio(t("act_n_inputs"), [2, 3], horizontal=True, key="act_n_in")
        for i in range(len(TUTORIAL_INPUTS)):  # a third input hidden last run lost its state: start it again
            st.session_state.setdefault(f"act_x{i}", TUTORIAL_INPUTS[i])
            st.session_state.setdefault(f"act_w{i}", TUTORIAL_WEIGHTS[i])
        cx, cw = st.columns(2)
        xs = tuple(cx.slider(f"x{i + 1}", -2.0, 2.0, step=0.05, key=f"act_x{i}") for i in range(n))
        ws = tuple(cw.slider(f"w{i + 1}", -2.0, 2.0, step=0.05, key=f"act_w{i}") for i in range(n))
        b = st.slider(t("act_bias"), -2.0, 2.0, step=0.05, key="act_b")
        act = st.selectbox(t("act_activation"), list(ACTIVATIONS), format_func=names.__getitem__,
                           key="act_neuron_act")
        st.button(t("act_reset_example"), on_click=_reset_example, key="act_reset_ex", help=t("act_example_help"),
                  icon=":material/restart_alt:")
    slope = st.session_state.get("act_slope", 0.1)  # Leaky ReLU's slope, set in the explorer tab
    out = forward(xs, ws, b, act, slope=slope)
    with drawing:
        st.plotly_chart(charts.neuron_diagram(xs, ws, b, out.z, out.a, names[act]), key="act_diagram_chart")
        for line in equation_latex(xs, ws, b, out):
            st.latex(line)
        x, values = curves([act], min(-6.0, out.z - 1), max(6.0, out.z + 1), 241, slope)  # z always in view
        st.plotly_chart(charts.activation_at_point(x.numpy(), values[act][0].numpy(), out.z, out.a, out.slope,
                                                   names[act]), key="act_point_chart")
    st.caption(t("act_neuron_explain"))
