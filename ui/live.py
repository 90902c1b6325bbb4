"""THE live-training panel: Start / Pause / Resume / Step / Stop / Reset, a progress line, the
page's figures, and the timed fragment that advances a core.live.LiveRun one bounded slice per refresh.

    live_panel(LiveSpec(name="cnn", setup=setup, make_run=lambda: new_run(setup), draw=draw_curves,
                        on_finish=keep_result))

A page supplies how to make a run for its settings and how to draw it; it writes no loop of its own.

Why a press used to be slow or lost (Streamlit 1.67, 2 cores kept busy by another process; issue 9):
Stop and Pause were buttons *outside* the training fragment, so a click was a full-app rerun. With
`runner.fastReruns` (Streamlit's default) the server answers a full rerun by abandoning the
session's script thread and starting a second one at once, but the old thread was inside a
training slice, which makes no Streamlit call and so cannot be interrupted: it kept computing,
holding the CPU slot, while the new thread re-ran the whole page (every tab). The new run's
fragment then found the slot taken, drew "waiting for the CPU" and did not apply the stop; a later
timer tick did, and the CNN lab needed one more full rerun (after a test-set pass) before
"stopped" appeared: 1.74-2.71 s from the click, 7 of 10 Stops over 2 s (browser clock, as in
tests/browser/test_live_presses.py, on the parent commit). Two script threads of one session also
meant two threads on one run, and Streamlit skips a callback when the widget's metadata from the
previous run says "disabled" (SessionState._call_callbacks), so a Stop clicked while the run that
enabled it had not yet registered the button is dropped (read in the source; the lost press itself
was not reproduced here, the slow one was, every time). Two more traps showed up while fixing it: two buttons taking turns in one
place under different keys (Pause / Resume) left a stale copy of the other on screen beside it
(a learner saw both; a test waiting for "Resume" passed on the stale one), and one key whose
callback flipped between pause and resume let a Pause end up resuming the run.

The fix is in the mechanism, not in a timeout:
- every control lives *inside* the fragment, so a click is a fragment rerun: it never starts a
  second script thread, never re-runs the rest of the page, and is queued behind the slice now
  computing (Streamlit coalesces it with the timer's requests and keeps the click's trigger);
- `.streamlit/config.toml` sets `runner.fastReruns = false`, so a full rerun (a slider moved
  elsewhere during training) waits for the slice to end instead of racing it in a second thread;
- the run's control methods only change its state (Stop ends the engine before its next step,
  which costs nothing), and the fragment draws the buttons and the progress line *before* it
  computes, so the new state is on screen at the start of the very next fragment run: at most one
  slice (SLICE_S) and one redraw after the click. Measured the same way: Stop 0.76-1.16 s, the
  playground's Pause 0.23-1.10 s;
- a slice ends at the next step once a click (or a moved widget) waits behind it
  (`press_waiting`, which reads Streamlit's pending-rerun record): an instrumented run showed the
  click reaching the server 10 ms after it was made and then waiting out a whole 0.3-0.7 s slice
  that the timer's tick had started a moment before;
- `.streamlit/config.toml` turns off `runner.postScriptGC`: Streamlit's forced gc.collect(2) after
  every script run took 0.48 s (median; up to 1.03 s) per fragment refresh with a CNN training
  under the burner, and the press waited behind it too. Together: Stop 0.25-1.28 s, Pause
  0.40-0.77 s (the same test; the longest wait left is one training step of a two-thread CNN
  whose threads share the cores with the burner, up to 0.7 s);
- every action has its own button, key and place;
- every page's slice runs under the one CPU slot (core.compute), and a session that does not get
  it says so.

The fragment's timer is set when the page runs in full (Streamlit sends `run_every` only then):
Start and Resume ask for a full run from their callback; Pause, Stop and the end of a run are
first drawn by the fragment and then followed by one full run that disarms the timer.
"""
import time
from dataclasses import dataclass
from typing import Callable, Hashable

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core.compute import compute_slot
from core.jobs import JobRunner, RemoteRun
from core.live import LiveRun, Progress
from core.text import literal
from ui import lang, t

