"""Step through: Play / Previous / Next over the recorded step, its formula, the graph and the proof table."""
import pandas as pd
import streamlit as st

from core.topics import backprop as bp
from core.topics.backprop import charts
from ui import t
from ui.backprop import relabel

BADGE = {"forward": "blue", "loss": "violet", "backward": "orange", "update": "green"}  # badge colour per phase
AGREE, DISAGREE = "background-color: #d4f4dd", "background-color: #fbd5d5"             # proof-table row colours
FORMATS = {"ours": "{:.6g}", "autograd": "{:.6g}", "fd": "{:.6g}", "err_auto": "{:.1e}", "err_fd": "{:.1e}"}


@st.cache_data(max_entries=64, show_spinner=False)
def proven_step(config: bp.BackpropConfig) -> tuple[bp.Trace, list[bp.GradCheck]]:
    """The recorded step and its proof, keyed by the config: Next only re-renders."""
    tr = bp.trace(config)
    return tr, bp.check_gradients(tr)


def restore_step(n_steps: int) -> None:
    """Set the step number for this run, within the current network's steps.

    The slider's own state is dropped while another tab is shown, so a plain copy remembers the step.
    """
    step = st.session_state.get("bp_step", st.session_state.get("bp_step_kept", 1))
    st.session_state.bp_step = bp.move_step(step, 0, n_steps)


def _move(delta: int, n_steps: int) -> None:
    st.session_state.bp_step = bp.move_step(st.session_state.bp_step, delta, n_steps)


def _toggle_play() -> None:
    st.session_state.bp_play = not st.session_state.get("bp_play", False)


def step_tab(tr: bp.Trace, checks: list[bp.GradCheck]) -> None:
    """The Play button, then the stepper as a fragment (ticking while playing) so Next reruns only it."""
    playing = st.session_state.get("bp_play", False)
    st.button(t("bp_pause") if playing else t("bp_play"), on_click=_toggle_play, key="bp_play_button",
              icon=":material/pause:" if playing else ":material/play_arrow:")
    st.fragment(run_every=0.8 if playing else None)(_stepper)(tr, checks)


def _stepper(tr: bp.Trace, checks: list[bp.GradCheck]) -> None:
    """Buttons, the current formula, the graph and the proof table; reruns alone on Next / Previous."""
    n_steps = len(tr.steps)
    if st.session_state.get("bp_play"):  # Play: one step per timer tick; at the end stop the timer
        if st.session_state.bp_step >= n_steps:
            st.session_state.bp_play = False
            st.rerun(scope="app")
        st.session_state.bp_step += 1
    i = st.session_state.bp_step_kept = st.session_state.bp_step
    buttons = st.columns([1, 1, 6])
    buttons[0].button(t("bp_prev"), on_click=_move, args=(-1, n_steps), disabled=i <= 1,
                      icon=":material/skip_previous:", key="bp_prev_button", width="stretch")
    buttons[1].button(t("bp_next"), on_click=_move, args=(1, n_steps), disabled=i >= n_steps,
                      icon=":material/skip_next:", key="bp_next_button", width="stretch", type="primary")
    buttons[2].slider(t("bp_step_slider"), 1, n_steps, key="bp_step", label_visibility="collapsed")
    step = tr.steps[i - 1]
    st.markdown(f":{BADGE[step.kind]}-badge[{t('bp_kind_' + step.kind)}] **{t('bp_step_of', i=i, n=n_steps)}** · "
                f"{t('bp_what_' + step.what)}")
    st.latex(bp.display_latex(step.latex))
    check = bp.check_for(checks, step)
    if check:
        st.caption(t("bp_step_proof", auto=f"{check.autograd:.6g}", fd=f"{check.finite_diff:.6g}",
                     err=f"{check.err_autograd:.1e}"))
    st.plotly_chart(charts.graph_figure(tr, i - 1), width="stretch", key="bp_graph")
    st.caption(t("bp_graph_caption"))
    _proof_table(checks, step)


def _proof_table(checks: list[bp.GradCheck], step: bp.Step) -> None:
    """Every gradient three ways, green rows where they agree, and the verdict under it."""
    st.subheader(t("bp_proof"))
    st.caption(t("bp_proof_intro"))
    labels = {key: t("bp_col_" + key) for key in bp.PROOF_COLUMNS}
    rows = relabel(bp.proof_rows(checks, step.node), labels)
    colours = [AGREE if c.ok else DISAGREE for c in checks]
    styled = pd.DataFrame(rows).style.apply(lambda column: colours, axis=0).format(
        {labels[key]: form for key, form in FORMATS.items()})
    st.dataframe(styled, hide_index=True, width="stretch", height=min(38 + 35 * len(rows), 640))
    bad = sum(not c.ok for c in checks)
    if bad:
        st.error(t("bp_proof_bad", bad=bad, n=len(checks)))
    else:
        st.success(t("bp_proof_ok", n=len(checks)))
    if any(c.kink for c in checks):
        st.info(t("bp_kink"), icon=":material/info:")
