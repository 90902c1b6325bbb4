"""Train: full-batch gradient descent on XOR, its loss curve, the evolving boundary and the symmetry problem."""
from dataclasses import replace

import streamlit as st

from core.topics import backprop as bp
from core.topics.backprop import loss_functions as losses
from core.topics.backprop import charts
from ui import t
from ui.backprop import relabel


@st.cache_data(max_entries=32, show_spinner=False)
def _trained(config: bp.BackpropConfig, steps: int):
    """(result, grid axis, boundary grids) of a training run, keyed by the config and the step count."""
    return bp.train_with_boundaries(config, steps)


def train_tab(config: bp.BackpropConfig) -> None:
    """The steps slider, loss curve, decision boundary, predictions and what went right or wrong."""
    st.caption(t("bp_train_intro"))
    train_steps = st.slider(t("bp_train_steps"), 10, 5000, 2000, 10, key="bp_train_steps")
    # training always uses all four points: one cache entry whichever example the stepper shows
    result, axis, grids = _trained(replace(config, example=-1), train_steps)
    left, right = st.columns(2)
    left.markdown(f"**{t('bp_loss_curve')}**")
    left.plotly_chart(charts.loss_curve_figure(result.losses, t("bp_axis_step"), t("bp_axis_loss")),
                      width="stretch")
    right.markdown(f"**{t('bp_boundary')}**")
    right.plotly_chart(charts.boundary_figure(axis, grids, result.snapshot_steps, bp.XOR_X, bp.XOR_Y,
                                              t("bp_axis_step")), width="stretch")
    left.markdown(f"**{t('bp_predictions')}**")
    labels = {"x1": "x₁", "x2": "x₂", "target": t("bp_col_target"), "pred": t("bp_col_pred"),
              "correct": t("bp_col_correct")}
    left.dataframe(relabel(bp.prediction_rows(result), labels), hide_index=True, width="stretch")
    final = f"{result.losses[-1]:.4g}"
    if result.correct.all():
        st.success(t("bp_learned", loss=final))
    else:
        st.warning(t("bp_not_learned", loss=final))
    if result.stuck_layers:
        st.warning(t("bp_symmetry_warning", layers=", ".join(map(str, result.stuck_layers))),
                   icon=":material/content_copy:")
    if config.init == "zeros":
        st.info(t("bp_zero_init_info"), icon=":material/info:")
    st.markdown(t("bp_final_weights"))
    st.latex(r"W^{(1)} = " + losses.matrix_latex(result.weights[0]))
