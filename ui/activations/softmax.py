"""The softmax tab: logits and a temperature become probabilities; why the stable form exists."""
import streamlit as st
import torch

from core.topics.activations import charts
from core.topics.activations.functions import (SOFTMAX_LATEX, BadNumbers, class_labels, entropy_bits,
                                               float32_comparison, parse_numbers, softmax)
from ui import lang, t


def softmax_tab() -> None:
    """Logits and temperature → probability bars against T = 1, then why the stable form exists (float32)."""
    st.write(t("act_sm_explain"))
    c1, c2 = st.columns([2, 1])
    text = c1.text_input(t("act_logits"), key="act_logits")  # starts from the link
    temperature = c2.slider(t("act_temperature"), 0.05, 5.0, step=0.05, key="act_temp")
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
