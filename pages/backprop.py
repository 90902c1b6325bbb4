"""Backpropagation, one number at a time, proven against autograd (the tutorials' §2.1-2.2 and XOR net).

The settings build one config; one recorded gradient-descent step of that network (and its proof) feeds
the Step-through tab. Each tab is drawn by ui/backprop/, the numbers come from core.topics.backprop.
"""
import streamlit as st

from ui import t
from ui.backprop import loss_functions, settings, stepper, training, twin

st.title(t("page_backprop"))
st.markdown(t("bp_intro"))
config = settings.settings()
tr, checks = stepper.proven_step(config)
stepper.restore_step(len(tr.steps))
tab_step, tab_train, tab_losses, tab_twin = st.tabs(
    [t("bp_tab_step"), t("bp_tab_train"), t("bp_tab_losses"), t("bp_tab_twin")], key="bp_tab", on_change="rerun")

# on_change="rerun" makes each tab's `open` known, so only the shown tab is computed and drawn
if tab_step.open is not False:  # the default tab; None would mean the tabs track no state: draw it then too
    with tab_step:
        stepper.step_tab(tr, checks)
if tab_train.open:
    with tab_train:
        training.train_tab(config)
if tab_losses.open:
    with tab_losses:
        loss_functions.losses_tab()
if tab_twin.open:
    with tab_twin:
        twin.twin_tab(config)
