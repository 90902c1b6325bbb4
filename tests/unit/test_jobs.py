"""core/jobs.py: training in worker processes behind a fair queue.

Expected values come from the same run trained in this process (core.live.LiveRun), from the
queue's stated rules (sessions in turn, per-session and total limits), and from the isolation
rule (a session sees only its own jobs)."""
import os
import time

import pytest
import torch

from core.job_backends import LOCAL_WORKER_NICE
from core.jobs import JobRefused, JobRunner, RemoteRun, load_weights
from tests.unit.jobs_fixture import tiny_run

TINY = "tests.unit.jobs_fixture:tiny_run"


def wait_until(condition, timeout: float = 60.0, every: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError("timed out")


@pytest.fixture(scope="module")
def runner():
    """Two workers, one torch thread each, short slices."""
    pool = JobRunner(workers=2, threads=1, slice_s=0.05)
    yield pool
    pool.close()


def in_process(setup, payload=None):
    run = tiny_run(setup, payload)
    run.start()
    while not run.done:
        run.advance()
    return run.finish()


def done_view(runner, session, job):
    return wait_until(lambda: (v := runner.view(session, job)) is not None and v.state == "done" and v)


@pytest.mark.slow
def test_a_job_gives_the_same_result_as_the_run_in_process(runner):
    setup = (3, 2)
    job = runner.submit("a", TINY, setup)
    done_view(runner, "a", job)
    weights, history, reason, steps, seconds = runner.result("a", job)
    reference = in_process(setup)
    assert reason == "completed" and steps == reference.steps
    assert history.loss == reference.history.loss and history.val_loss == reference.history.val_loss
    model = load_weights(tiny_run(setup).model, weights)
    assert all(torch.equal(p, q) for p, q in zip(model.state_dict().values(), reference.model.state_dict().values()))
    assert runner.view("a", job) is None  # a fetched result is forgotten


def test_the_payload_travels_with_the_job(runner):
    x = torch.randn(64, 2, generator=torch.Generator().manual_seed(5))
    y = (x[:, 0] > 0).long()
    job = runner.submit("a", TINY, (1, 1), (x, y))
    done_view(runner, "a", job)
    _, history, *_ = runner.result("a", job)
    assert history.loss == in_process((1, 1), (x, y)).history.loss


def test_sessions_never_see_each_others_jobs(runner):
    mine = runner.submit("a", TINY, (4, 50))
    assert runner.view("b", mine) is None and runner.result("b", mine) is None
    runner.control("b", mine, "stop")       # ignored: not b's job
    runner.forget("b", mine)                 # ignored too
    wait_until(lambda: runner.view("a", mine).progress is not None and runner.view("a", mine).progress.step > 3)
    assert runner.view("a", mine).state == "running"
    runner.control("a", mine, "stop")
    view = done_view(runner, "a", mine)
    assert view.progress.reason == "stopped"
    runner.result("a", mine)


def test_pause_holds_and_stop_keeps_the_partial_curves(runner):
    job = runner.submit("a", TINY, (6, 200))
    wait_until(lambda: (v := runner.view("a", job)).progress is not None and v.progress.step >= 5)
    runner.control("a", job, "pause")
    paused = runner.wait("a", job, ("paused",), timeout=10)
    assert paused.state == "paused"
    time.sleep(0.3)
    held = runner.view("a", job).progress.step
    time.sleep(0.5)
    assert runner.view("a", job).progress.step == held  # nothing trained while paused
    runner.control("a", job, "step", 3)
    wait_until(lambda: runner.view("a", job).progress.step == held + 3)
    runner.control("a", job, "stop")
    done_view(runner, "a", job)
    weights, history, reason, steps, _ = runner.result("a", job)
    assert reason == "stopped" and steps == held + 3 and len(history.loss) == steps and weights


def test_a_broken_job_fails_alone(runner):
    bad = runner.submit("a", "tests.unit.jobs_fixture:broken_run", None)
    view = wait_until(lambda: (v := runner.view("a", bad)).state == "failed" and v)
    assert "no such model" in view.error
    good = runner.submit("a", TINY, (2, 1))
    done_view(runner, "a", good)
    runner.result("a", good)
    runner.forget("a", bad)


@pytest.mark.slow
def test_limits_per_session_and_in_all():
    pool = JobRunner(workers=1, threads=1, per_session=2, max_jobs=3)
    try:
        pool.submit("a", TINY, (1, 100))
        pool.submit("a", TINY, (2, 100))
        with pytest.raises(JobRefused) as refused:
            pool.submit("a", TINY, (3, 100))
        assert refused.value.reason == "session_full" and refused.value.limit == 2
        pool.submit("b", TINY, (4, 100))
        with pytest.raises(JobRefused) as refused:
            pool.submit("c", TINY, (5, 100))
        assert refused.value.reason == "server_full"
    finally:
        pool.close()


@pytest.mark.slow
def test_the_queue_takes_sessions_in_turn_and_a_stopped_job_frees_its_slot():
    pool = JobRunner(workers=1, threads=1, per_worker=1, slice_s=0.05)
    try:
        a1 = pool.submit("a", TINY, (1, 500))
        a2 = pool.submit("a", TINY, (2, 500))
        b1 = pool.submit("b", TINY, (3, 500))
        wait_until(lambda: pool.view("a", a1).state == "running")
        # a already has a job in the worker, so b's job goes first although it came later.
        assert pool.view("b", b1).state == "queued" and pool.view("b", b1).queue_ahead == 0
        assert pool.view("a", a2).state == "queued" and pool.view("a", a2).queue_ahead == 1
        pool.control("a", a1, "stop")
        wait_until(lambda: pool.view("b", b1).state == "running", timeout=10)  # the slot went at once
        assert pool.view("a", a2).queue_ahead == 0
        pool.control("b", b1, "stop")
        wait_until(lambda: pool.view("a", a2).state == "running", timeout=10)
        pool.control("a", a2, "stop")
    finally:
        pool.close()


@pytest.mark.slow
def test_one_worker_takes_its_sessions_in_turn():
    pool = JobRunner(workers=1, threads=1, slice_s=0.05)
    try:
        jobs = {s: pool.submit(s, TINY, (i, 500)) for i, s in enumerate("abc")}
        wait_until(lambda: all((v := pool.view(s, j)).progress is not None and v.progress.step >= 10
                               for s, j in jobs.items()), timeout=60)
        steps = [pool.view(s, j).progress.step for s, j in jobs.items()]
        assert max(steps) < 6 * min(steps), steps  # each got its turns, none starved
        for s, j in jobs.items():
            pool.control(s, j, "stop")
    finally:
        pool.close()


@pytest.mark.slow
def test_a_queued_job_stopped_before_it_ran_ends_with_nothing_trained():
    pool = JobRunner(workers=1, threads=1, per_worker=1)
    try:
        first = pool.submit("a", TINY, (1, 500))
        waiting = pool.submit("b", TINY, (2, 500))
        pool.control("b", waiting, "stop")
        assert pool.view("b", waiting).state == "done"
        assert pool.result("b", waiting)[2:4] == ("stopped", 0)
        pool.control("a", first, "stop")
    finally:
        pool.close()


def test_a_remote_run_reads_like_a_live_run(runner):
    run = RemoteRun(runner, "r", TINY, (7, 2), ship_weights=True)
    assert run.state == "ready" and run.progress().step == 0
    untrained = [p.clone() for p in run.model.state_dict().values()]
    run.start()
    wait_until(lambda: (run.refresh() or run.done) and run.done, timeout=60)
    result = run.finish()
    reference = in_process((7, 2))
    assert result.reason == "completed" and result.history.loss == reference.history.loss
    assert all(torch.equal(p, q) for p, q in zip(result.model.state_dict().values(),
                                                  reference.model.state_dict().values()))
    assert not all(torch.equal(p, q) for p, q in zip(untrained, result.model.state_dict().values()))
    run.reset()
    assert run.state == "ready" and all(torch.equal(p, q) for p, q in zip(untrained, run.model.state_dict().values()))


@pytest.mark.slow
def test_a_dead_worker_fails_its_jobs_and_is_replaced():
    pool = JobRunner(workers=1, threads=1, slice_s=0.05)
    try:
        job = pool.submit("a", TINY, (1, 500))
        wait_until(lambda: pool.view("a", job).state == "running")
        pool._procs[0].kill()  # the worker dies (out of memory, killed by hand)
        view = wait_until(lambda: (v := pool.view("a", job)).state == "failed" and v, timeout=30)
        assert "worker" in view.error
        pool.forget("a", job)
        again = pool.submit("a", TINY, (2, 1))  # the fresh worker trains the next job
        done_view(pool, "a", again)
        assert pool.result("a", again)[2] == "completed"
    finally:
        pool.close()


@pytest.mark.slow
def test_an_abandoned_job_is_dropped_and_its_run_says_so():
    pool = JobRunner(workers=1, threads=1, slice_s=0.05, idle_s=0.5)
    try:
        run = RemoteRun(pool, "gone", TINY, (3, 500))
        run.start()
        wait_until(lambda: pool.stats()["jobs"] == 0, timeout=30)  # nobody looked at it: dropped
        run.refresh()
        assert run.done and run.error == "dropped"
    finally:
        pool.close()


def test_reports_rebuild_the_history_also_across_thinning(monkeypatch):
    """The worker sends only new points; when the history thins (halves) it sends it whole. The
    runner's copy must equal the run's own, report after report (thinning forced early here)."""
    import core.live
    from core.jobs import _Job, _merge, _report

    monkeypatch.setattr(core.live, "MAX_POINTS", 40)
    run = tiny_run((5, 30))
    run.start()
    job, copy, version = _Job("j", "a", run, False), None, 0
    from core.live import History
    copy = History()
    for slice_steps in [3, 5, 1, 60, 2, 100, 7] * 5:
        run.advance(max_steps=slice_steps)
        message = _report(job)
        copy = _merge(copy, version, message[4], message[5])
        version = message[4]
        assert copy.to_dict() == run.history.to_dict()
    assert version > 0  # it did thin along the way


def test_a_paced_job_trains_at_its_speed_and_the_pace_can_change(runner):
    """pace=(steps, seconds): an animation's speed. At 2 steps per 0.25 s a job stays within that
    rate; raised to 50 per 0.25 s it goes faster; its result is still the in-process run's."""
    job = runner.submit("paced", TINY, (5, 3), pace=(2, 0.25))
    wait_until(lambda: (v := runner.view("paced", job)).progress is not None and v.progress.step >= 2)
    began = time.monotonic()
    first = runner.view("paced", job).progress.step
    time.sleep(1.5)
    slow = runner.view("paced", job).progress.step - first
    seconds = time.monotonic() - began
    assert 1 <= slow <= 2 * (seconds / 0.25 + 2)
    runner.set_pace("paced", job, (50, 0.25))
    done_view(runner, "paced", job)
    _, history, reason, steps, _ = runner.result("paced", job)
    reference = in_process((5, 3))
    assert reason == "completed" and steps == reference.steps and history.loss == reference.history.loss


def test_local_workers_run_below_the_app_process_priority(runner):
    # The app's threads serve every page; training takes what CPU they leave (core.job_backends).
    job = runner.submit("s-nice", TINY, (3, 2))
    done_view(runner, "s-nice", job)  # the workers are up
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    for proc in runner._procs:
        assert os.getpriority(os.PRIO_PROCESS, proc.pid) == min(19, mine + LOCAL_WORKER_NICE)
    runner.forget("s-nice", job)


@pytest.mark.slow
def test_a_new_worker_has_paid_torch_optims_first_step_cost_before_its_first_job():
    # torch.optim's first step imports torch._dynamo (~1 s); the worker takes it at start (warm_up).
    fresh = JobRunner(workers=1, threads=1)
    try:
        job = fresh.submit("s", "tests.unit.jobs_fixture:modules_at_first_job", None)
        view = wait_until(lambda: (v := fresh.view("s", job)).state == "failed" and v)
        assert "torch._dynamo loaded: True" in view.error
    finally:
        fresh.close()


def test_the_worker_count_comes_from_playground_workers(monkeypatch):
    from core.job_backends import workers_from_env
    from core.runtime import usable_cores

    monkeypatch.delenv("PLAYGROUND_WORKERS", raising=False)
    assert workers_from_env() is None and JobRunner().workers == usable_cores()
    monkeypatch.setenv("PLAYGROUND_WORKERS", "1")
    assert JobRunner().workers == 1 and JobRunner().threads == usable_cores()
    for bad in ("0", "-2", "two", "1.5"):
        monkeypatch.setenv("PLAYGROUND_WORKERS", bad)
        with pytest.raises(ValueError, match="PLAYGROUND_WORKERS"):
            workers_from_env()


def test_after_a_pause_is_applied_the_reported_step_is_where_the_run_stopped(runner):
    # The state reads "paused" at once (control); steps the worker made before it read the Pause come
    # with its next report. wait_applied returns with that report, so the step shown then is final.
    for attempt in range(3):
        job = runner.submit("held", TINY, (7 + attempt, 200), pace=(5, 0.05))
        wait_until(lambda: (v := runner.view("held", job)).progress is not None and v.progress.step >= 3)
        runner.control("held", job, "pause")
        held = runner.wait_applied("held", job, timeout=10).progress.step
        time.sleep(0.5)
        assert runner.view("held", job).progress.step == held
        runner.control("held", job, "stop")
        done_view(runner, "held", job)
        assert runner.result("held", job)[3] == held  # the stopped run trained exactly those steps
