"""The Training tab: hyper-parameters, Start/Stop, and the live panel that advances the run.

The run lives in st.session_state["cnn_live"]. While it runs, a fragment reruns every
RUN_EVERY_S seconds; each rerun trains about SLICE_S seconds (if a CPU core is free: see
core.compute) and redraws the progress line and the curves. Only the fragment reruns, so the other
tabs stay usable.
"""
from dataclasses import replace

import streamlit as st

from core import cnn_lab as lab
from core.augment import AugmentConfig
from core.charts import cnn as charts
from core.compute import compute_slot
from core.data import ImageData, ImageDataConfig
from core.models import ModelConfig
from core.recipes import MNIST_DEFAULT
from core.train import OPTIMIZERS, SCHEDULERS
from ui import t
from ui.cnn_lab import add_run, chart_labels, loaders

SLICE_S = 0.4  # compute per fragment rerun (bounded, so other sessions get the core in turn)
RUN_EVERY_S = 0.5  # the live panel's refresh period while a run is going


def _start(setup: lab.LabSetup, data: ImageData) -> None:
    """Start button: reuse this setup's cached weights when it was trained before, else start a live run."""
    try:
        weights, meta = loaders.trained(setup.key(), setup)
        record = lab.record_from_cache(st.session_state.cnn_next_id, setup, data, weights, meta)
        add_run(record, t("cnn_from_cache"))
    except KeyError:
        st.session_state.cnn_live = lab.LiveRun(setup, data)


def _stop() -> None:
    """Stop button: the engine sees the flag at its next step; the live panel then finishes the run."""
    live = st.session_state.get("cnn_live")
    if live is not None:
        live.stop_requested = True


def _train_config(augment: AugmentConfig, seed: int):
    """The recipe's training config with the learner's choices (widgets in three columns)."""
    r = MNIST_DEFAULT.train
    c1, c2, c3 = st.columns(3)
    optimizers, schedulers = list(OPTIMIZERS), list(SCHEDULERS)
    return replace(
        r, augment=augment, seed=seed,
        epochs=int(c1.number_input(t("cnn_epochs"), 1, 30, r.epochs, key="cnn_epochs")),
        batch_size=c2.select_slider(t("cnn_batch"), lab.BATCH_SIZES, r.batch_size, key="cnn_bs"),
        optimizer=c3.selectbox(t("cnn_optimizer"), optimizers, optimizers.index(r.optimizer), key="cnn_opt"),
        lr=c1.select_slider(t("cnn_lr"), lab.LEARNING_RATES, r.lr, key="cnn_lr"),
        weight_decay=c2.select_slider(t("cnn_wd"), lab.WEIGHT_DECAYS, r.weight_decay, key="cnn_wd"),
        scheduler=c3.selectbox(t("cnn_scheduler"), schedulers, schedulers.index(r.scheduler), key="cnn_sched"),
        patience=int(c1.number_input(t("cnn_patience"), 0, 10, r.patience, key="cnn_patience")),
        class_weights=c2.checkbox(t("cnn_class_weights"), r.class_weights, key="cnn_cw"))


def training_tab(data_config: ImageDataConfig, data: ImageData, model: ModelConfig,
                 augment: AugmentConfig) -> lab.LabSetup:
    """Hyper-parameters and the loss formula; Start/Stop; the live panel or the last run's curves.

    Returns the setup Start would train (also kept in session state "cnn_setup", read by tests).
    """
    seed = data_config.seed
    train = lab.with_eval_every(_train_config(augment, seed), len(data.x_train))
    setup = lab.LabSetup(data_config, model, train, seed)
    st.session_state.cnn_setup = setup
    st.markdown(t("cnn_loss_formula"))
    st.latex(lab.SOFTMAX_CE_LATEX)
    running = st.session_state.get("cnn_live") is not None
    c1, c2, _ = st.columns([1, 1, 3])
    c1.button(t("cnn_start"), on_click=_start, args=(setup, data), disabled=running, type="primary", key="cnn_start")
    c2.button(t("cnn_stop"), on_click=_stop, disabled=not running, key="cnn_stop")
    if st.session_state.get("cnn_notice"):
        st.success(st.session_state.cnn_notice)
    st.fragment(run_every=RUN_EVERY_S if running else None)(live_panel)()
    runs = st.session_state.cnn_runs
    if not running and runs:
        st.plotly_chart(loaders.fig("curves", [("", runs[-1].history.to_dict())], chart_labels()),
                        key="cnn_last_curves")
    return setup


def live_panel() -> None:
    """One slice of the live run (or "waiting for a core"), its progress line and curves; ends it when done."""
    live = st.session_state.get("cnn_live")
    if live is None:
        return
    with compute_slot() as got_core:
        finished = live.advance(SLICE_S) if got_core else False
    if not got_core:
        st.info(t("cnn_waiting_core"), icon=":material/hourglass_top:")
    status = live.status()
    st.progress(live.progress, text=t("cnn_running", **status) if status else t("cnn_starting"))
    st.plotly_chart(charts.curves([("", live.history)], chart_labels()), key="cnn_live_curves")
    if finished:
        record = live.finish(st.session_state.cnn_next_id)
        st.session_state.cnn_live = None
        add_run(record, t("cnn_done", run=record.run_id, reason=t(f"cnn_reason_{record.reason}"),
                          steps=record.steps, acc=record.test_acc))
        st.rerun()
