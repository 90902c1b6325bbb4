"""CNN lab: train image classifiers live (bounded slices), inspect what they learned, try them, take them home.

The page only composes the tabs; each tab is drawn by ui/cnn_lab/ (widgets and layout) from the
maths in core.topics.cnn_lab.lab, core.topics.cnn_lab.inspection and core.images. Widgets read earlier feed later tabs:
the data and model tabs build the setup that the training tab starts, and the run picked on the
results tab is the one the try-it and export tabs use.
"""
import streamlit as st

from ui import t
from ui.cnn_lab import init_state, results, setup, training, try_it

TABS = ("data", "model", "train", "results", "compare", "try", "export")

init_state()
st.title(t("page_cnn_lab"))
st.caption(t("cnn_intro"))
tabs = dict(zip(TABS, st.tabs([t(f"cnn_tab_{k}") for k in TABS])))

with tabs["data"]:
    data_config, data, augment = setup.data_tab()
with tabs["model"]:
    model = setup.model_tab(data)
with tabs["train"]:
    lab_setup = training.training_tab(data_config, data, model, augment)

runs = {rec.run_id: rec for rec in reversed(st.session_state.cnn_runs)}  # newest first
with tabs["results"]:
    chosen = results.results_tab(runs)
with tabs["compare"]:
    results.compare_tab(runs)
with tabs["try"]:
    try_it.try_tab(chosen)
with tabs["export"]:
    try_it.export_tab(chosen, lab_setup)
