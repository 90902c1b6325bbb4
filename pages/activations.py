"""Activation functions, softmax, one neuron by hand and in training, and the depth lab (four tabs).

Each tab is drawn by ui/activations/; the numbers come from core.topics.activations.
"""
import streamlit as st

from core.runtime import single_thread
from ui import t
from ui.activations import depth, explorer, init_state, names, neuron, softmax, training, write_link


def neuron_tab() -> None:
    """The neuron by hand, then the same neuron trained live on a toy set."""
    neuron.by_hand(names())
    training.section()


def depth_tab() -> None:
    """The depth lab: how depth, activation, initialisation, BatchNorm and residuals change the gradients."""
    depth.depth_lab(names())


init_state()
st.title(t("page_activations"))
st.write(t("act_intro"))
tabs = st.tabs([t("act_tab_explore"), t("act_tab_softmax"), t("act_tab_neuron"), t("act_tab_depth")])
with single_thread():  # tiny tensors: one torch thread is fastest, and immune to a busy CPU
    for tab, draw in zip(tabs, (explorer.explorer, softmax.softmax_tab, neuron_tab, depth_tab)):
        with tab:
            draw()
write_link()
