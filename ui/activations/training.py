"""The single neuron trained live on a 2-D toy set: perceptron rule or sigmoid + gradient descent.

The trainer runs as a core.live.LiveRun (core.topics.activations.neuron.neuron_run) in the one live panel (ui/live.py):
Start / Pause / Step / Reset, a few epochs per refresh; changing any setting starts a fresh neuron.
"""
import streamlit as st

from core.topics.activations import charts
from core.live import LiveRun
from core.topics.activations.neuron import (NEURON_DATASETS, TRAINERS, NeuronTrainConfig, epochs_per_tick,
                                            line_latex, neuron_run, output_surface)
from core.runtime import single_thread
from core.topics.activations.url import NEURON_LEARNING_RATES
from core.urlstate import options_with
from ui import labels, t
from ui.live import LiveSpec, live_panel



def section() -> None:
    """Dataset, rule, learning rate and noise; the rule in LaTeX; then the live panel."""
    st.subheader(t("act_train_title"))
    c1, c2, c3, c4 = st.columns(4)
    dataset = c1.selectbox(t("act_dataset"), NEURON_DATASETS, format_func=labels("act_ds_", NEURON_DATASETS).get,
                           key="act_ds")
    method = c2.radio(t("act_method"), list(TRAINERS), format_func=labels("act_method_", TRAINERS).get,
                      key="act_method")
    lr_key = f"act_lr_{method}"  # one widget per rule; session state holds the link's (ui.activations.init_state)
    lr = c3.select_slider(t("act_lr"), options_with(NEURON_LEARNING_RATES, st.session_state[lr_key]), key=lr_key)
    noise = c4.slider(t("act_noise"), 0.0, 0.3, step=0.05, key="act_noise")
    st.latex(t(f"act_rule_{method}"))
    config = NeuronTrainConfig(dataset=dataset, method=method, lr=lr, noise=noise)
    # One epoch per refresh at first (the line moves visibly), up to 10 later.
    live_panel(LiveSpec(name="act", setup=config, make_run=lambda: neuron_run(config), draw=_draw, every_s=0.25,
                        slice_s=0.2, steps_per_slice=lambda run: epochs_per_tick(run.progress().step),
                        buttons=("start", "pause", "resume", "step", "reset")))


def _draw(run: LiveRun) -> None:
    """The neuron's line over its data, its numbers, and the loss / accuracy history."""
    trainer, config = run.model, run.setup
    with single_thread():  # a 61 x 61 grid through one neuron: a second thread only costs
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