SLICE_S = 0.3     # compute per refresh: bounded, so other sessions get the CPU in turn and a press waits little
EVERY_S = 0.5     # refresh period while running
SLOT_WAIT_S = 0.05  # how long a refresh waits for the CPU slot before it says "waiting"
PRESS_WAIT_S = 1.5  # how long a Stop / Pause waits for the worker's answer, so the same refresh shows it
MAX_EVERY_S = 2.0   # the slowest refresh period: a learner still sees progress at least every 3 s
COST_SHARE = 0.5    # a refresh may take at most this share of its period (measured; else the period grows)
BUTTONS = ("start", "pause", "resume", "step", "stop", "reset")
ICONS = {"start": ":material/play_arrow:", "pause": ":material/pause:", "resume": ":material/play_arrow:",
         "step": ":material/skip_next:", "stop": ":material/stop:", "reset": ":material/restart_alt:"}


@dataclass(frozen=True)
class LiveSpec:
    name: str                                    # the run is session state "<name>_run"; buttons "<name>_<action>"
    setup: Hashable                              # the settings `make_run` builds from (frozen config)
    make_run: Callable[[], LiveRun]              # a fresh run for `setup`
    draw: Callable[[LiveRun], None]              # the page's figures for the run, drawn on every refresh
    on_finish: Callable[[LiveRun], None] | None = None  # keep a done run's result; the panel then drops the run
    eager: bool = True                           # build the run at once (its start is drawn), else on Start
    slice_s: float = SLICE_S                     # compute seconds per refresh
    every_s: float = EVERY_S                     # refresh period while running
    steps_per_slice: int | Callable[[LiveRun], int] | None = None  # most steps per refresh (None: time only)
    buttons: tuple[str, ...] = BUTTONS           # which controls to show, in this order
    start_hook: Callable[[], bool] | None = None  # Start served without training when it returns True
                                                 # (the CNN lab's result trained before)


@st.cache_resource(show_spinner=False)
def job_runner() -> JobRunner:
    """The server's one pool of training workers (core.jobs), shared by every session, started at
    once so that the first learner's Start does not wait for the workers to import torch."""
    return JobRunner().start()


def remote_run(kind: str, setup: Hashable, payload=None, *, local: LiveRun | None = None,
               ship_weights: bool = False) -> RemoteRun:
    """A run of `kind` for this session, trained in the job runner (see core.jobs.RemoteRun)."""
    ctx = get_script_run_ctx()
    return RemoteRun(job_runner(), ctx.session_id if ctx is not None else "local", kind, setup, payload,
                     local=local, ship_weights=ship_weights)


def _following(run: LiveRun | RemoteRun | None) -> bool:
    """True while the fragment's timer must refresh: the run trains, or waits in the queue for a worker."""
    return run is not None and run.state in ("running", "queued")


def run_key(spec: LiveSpec) -> str:
    """Where the session keeps the spec's run."""
    return f"{spec.name}_run"


def current_run(spec: LiveSpec) -> LiveRun | None:
    """The session's run for `spec`: an eager page gets a fresh run when its settings changed
    (as in TF Playground, a change restarts training; a running run's successor keeps running)."""
    run: LiveRun | None = st.session_state.get(run_key(spec))
    if spec.eager and (run is None or st.session_state.get(f"{run_key(spec)}_setup") != spec.setup):
        was_running = run is not None and run.state == "running"
        if isinstance(run, RemoteRun):
            run.discard()  # its worker slot goes to someone else at once, not after the idle timeout
        run = st.session_state[run_key(spec)] = spec.make_run()
        st.session_state[f"{run_key(spec)}_setup"] = spec.setup
        if was_running:
            _pace(spec, run)
            run.start()
    return run


def refresh_period(every_s: float, cost_s: float | None) -> float:
    """The timer's period for a refresh that costs `cost_s` seconds (measured): the page's own
    period, lengthened so that a refresh takes at most COST_SHARE of it, up to MAX_EVERY_S.

    Why: a refresh that outlasts its period runs back to back, a script thread always busy on one
    session (issue 15 saw 3,237 timer reruns for 5 completed refreshes); drawing a little less
    often keeps the server answering everyone."""
    if cost_s is None:
        return every_s
    return round(min(MAX_EVERY_S, max(every_s, cost_s / COST_SHARE)), 2)


