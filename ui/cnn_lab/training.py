"""The Training tab: hyper-parameters, and the one live panel (ui/live.py) that trains the setup.

The run trains in the server's job runner (core.jobs: worker processes, sessions in turn); the
session holds its RemoteRun in session state "cnn_run" and draws its reports. When it is done (or
stopped) it becomes a RunRecord in "cnn_runs" and the panel forgets it. Start serves a setup
trained before from the weight cache instead of training it again.
"""
from dataclasses import replace

import streamlit as st

from core.topics.cnn_lab import lab
from core.augment import AugmentConfig
from core.topics.cnn_lab import charts
from core.data import ImageData, ImageDataConfig
from core.live import LiveRun
from core.models import ModelConfig
from core.recipes import MNIST_DEFAULT
from core.registry import OPTIMIZERS, SCHEDULERS
from core.urlstate import options_with
from ui import labels, t
from ui.cnn_lab import add_run, chart_labels, loaders, write_link
from ui.live import LiveSpec, live_panel, remote_run, run_key


def _from_cache(setup: lab.LabSetup, data: ImageData) -> bool:
    """Start's first try: this setup's cached weights, when it was trained before (True if served)."""
    try:
        weights, meta = loaders.trained(setup.key(), setup)
    except KeyError:
        return False
    add_run(lab.record_from_cache(st.session_state.cnn_next_id, setup, data, weights, meta), t("cnn_from_cache"))
    return True


def _keep(live: LiveRun) -> None:
    """The panel's end of a run: its record (test predictions included) joins the session's runs."""
    record = lab.finish(st.session_state.cnn_next_id, live, loaders.data_for(live.setup.data))
    add_run(record, t("cnn_done", run=record.run_id, reason=t(f"cnn_reason_{record.reason}"),
                      steps=record.steps, acc=record.test_acc))


def _draw(live: LiveRun) -> None:
    """The live curves, refilled in place each refresh (see charts.LiveCurves for what it saves)."""
    labels = chart_labels()
    kept: charts.LiveCurves | None = st.session_state.get("cnn_live_figure")
    if kept is None or kept.labels != labels:  # the language changed: new titles
        kept = st.session_state.cnn_live_figure = charts.LiveCurves(labels)
    st.plotly_chart(kept.update(live.history), key="cnn_live_curves")


def _train_config(augment: AugmentConfig, seed: int):
    """The recipe's training config with the learner's choices (widgets in three columns)."""
    ss = st.session_state  # every widget starts from it (ui.cnn_lab.init_state fills it from the link)
    c1, c2, c3 = st.columns(3)
    optimizers, schedulers = list(OPTIMIZERS), list(SCHEDULERS)
    return replace(
        MNIST_DEFAULT.train, augment=augment, seed=seed,
        epochs=int(c1.number_input(t("cnn_epochs"), 1, 30, key="cnn_epochs")),
        batch_size=c2.select_slider(t("cnn_batch"), options_with(lab.BATCH_SIZES, ss.cnn_bs), key="cnn_bs"),
        optimizer=c3.selectbox(t("cnn_optimizer"), optimizers, format_func=labels("opt_", optimizers).get,
                               key="cnn_opt"),
        lr=c1.select_slider(t("cnn_lr"), options_with(lab.LEARNING_RATES, ss.cnn_lr), key="cnn_lr"),
        weight_decay=c2.select_slider(t("cnn_wd"), options_with(lab.WEIGHT_DECAYS, ss.cnn_wd), key="cnn_wd"),
        scheduler=c3.selectbox(t("cnn_scheduler"), schedulers, format_func=labels("sched_", schedulers).get,
                               key="cnn_sched"),
        patience=int(c1.number_input(t("cnn_patience"), 0, 10, key="cnn_patience")),
        class_weights=c2.checkbox(t("cnn_class_weights"), key="cnn_cw"))


def training_tab(data_config: ImageDataConfig, data: ImageData, model: ModelConfig,
                 augment: AugmentConfig) -> lab.LabSetup:
    """Hyper-parameters and the loss formula; Start/Stop; the live panel or the last run's curves.

    Returns the setup Start would train (also kept in session state "cnn_setup", read by tests).
    """
    seed = data_config.seed
    train = lab.with_eval_every(_train_config(augment, seed), len(data.x_train))
    setup = lab.LabSetup(data_config, model, train, seed)
    st.session_state.cnn_setup = setup
    write_link(setup)
    st.markdown(t("cnn_loss_formula"))
    st.latex(lab.SOFTMAX_CE_LATEX)
    if st.session_state.get("cnn_notice"):
        st.success(st.session_state.cnn_notice)
    spec = LiveSpec(name="cnn", setup=setup, make_run=lambda: remote_run("cnn", setup, local=lab.new_run(setup, data)),
                    draw=_draw,
                    on_finish=_keep, eager=False, buttons=("start", "pause", "resume", "stop"),
                    start_hook=lambda: _from_cache(setup, data))
    live_panel(spec)
    runs = st.session_state.cnn_runs
    if st.session_state.get(run_key(spec)) is None and runs:
        st.plotly_chart(loaders.fig("curves", [("", runs[-1].history.to_dict())], chart_labels()),
                        key="cnn_last_curves")
    return setup
