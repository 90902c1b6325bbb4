"""The depth lab: a deep MLP's per-layer gradient norms and activation histograms after one forward + backward."""
import streamlit as st

from core.topics.activations.functions import ACTIVATIONS
from core.topics.activations import charts
from core.topics.activations.depth import (BACKPROP_LATEX, DEPTH_RANGE, INITS, PRESETS, WIDTH_RANGE, DepthConfig,
                                           gradient_ratio, pytorch_code, run)
from ui import labels, t

# DepthConfig field → the widget that shows it (a preset writes its fields into these widgets).
DEPTH_WIDGETS = {"activation": "act_d_act", "init": "act_d_init", "batchnorm": "act_d_bn", "residual": "act_d_res"}


@st.cache_data(max_entries=64, show_spinner=False)
def depth_result(config: DepthConfig):
    """One forward + backward of the depth lab's network, cached by its config."""
    return run(config)


def _apply_preset() -> None:
    for field, value in PRESETS[st.session_state["act_preset"]].items():
        st.session_state[DEPTH_WIDGETS[field]] = value


def depth_lab(names: dict[str, str]) -> None:
    """Preset and network controls; loss, gradient ratio and flat-unit metrics; the two figures; the maths; the code.

    `names` maps activation keys to this run's translated names.
    """
    st.write(t("act_depth_intro"))
    st.selectbox(t("act_preset"), list(PRESETS), format_func=labels("act_preset_", PRESETS).get, key="act_preset",
                 on_change=_apply_preset)
    c1, c2, c3, c4 = st.columns(4)
    depth = c1.slider(t("act_depth"), *DEPTH_RANGE, key="act_d_depth")  # values: session state (init_state)
    width = c1.slider(t("act_width"), *WIDTH_RANGE, step=8, key="act_d_width")
    act = c2.selectbox(t("act_activation"), list(ACTIVATIONS), format_func=names.__getitem__, key="act_d_act")
    init = c2.selectbox(t("act_init"), list(INITS), format_func=labels("init_", INITS).get, key="act_d_init")
    bn = c3.toggle(t("act_bn"), key="act_d_bn")
    res = c3.toggle(t("act_residual"), key="act_d_res")
    seed = int(c4.number_input(t("seed"), 0, 10_000, key="act_d_seed"))
    config = DepthConfig(depth=depth, width=width, activation=act, init=init, batchnorm=bn, residual=res, seed=seed)
    result = depth_result(config)
    ratio = gradient_ratio(result.grad_norms)
    m1, m2, m3 = st.columns(3)
    m1.metric(t("act_loss_metric"), f"{result.loss:.4g}")
    m2.metric(t("act_ratio_metric"), "—" if ratio is None else f"{ratio:.2e}")
    m3.metric(t("act_flat_metric"), f"{result.flat_share.mean():.1%}")
    if not result.finite:
        st.warning(t("act_nonfinite"))
    left, right = st.columns(2)
    left.plotly_chart(charts.gradient_norms(result.grad_norms, result.act_std, t("act_grad_title"), t("act_std_title"),
                                            t("act_layer"), t("act_zero_grad")), key="act_grad_chart")
    right.plotly_chart(charts.activation_histograms(result.hist, result.bin_edges, t("act_layer"), t("act_value"),
                                                    t("act_share"), t("act_hist_title")), key="act_hist_chart")
    st.markdown(t("act_depth_reading"))
    st.latex(BACKPROP_LATEX)
    with st.expander(t("show_code")):
        st.code(pytorch_code(config), language="python")
