"""The CNN lab page's tabs, one module per group (pages/cnn_lab.py puts them into tabs).

- loaders.py: the cached datasets, trained weights, summaries, figures and scripts the tabs share
- url (core.topics.cnn_lab.url): the link ⇄ widget keys; init_state reads it, write_link writes it
- setup.py: the Data and Model tabs (dataset, subset, seed, augmentation; architecture, summary)
- training.py: the Training tab (hyper-parameters, Start/Stop) and the live panel (a timed fragment)
- results.py: the Results and Compare-runs tabs
- try_it.py: the Try-it tab (draw or upload, preprocessing, prediction) and the Take-it-with-you tab

No maths here: the numbers come from core.topics.cnn_lab.lab, core.topics.cnn_lab.inspection and core.images, the figures
from core.topics.cnn_lab.charts. Session state (one learner's runs, never shared): "cnn_runs" (finished
RunRecords, oldest first), "cnn_next_id", "cnn_run" (the core.live.LiveRun in progress or None),
"cnn_notice" (the last run message), "cnn_uploads" (weight files already loaded), "cnn_setup".
"""
import streamlit as st

from core.data import dataset_status
from core.topics.cnn_lab import lab, url
from core.urlstate import Binding
from ui import read_url_state, t, write_url_state


def init_state() -> None:
    """Give this session its empty run list, and every setting its value from the link (first run only)."""
    ss = st.session_state
    ss.setdefault("cnn_runs", [])
    ss.setdefault("cnn_next_id", 1)
    ss.setdefault("cnn_uploads", set())
    if "cnn_default_dataset" not in ss:
        ss.cnn_default_dataset = lab.default_dataset(dataset_status())
        for key, value in url.widget_state(read_url_state(link().spec())).items():
            ss.setdefault(key, value)


def link() -> Binding:
    """This session's link binding (its default dataset is the one this machine has)."""
    return url.binding(st.session_state.cnn_default_dataset)


def write_link(setup: lab.LabSetup) -> None:
    """Put the setup Start would train into the URL, so the address bar is a link to it."""
    binding = link()
    write_url_state(binding.values(setup), binding.spec())


def add_run(record: lab.RunRecord, notice: str) -> None:
    """Keep a finished run (the newest MAX_RUNS) and say so on the Training tab."""
    state = st.session_state
    state.cnn_runs = lab.keep_run(state.cnn_runs, record)
    state.cnn_next_id += 1
    state.cnn_notice = notice


def chart_labels() -> dict[str, str]:
    """The translated texts the CNN charts need (core.topics.cnn_lab.charts takes them as plain strings)."""
    out = {k: t(f"cnn_curve_{k}") for k in ("loss", "acc", "step", "train", "val", "batch")}
    return {**out, "accuracy": out["acc"], "true": t("cnn_col_true"), "pred": t("cnn_col_pred")}
