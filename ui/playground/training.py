"""The playground's live run: it trains in the job runner; every frame draws the network, the output and the loss."""
import streamlit as st

from core.live import LiveRun
from core.topics.playground.charts import boundary_figure, chart_labels, loss_figure, network_figure
from core.topics.playground.network import epochs_done, feature_labels, metric_rows, new_run, run_snapshot
from ui import lang, t
from ui.live import LiveSpec, live_panel, remote_run
from ui.playground.settings import Settings

# Animation period and the most compute seconds one frame may spend. A frame redraws three charts;
# at 0.25 s a loaded 2-core machine ran frames back to back and a Pause waited up to 2.1 s behind
# them (tests/browser/test_live_presses.py), at 0.5 s it is answered between frames.
FRAME_SECONDS, FRAME_BUDGET = 0.5, 0.2


def live_run(chosen: Settings) -> None:
    """The live panel in the network column.

    Any change of setup starts a fresh run, as in TF Playground (the panel compares `setup`). It
    trains in the job runner at `speed` steps per frame; each report brings the weights the pictures
    are drawn from. A generated set is rebuilt there from the config; an uploaded one (only in this
    session) travels along."""
    ss, config, data = st.session_state, chosen.config, chosen.data
    names = chart_labels(lang())

    def draw(run: LiveRun) -> None:
        """One animation frame's pictures, all from one forward pass over the grid."""
        snap = run_snapshot(run, data)
        top = st.columns([1.4, 1, 1, 1, 1])
        top[0].markdown(f"### {t('pg_epoch_counter', epoch=epochs_done(run), step=run.progress().step)}")
        for column, (label, value) in zip(top[1:], metric_rows(run.history)):
            column.metric(t(label), value)
        diagram, output = st.columns([3, 2])
        diagram.plotly_chart(network_figure(snap, feature_labels(run.setup.features), names),
                             width="stretch", key="pg_network_chart", config={"displayModeBar": False})
        diagram.caption(t("pg_network_caption"))
        output.markdown(f"**{t('pg_output')}**")
        output.plotly_chart(boundary_figure(snap, data, ss.pg_test, ss.pg_disc, names), width="stretch",
                            key="pg_boundary_chart", config={"displayModeBar": False})
        output.caption(t("pg_output_caption" if data.task == "classify" else "pg_output_caption_regress"))
        output.plotly_chart(loss_figure(run.history, names), width="stretch", key="pg_loss_chart",
                            config={"displayModeBar": False})

    spec = LiveSpec(name="pg", setup=(config, chosen.digest),
                    make_run=lambda: remote_run("playground", config, chosen.uploaded, local=new_run(config, data),
                                                ship_weights=True), draw=draw,
                    slice_s=FRAME_BUDGET, every_s=FRAME_SECONDS, steps_per_slice=ss.pg_speed,
                    buttons=("start", "pause", "resume", "step", "reset"))
    with chosen.right:
        live_panel(spec)