def _period(spec: LiveSpec) -> float:
    return refresh_period(spec.every_s, st.session_state.get(f"{spec.name}_refresh_cost"))


def live_panel(spec: LiveSpec) -> None:
    """The controls, progress line and figures of `spec`'s run, refreshed by a timed fragment while it runs."""
    run = current_run(spec)
    every = _period(spec) if _following(run) else None
    # Wrapped at each call: the timer follows the run's state, which only a full run can change.
    st.fragment(_refresh, run_every=every)(spec, every)


def _pace(spec: LiveSpec, run) -> None:
    """A remote run trains at the page's speed (steps per refresh period), as the local one would."""
    if isinstance(run, RemoteRun):
        steps = spec.steps_per_slice(run) if callable(spec.steps_per_slice) else spec.steps_per_slice
        run.set_pace(steps, spec.every_s)


def _press(spec: LiveSpec, action: str) -> None:
    """A button callback: change the run's state only (the fragment does the work under the CPU slot)."""
    run: LiveRun | None = st.session_state.get(run_key(spec))
    st.session_state.pop(f"{run_key(spec)}_error", None)  # a new press: the last failure has been read
    if action == "start":
        if spec.start_hook is not None and spec.start_hook():
            return
        if run is None or run.done:  # a lazy page's Start makes the run for the current settings
            run = st.session_state[run_key(spec)] = spec.make_run()
            st.session_state[f"{run_key(spec)}_setup"] = spec.setup
        _pace(spec, run)
        run.start()
    elif run is not None:
        _pace(spec, run)
        getattr(run, action)()
        if isinstance(run, RemoteRun) and action == "stop":
            run.wait(("done", "failed"), timeout=PRESS_WAIT_S)  # the worker answers at its next step
        elif isinstance(run, RemoteRun) and action in ("pause", "step"):
            # Draw the step the worker paused at: the state is shown paused at once, but without this
            # the steps it made before reading the Pause arrived a refresh later, and a learner saw the
            # counter move after pressing Pause (tests/browser/test_live_presses.py, once in a CI run).
            run.settle(timeout=PRESS_WAIT_S)
    if action in ("start", "resume"):
        # Straight to a full run, which sets the fragment's timer (the only kind of run that can),
        # instead of a fragment run followed by one: a Pause pressed soon after waits less.
        st.rerun()


def _controls(spec: LiveSpec, run: LiveRun | None) -> None:
    state = run.state if run is not None else None
    going = state in ("running", "paused", "queued")
    columns = st.columns(len(spec.buttons))
    for column, action in zip(columns, spec.buttons):
        # Every action keeps its own button, key and place (Pause and Resume do not take turns in
        # one place): a callback bound to a key then always means what its label said, and no
        # stale copy of a swapped-out button lingers beside the new one.
        enabled = {"start": not going, "pause": state == "running", "resume": state == "paused",
                   "step": run is not None and state != "done", "stop": going,
                   "reset": run is not None and state != "ready"}[action]
        column.button(t(f"live_{action}"), key=f"{spec.name}_{action}", on_click=_press, args=(spec, action),
                      disabled=not enabled, icon=ICONS[action], width="stretch",
                      type="primary" if action in ("start", "resume") else "secondary")


def _remote_notice(run: RemoteRun, slot) -> None:
    """Say why a remote run is not training: refused, queued, or a worker building it."""
    if run.refused is not None:
        slot.warning(run.refused.message(lang()), icon=":material/block:")
    elif run.state == "queued":
        ahead = run.queue_ahead
        text = t("live_starting") if ahead is None else t("live_queued", n=ahead) if ahead else t("live_queued_next")
        slot.info(text, icon=":material/hourglass_top:")


def failure_text(error: str) -> str:
    """The learner's sentence for a job that failed in its worker (or was dropped by the runner)."""
    return t("live_dropped") if error == "dropped" else t("live_failed", error=literal(error, 300))


