"""Loss functions: MSE and cross-entropy against the prediction with their gradients, and the worked example."""
import streamlit as st

from core.topics.backprop import loss_functions as losses
from core.topics.backprop import charts
from ui import t


def losses_tab() -> None:
    """The curves for the chosen target and derivative, then the tutorials' example worked out loss by loss."""
    st.caption(t("bp_losses_intro"))
    c1, c2 = st.columns(2)
    target = c1.radio(t("bp_target"), [1, 0], horizontal=True, key="bp_target")
    wrt = c2.radio(t("bp_wrt"), ["d_yhat", "d_z"], horizontal=True, key="bp_wrt",
                   format_func=lambda k: t(f"bp_wrt_{k[2:]}"))
    p, curves = losses.binary_curves(target)
    names = {k: t(f"loss_{k}") for k in curves}
    st.plotly_chart(charts.loss_functions_figure(p, curves, names, wrt, (t("bp_loss_value"), t("bp_loss_grad")),
                                                 t("bp_axis_pred")), width="stretch")
    st.info(t("bp_losses_note"), icon=":material/lightbulb:")
    _worked_example()


def _worked_example() -> None:
    """Each loss of the worked example: definition, every sample with its numbers, the mean, torch, gradient."""
    st.subheader(t("bp_worked"))
    st.caption(t("bp_worked_intro"))
    st.latex(losses.worked_inputs_latex())
    for row in losses.worked_example():
        with st.container(border=True):
            st.markdown(f"**{t('loss_' + row.name)}**")
            st.latex(row.formula)
            for k, line in enumerate(row.per_sample_latex, start=1):
                st.latex(rf"\text{{{t('bp_sample', i=k)}}}:\ {line}")
            st.latex(rf"\text{{{t('bp_mean')}}}:\ {row.mean_latex}")
            st.caption(t("bp_torch_value", value=f"{row.torch_value:.6f}"))
            st.caption(t("bp_worked_grad"))
            st.latex(row.grad_latex)
