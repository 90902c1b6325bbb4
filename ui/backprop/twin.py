"""NumPy ↔ PyTorch: the seed tutorial's hand-written network and its PyTorch twin, trained side by side."""
import streamlit as st

from core.topics.backprop import twin as simple_nn
from core.topics.backprop import BackpropConfig
from ui import t
from ui.backprop import relabel


def twin_tab(config: BackpropConfig) -> None:
    """Both nets from the same weights (first hidden layer's width, the learning rate, the seed): the losses
    and the weight difference per step, the verdict, and both sources."""
    st.caption(t("bp_twin_intro"))
    twin_steps = st.slider(t("bp_twin_steps"), 1, 20, 5, key="bp_twin_steps")
    twins = simple_nn.side_by_side(config.hidden[0], config.lr, twin_steps, config.seed)
    labels = {"step": t("bp_step_slider"), "numpy_loss": t("bp_col_numpy_loss"),
              "torch_loss": t("bp_col_torch_loss"), "weight_diff": t("bp_col_weight_diff")}
    st.dataframe(relabel(simple_nn.twin_rows(twins), labels), hide_index=True, width="stretch")
    diff = simple_nn.max_weight_diff(twins)
    agree = diff < simple_nn.TWIN_TOL
    show = st.success if agree else st.error
    show(t("bp_twin_ok" if agree else "bp_twin_bad", n=twin_steps, diff=f"{diff:.1e}"))
    left, right = st.columns(2)
    left.markdown(f"**{t('bp_twin_numpy')}**")
    left.code(simple_nn.numpy_source(), language="python", wrap_lines=True)
    right.markdown(f"**{t('bp_twin_torch')}**")
    right.code(simple_nn.torch_source(), language="python", wrap_lines=True)