def press_waiting(requests=None) -> bool:
    """True when a learner's click or change waits behind this session's running script (a slice
    then ends at its next step instead of at its time limit). `requests` defaults to the running
    script's Streamlit ScriptRequests; outside a script (or if Streamlit's internals change) False."""
    if requests is None:
        ctx = get_script_run_ctx()
        requests = getattr(ctx, "script_requests", None)
    # Private to Streamlit (1.67): the pending rerun, coalesced from every request since this run
    # began. The fragment's timer sends automatic reruns; a click is a rerun carrying a button's
    # trigger, a moved widget a rerun that is not automatic (until a later tick is folded in).
    data = getattr(requests, "_rerun_data", None)
    if data is None or getattr(getattr(requests, "_state", None), "name", None) != "RERUN":
        return False
    if not getattr(data, "is_auto_rerun", True):
        return True
    states = getattr(data, "widget_states", None)
    return states is not None and any(
        w.WhichOneof("value") == "trigger_value" and w.trigger_value for w in states.widgets)


def progress_line(p: Progress) -> str:
    """The one-line summary of a run: state, step, epoch, compute time and time left."""
    if p.state == "done":
        return t("live_done_line", reason=t(f"live_reason_{p.reason}"), step=p.step, elapsed=p.elapsed)
    return t("live_line", state=t(f"live_state_{p.state}"), step=p.step,
             of_total=t("live_of", n=p.total) if p.total else "", epoch=p.epoch,
             of_epochs=t("live_of", n=p.epochs) if p.epochs else "", elapsed=p.elapsed,
             eta=t("live_eta", eta=p.eta) if p.eta is not None and p.state == "running" else "")


def _refresh(spec: LiveSpec, every: float | None) -> None:
    """One refresh: controls and progress line first (a press shows at once), then a slice, then the
    figures; its cost is measured, and the timer's period follows it (refresh_period)."""
    began = time.perf_counter()
    run: LiveRun | RemoteRun | None = st.session_state.get(run_key(spec))
    if isinstance(run, RemoteRun):
        _pace(spec, run)
        run.refresh()  # the worker's latest report: a read, no compute
        if run.error is not None:  # it failed: forget the job, keep the message, stop the timer
            st.session_state[f"{run_key(spec)}_error"] = failure_text(run.error)
            run.runner.forget(run.session, run.job_id)
            st.session_state[run_key(spec)] = None
            st.rerun()
    _controls(spec, run)
    status = st.empty()
    if run is None:
        failed = st.session_state.get(f"{run_key(spec)}_error")
        if failed:
            status.error(failed, icon=":material/error:")
        else:
            status.caption(t("live_ready"))
        return
    status.progress(run.progress().fraction, text=progress_line(run.progress()))
    waiting = st.empty()  # always there, so the figures below keep their places whether it shows or not
    if isinstance(run, RemoteRun):
        _remote_notice(run, waiting)
    elif run.wants_compute:
        with compute_slot(timeout=SLOT_WAIT_S) as got_core:
            if got_core:
                steps = spec.steps_per_slice(run) if callable(spec.steps_per_slice) else spec.steps_per_slice
                run.advance(max_steps=steps, max_seconds=spec.slice_s, yield_to=press_waiting)
        if not got_core:
            waiting.info(t("live_waiting"), icon=":material/hourglass_top:")
        status.progress(run.progress().fraction, text=progress_line(run.progress()))
    spec.draw(run)
    if every is not None and not run.done:
        _note_cost(spec, time.perf_counter() - began, every)
    if run.done and spec.on_finish is not None:
        with compute_slot(timeout=10 * spec.slice_s):  # the result's own work (a test-set pass) shares the CPU too
            spec.on_finish(run)
        st.session_state[run_key(spec)] = None
        st.rerun()  # the rest of the page (results, comparisons) shows the new result
    if _following(run) != (every is not None):
        st.rerun()  # start or stop the timer: Streamlit sets run_every only when the page runs in full


def _note_cost(spec: LiveSpec, seconds: float, every: float) -> None:
    """Keep a running mean of what a refresh costs; re-arm the timer when its period should double
    or halve. Re-arming takes a full run of the page, which is what an overloaded server cannot
    spare, so it happens only when refreshes really outgrow their period (or have shrunk well back)."""
    key = f"{spec.name}_refresh_cost"
    old = st.session_state.get(key)
    st.session_state[key] = seconds if old is None else 0.7 * old + 0.3 * seconds
    wanted = _period(spec)
    if wanted >= 2 * every or wanted <= every / 2:
        st.rerun()
