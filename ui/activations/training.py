"""The single neuron trained live on a 2-D toy set: perceptron rule or sigmoid + gradient descent.

The trainer lives in st.session_state["act_trainer"]; "act_running" is the Start/Stop flag. While
running, a fragment advances a few epochs per tick and redraws only itself (no full rerun).
"""
import streamlit as st

from core.charts import activations as charts
from core.neuron import (NEURON_DATASETS, TRAINERS, NeuronTrainConfig, epochs_per_tick, line_latex, output_surface,
                         trainer_for)
from core.runtime import single_thread
from ui import labels, t

LEARNING_RATES = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0]


def _set_running(value: bool) -> None:
    """Start or stop the timer (a button callback; the full rerun that follows re-wraps the fragment)."""
    st.session_state["act_running"] = value


def _step_once() -> None:
    """Advance the current trainer by exactly one epoch (a button callback)."""
    if "act_trainer" in st.session_state:
        with single_thread():
            st.session_state["act_trainer"].advance(1)


def section() -> None:
    """Dataset, rule, learning rate and noise; the rule in LaTeX; Start/Stop/Step/Reset; then the live view."""
    st.subheader(t("act_train_title"))
    c1, c2, c3, c4 = st.columns(4)
    dataset = c1.selectbox(t("act_dataset"), NEURON_DATASETS, format_func=labels("act_ds_", NEURON_DATASETS).get,
                           key="act_ds")
    method = c2.radio(t("act_method"), list(TRAINERS), format_func=labels("act_method_", TRAINERS).get,
                      key="act_method")
    lr = c3.select_slider(t("act_lr"), LEARNING_RATES, 0.3 if method == "sigmoid_gd" else 0.1, key=f"act_lr_{method}")
    noise = c4.slider(t("act_noise"), 0.0, 0.3, 0.05, 0.05, key="act_noise")
    st.latex(t(f"act_rule_{method}"))
    config = NeuronTrainConfig(dataset=dataset, method=method, lr=lr, noise=noise)
    b1, b2, b3, b4 = st.columns(4)
    b1.button(t("start"), on_click=_set_running, args=(True,), key="act_start", icon=":material/play_arrow:")
    b2.button(t("stop"), on_click=_set_running, args=(False,), key="act_stop", icon=":material/pause:")
    b3.button(t("step"), on_click=_step_once, key="act_step", icon=":material/skip_next:")
    if b4.button(t("reset"), key="act_reset", icon=":material/restart_alt:"):
        st.session_state.pop("act_trainer", None)
        _set_running(False)
    live_training(config)


def live_training(config: NeuronTrainConfig) -> None:
    """Show (and while running, advance) the neuron's training as a fragment that ticks every 0.25 s."""
    # Wrapped here at each call, not with a decorator at import: a module is imported once, but the timer
    # must follow the running flag, which Start/Stop flip with a full rerun. (The fragment's identity is
    # this module + the function's name + its place on the page, so it stays the same fragment.)
    st.fragment(_tick, run_every=0.25 if st.session_state.get("act_running") else None)(config)


def _tick(config: NeuronTrainConfig) -> None:
    """Advance the neuron a few epochs per tick while running, then redraw (a fragment: no full rerun)."""
    with single_thread():  # a fragment rerun starts here, outside the page's own single_thread block
        _advance_and_draw(config)


def _advance_and_draw(config: NeuronTrainConfig) -> None:
    trainer = st.session_state["act_trainer"] = trainer_for(config, st.session_state.get("act_trainer"))
    if st.session_state.get("act_running"):
        trainer.advance(epochs_per_tick(len(trainer.history)))
        if trainer.done:  # converged or out of epochs: stop the timer with one full rerun
            _set_running(False)
            st.rerun()
    grid, surface = output_surface(trainer)
    left, right = st.columns([3, 2])
    left.plotly_chart(charts.decision_boundary(trainer.x.numpy(), trainer.y.numpy(), grid.numpy(), surface.numpy(),
                                               trainer.w.numpy(), float(trainer.b), [t("act_class0"), t("act_class1")]),
                      key="act_boundary_chart")
    h = trainer.history
    with right:
        st.metric(t("act_epoch"), len(h))
        st.metric(t("act_accuracy"), f"{h[-1].accuracy:.1%}" if h else "—")
        st.latex(line_latex(trainer.w, float(trainer.b)))
        if trainer.converged:
            st.success(t("act_converged"))
        elif trainer.done:
            st.warning(t("act_not_separable"))
    if h:
        st.plotly_chart(charts.training_history([r.epoch for r in h], [r.loss for r in h], [r.accuracy for r in h],
                                                t(f"act_loss_{config.method}"), t("act_accuracy"), t("act_epoch")),
                        key="act_history_chart")
    if config.dataset == "xor":
        st.info(t("act_xor_note"))
