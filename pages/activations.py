"""Activation functions, softmax, one neuron by hand and in training, and the depth lab (four tabs).

The explorer and softmax tabs are drawn here (widgets → core → figures); the sections that keep state
between reruns (the neuron, its live training, the depth lab) live in ui/activations/.
"""
import streamlit as st
import torch

from core.activations import (ACTIVATIONS, SOFTMAX_LATEX, BadNumbers, class_labels, curves, entropy_bits,
                              float32_comparison, max_errors_vs_torch, parse_numbers, property_rows, softmax)
from core.charts import activations as charts
from core.runtime import single_thread
from ui import labels, lang, t
from ui.activations import depth, neuron, training

KEYS = list(ACTIVATIONS)
NAMES = labels("activation_", KEYS)


def explorer() -> None:
    """Chosen functions and (toggle) their derivatives on one chart, their formulas, and the properties table."""
    keys = st.multiselect(t("act_functions"), KEYS, default=["sigmoid", "tanh", "relu", "gelu"],
                          format_func=NAMES.__getitem__, key="act_explore")
    c1, c2, c3 = st.columns([2, 1, 1])
    lo, hi = c1.slider(t("act_x_range"), -10.0, 10.0, (-6.0, 6.0), 0.5, key="act_range")
    slope = c2.slider(t("act_slope"), 0.0, 0.5, 0.1, 0.01, key="act_slope")
    show_df = c3.toggle(t("act_show_deriv"), value=True, key="act_show_df")
    if not keys:
        st.info(t("act_pick_one"))
    elif lo >= hi:
        st.info(t("act_bad_range"))
    else:
        x, values = curves(keys, lo, hi, slope=slope)
        values = {k: (f.numpy(), df.numpy()) for k, (f, df) in values.items()}
        st.plotly_chart(charts.activation_curves(x.numpy(), values, {k: NAMES[k] for k in keys}, show_df, "f′(x)"),
                        key="act_curves_chart")
        value_err, deriv_err = max_errors_vs_torch(keys, x, slope)
        st.caption(t("act_checked", points=len(x), value_err=value_err, deriv_err=deriv_err))
        with st.expander(t("act_formulas"), expanded=True):
            for key in keys:
                left, right = st.columns(2)
                left.latex(ACTIVATIONS[key].latex)
                right.latex(ACTIVATIONS[key].latex_df)
    st.subheader(t("act_props"))
    # A static table, not st.dataframe: its cells wrap, so the long "where it is used" texts stay readable.
    st.table(property_rows(t), hide_index=True, border="horizontal")
    st.caption(t("act_props_note"))


def softmax_tab() -> None:
    """Logits and temperature → probability bars against T = 1, then why the stable form exists (float32)."""
    st.write(t("act_sm_explain"))
    c1, c2 = st.columns([2, 1])
    text = c1.text_input(t("act_logits"), "2.0, 1.0, 0.1", key="act_logits")
    temperature = c2.slider(t("act_temperature"), 0.05, 5.0, 1.0, 0.05, key="act_temp")
    st.latex(SOFTMAX_LATEX)
    try:
        logits = torch.tensor(parse_numbers(text), dtype=torch.float64)  # (k,)
    except BadNumbers as error:
        st.error(t("act_bad_logits", error=error.message(lang())), icon=":material/error:")
        return
    probs, probs_t1 = softmax(logits, temperature), softmax(logits, 1.0)
    bars = class_labels(logits.tolist(), t("act_class"))
    st.plotly_chart(charts.softmax_bars(bars, probs.numpy(), probs_t1.numpy(), f"T = {temperature:g}", "T = 1"),
                    key="act_softmax_chart")
    m1, m2, m3 = st.columns(3)
    m1.metric(t("act_top_p"), f"{probs.max():.3f}")
    m2.metric(t("act_entropy"), f"{entropy_bits(probs):.3f} bit")
    m3.metric(t("act_sum"), f"{probs.sum():.6f}")
    st.subheader(t("act_stable_title"))
    shift = st.slider(t("act_shift"), 0, 1000, 1000, 100, key="act_shift")
    shifted, naive, stable = float32_comparison(logits, shift, temperature)
    st.dataframe({t("act_col_logit"): shifted, t("act_naive"): naive, t("act_stable"): stable}, width="stretch")
    st.caption(t("act_stable_note"))


def neuron_tab() -> None:
    """The neuron by hand, then the same neuron trained live on a toy set."""
    neuron.by_hand(NAMES)
    training.section()


def depth_tab() -> None:
    """The depth lab: how depth, activation, initialisation, BatchNorm and residuals change the gradients."""
    depth.depth_lab(NAMES)


st.title(t("page_activations"))
st.write(t("act_intro"))
tabs = st.tabs([t("act_tab_explore"), t("act_tab_softmax"), t("act_tab_neuron"), t("act_tab_depth")])
with single_thread():  # tiny tensors: one torch thread is fastest, and immune to a busy CPU
    for tab, draw in zip(tabs, (explorer, softmax_tab, neuron_tab, depth_tab)):
        with tab:
            draw()
