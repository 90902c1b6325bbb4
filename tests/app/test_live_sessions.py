"""Two learners at once through the one live panel: one plays the 2-D playground while the other
trains in the CNN lab, each session's script in its own thread (as Streamlit runs them). Both make
progress, neither sees the other's run, and no training step runs in the server's script threads:
both runs train in the job runner's workers, and the sessions only read the reports (the CPU slot
for in-session slices is never taken)."""
import threading
import time

import pytest

from core.compute import LIMITER
from core.jobs import RemoteRun
from tests.app.conftest import page_app, rerun_while
from tests.app.test_page_cnn_lab import tiny_page

REFRESHES = 12


def _refresh_loop(at, errors: list, stop: threading.Event) -> None:
    """What the fragment's timer does: rerun the page again and again (here: in full)."""
    try:
        for _ in range(REFRESHES):
            if stop.is_set():
                return
            time.sleep(0.1)  # the timer's period (shortened)
            at.run()
            if at.exception:
                errors.append([e.value for e in at.exception])
                return
    except Exception as exc:  # noqa: BLE001 — reported by the test below
        errors.append(repr(exc))


@pytest.mark.slow
def test_a_playground_and_a_cnn_run_share_the_cpu_and_never_see_each_other():
    playground = page_app("pages/playground.py").run()
    playground.button(key="pg_start").click().run()
    cnn = tiny_page(epochs=30, batch=16)
    cnn.button(key="cnn_start").click().run()
    pg_run, cnn_run = playground.session_state["pg_run"], cnn.session_state["cnn_run"]
    rerun_while(cnn, lambda at: cnn_run.progress().step == 0)  # a worker builds it (cold on a fresh server)
    rerun_while(playground, lambda at: pg_run.progress().step == 0)
    pg_before, cnn_before = pg_run.progress().step, cnn_run.progress().step
    assert pg_run.state == cnn_run.state == "running"

    LIMITER.peak = 0
    errors: list = []
    stop = threading.Event()
    threads = [threading.Thread(target=_refresh_loop, args=(at, errors, stop)) for at in (playground, cnn)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
    stop.set()
    assert not errors, errors
    assert LIMITER.peak == 0 and LIMITER.active == 0  # no slice computed in a script thread
    for run in (pg_run, cnn_run):
        assert isinstance(run, RemoteRun) and not run.wants_compute  # trains in a worker
        assert run.runner.view("another-session", run.job_id) is None  # only its session may read it
    assert pg_run.job_id != cnn_run.job_id  # (AppTest gives every session one id; a server gives each its own)

    # Both made progress, each on its own run (the same objects, never swapped or shared).
    assert playground.session_state["pg_run"] is pg_run and pg_run.progress().step > pg_before
    assert cnn.session_state["cnn_run"] is cnn_run and cnn_run.progress().step > cnn_before
    assert "pg_run" not in cnn.session_state and "cnn_run" not in playground.session_state
    assert cnn.session_state["cnn_runs"] == [] and "cnn_runs" not in playground.session_state
    cnn.run()  # a fresh full run (the refresh threads' last run may have been cut by the run's end)
    if cnn.session_state["cnn_run"] is not None:  # a fast worker may already have finished the 390 steps
        cnn.button(key="cnn_stop").click().run()
    assert cnn.session_state["cnn_runs"][-1].reason in ("stopped", "completed") and "pg_runs" not in cnn.session_state
