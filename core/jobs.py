"""Training off the script threads: a fixed pool of worker processes runs every session's live runs,
one bounded slice at a time, taking sessions in turn.

    runner = JobRunner(workers=2)
    job = runner.submit("session-a", "cnn", setup)          # queued, then trained in a worker
    runner.control("session-a", job, "pause")                # a message; it wins at the next step
    view = runner.view("session-a", job)                     # state, progress, curves, queue position
    result = runner.result("session-a", job)                 # weights + curves once it has ended

Why processes: Streamlit runs every session's script in a thread of one Python process, so all
training shared one interpreter lock and one CPU slot; twenty learners got ~0.5 steps a second
between them (issue 15). Here a session's script only sends messages and reads what the workers
report; each worker owns its jobs' models and optimizers, and runs torch on `cores // workers`
threads, so the pool keeps every core busy without oversubscribing it.

Fairness: a worker takes its jobs' sessions round-robin, one slice (SLICE_S) each; a slice ends
early, at a step boundary, when a message for the worker arrives (so Stop and Pause win at once).
Jobs beyond the pool's capacity wait in one queue, which also takes sessions in turn; a session
may hold at most `per_session` jobs and the runner `max_jobs`, so no learner can crowd out the rest.
A job that nobody has looked at for `idle_s` seconds (its tab was closed) is dropped.

What a job trains is named by `kind`, a registry entry resolved inside the worker ("cnn" →
core.topics.cnn_lab.lab.job_run), with a picklable `setup` and optional `payload` (e.g. an uploaded CSV's
tensors): a worker builds the run itself, from the same seed, so its result equals the same run
trained in-process. Weights travel as safetensors bytes; nothing a learner uploads is unpickled
here (a job's setup and payload come from the app's own code).

Where the workers run is the backend's business (core.job_backends, PLAYGROUND_JOBS): processes
on this server by default, or tasks on a Ray cluster; the queue and the records stay here.
"""
import atexit
import importlib
import itertools
import os
import queue
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field, replace
from typing import Any, Callable

import torch

from core.errors import PlaygroundError
from core.job_backends import backend_from_env, make_backend, workers_from_env
from core.live import History, LiveRun, Progress, RunResult
from core.runtime import release_free_memory, usable_cores

SLICE_S = 0.2          # compute per turn: with PER_WORKER jobs on a worker each moves at least every ~0.8 s
PER_WORKER = 4         # jobs a worker holds at once (each its model, optimizer, data); more wait in the queue
PER_SESSION = 3        # jobs one session may hold (one per live page is the normal case)
MAX_JOBS = 64          # jobs the runner holds in all (running, paused, queued)
IDLE_S = 120.0         # a running / queued job nobody has looked at for this long is dropped (its tab is gone)
PAUSED_IDLE_S = 1800.0  # a paused one is not refreshed by its page, so it gets longer
KINDS = {              # kind -> "module:function(setup, payload) -> LiveRun", imported in the worker
    "cnn": "core.topics.cnn_lab.lab:job_run",
    "playground": "core.topics.playground.network:job_run",
}


class JobRefused(PlaygroundError):
    """The runner will not take another job: `reason` is "session_full" or "server_full"."""

    def __init__(self, reason: str, limit: int):
        super().__init__(f"live_refused_{reason}", limit=limit)
        self.reason, self.limit = reason, limit


@dataclass
class JobView:
    """What a session sees of its job: where it is, its curves, and (if asked for) its weights."""
    state: str                          # queued (also: a worker is building it) | ready | running | paused | done | failed
    progress: Progress | None           # None until a worker has built the run
    history: History
    queue_ahead: int | None = None      # jobs ahead of this one while it waits for a worker (else None)
    weights: bytes | None = None        # latest weights (safetensors) if the job ships them
    error: str | None = None            # why a failed job failed (a worker's exception, one line)


@dataclass
class _Record:
    """The runner's copy of one job, updated from the workers' reports."""
    job_id: str
    session: str
    kind: str
    setup: Any
    payload: Any
    ship_weights: bool
    first: tuple                        # the controls to apply on arrival: ("start",) or ("step", n)
    pace: tuple[int, float] | None = None  # (steps, seconds) while running, or None: as fast as it can
    state: str = "queued"
    worker: int | None = None
    progress: Progress | None = None
    history: History = field(default_factory=History)
    history_version: int = 0
    weights: bytes | None = None
    result: tuple | None = None         # (reason, steps, seconds) once done
    error: str | None = None
    seen: float = field(default_factory=time.monotonic)
    order: int = 0                      # submission order (queue ties)
    controls: int = 0                   # controls sent to the worker; a report counts those it applied
    applied: int = 0                    # of those, how many the worker's last report had applied


def resolve(kind: str) -> Callable[[Any, Any], LiveRun]:
    """The run builder a kind names: a KINDS key, or "module:function" (tests use their own)."""
    module, _, name = KINDS.get(kind, kind).partition(":")
    return getattr(importlib.import_module(module), name)


def weights_bytes(model: Any) -> bytes:
    """A model's weights as safetensors bytes (anything with a state_dict)."""
    from safetensors.torch import save
    return save({k: v.detach().contiguous().cpu() for k, v in model.state_dict().items()})


def load_weights(model: Any, blob: bytes) -> Any:
    """Load safetensors bytes from weights_bytes into `model` (same architecture); return it."""
    from safetensors.torch import load
    model.load_state_dict(load(blob))
    return model


class JobRunner:
    """The pool of worker processes and the fair queue in front of it (one per server process)."""

    def __init__(self, workers: int | None = None, *, slice_s: float = SLICE_S, per_worker: int = PER_WORKER,
                 per_session: int = PER_SESSION, max_jobs: int = MAX_JOBS, idle_s: float = IDLE_S,
                 threads: int | None = None, backend: str | None = None):
        # The backend (core.job_backends): local worker processes, or Ray, from PLAYGROUND_JOBS.
        self.backend_name = backend or backend_from_env()
        self._backend = None
        self.workers = workers or workers_from_env() or usable_cores()
        self.threads = threads or max(1, usable_cores() // self.workers)
        self.slice_s, self.per_worker, self.per_session, self.max_jobs, self.idle_s = (
            slice_s, per_worker, per_session, max_jobs, idle_s)
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._jobs: dict[str, _Record] = {}
        self._orders = itertools.count()
        self._started: dict[str, int] = {}  # session -> when its last job went to a worker (queue turns)
        self._procs: list = []
        self._inboxes: list = []
        self._outbox = None
        self._closed = False

    def start(self) -> "JobRunner":
        """Start the workers now (they import torch: a few seconds), not at the first Start press."""
        with self._lock:
            self._start_workers()
        return self

    # --- the session side ------------------------------------------------------------------------

    def submit(self, session: str, kind: str, setup: Any, payload: Any = None, *, steps: int | None = None,
               ship_weights: bool = False, pace: tuple[int, float] | None = None) -> str:
        """Queue a new job for `session`; it starts running when a worker takes it (or trains
        `steps` single steps and pauses). `pace` = (steps, seconds): while running, at most that many
        steps per that many seconds (an animation's speed), else as fast as its turns allow.
        Returns its id; JobRefused when a limit is reached."""
        with self._lock:
            self._drop_idle()
            mine = sum(r.session == session for r in self._jobs.values())
            if mine >= self.per_session:
                raise JobRefused("session_full", self.per_session)
            if len(self._jobs) >= self.max_jobs:
                raise JobRefused("server_full", self.max_jobs)
            job_id = secrets.token_hex(8)  # not guessable: a session reaches only the ids it was given
            self._jobs[job_id] = _Record(job_id, session, kind, setup, payload, ship_weights,
                                         ("start",) if steps is None else ("step", steps), pace=pace,
                                         order=next(self._orders))
            self._start_workers()
            self._dispatch()
        return job_id

    def control(self, session: str, job_id: str, action: str, steps: int = 1) -> None:
        """Send pause | resume | step | stop | reset to a job (queued jobs apply it on arrival)."""
        with self._lock:
            record = self._mine(session, job_id)
            if record is None or record.state in ("done", "failed"):
                return
            message = (action, steps) if action == "step" else (action,)
            if record.worker is None:
                record.first = self._fold(record.first, message)
                if action == "stop":  # never started: it ends here, with nothing trained
                    record.state, record.result = "done", ("stopped", 0, 0.0)
                    self._changed.notify_all()
                return
            # Shown at once; the worker's reports take over once they include this control.
            record.state = {"pause": "paused", "resume": "running", "step": "paused"}.get(action, record.state)
            record.controls += 1
            self._inboxes[record.worker].put(("control", job_id, message, record.controls))

    def set_pace(self, session: str, job_id: str, pace: tuple[int, float] | None) -> None:
        """Change a job's pace (see submit); a no-op when it is already that."""
        with self._lock:
            record = self._mine(session, job_id)
            if record is None or record.pace == pace or record.state in ("done", "failed"):
                return
            record.pace = pace
            if record.worker is not None:
                self._inboxes[record.worker].put(("pace", job_id, pace))

    def view(self, session: str, job_id: str) -> JobView | None:
        """The job as last reported (None for an unknown id or another session's job)."""
        with self._lock:
            record = self._mine(session, job_id)
            if record is None:
                return None
            record.seen = time.monotonic()
            waiting = [r.job_id for r in self._waiting()]
            ahead = waiting.index(job_id) if job_id in waiting else None
            history = History.from_dict(record.history.to_dict())  # a copy: the reader thread appends
            return JobView(record.state, record.progress, history, ahead, record.weights, record.error)

    def wait(self, session: str, job_id: str, states: tuple[str, ...], timeout: float) -> JobView | None:
        """Block up to `timeout` s until the job is in one of `states`; the view then."""
        return self._wait_for(session, job_id, lambda record: record.state in states, timeout)

    def wait_applied(self, session: str, job_id: str, timeout: float) -> JobView | None:
        """Block up to `timeout` s until the worker has reported the job with every control sent so far
        applied (or the job has ended); the view then. After a Pause, that report's step is the one
        the run stopped at: steps made before the worker read the Pause arrive with it, not later."""
        return self._wait_for(session, job_id, lambda record: record.state in ("done", "failed")
                              or record.applied >= record.controls, timeout)

    def _wait_for(self, session: str, job_id: str, condition: Callable[[_Record], bool],
                  timeout: float) -> JobView | None:
        """Block up to `timeout` s until `condition(record)` holds (or the job is gone); the view then."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while (record := self._mine(session, job_id)) is not None and not condition(record):
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._changed.wait(left)
        return self.view(session, job_id)

    def result(self, session: str, job_id: str) -> tuple[bytes | None, History, str, int, float] | None:
        """(weights, curves, reason, steps, seconds) of a done job; None before. Forgets the job."""
        with self._lock:
            record = self._mine(session, job_id)
            if record is None or record.result is None:
                return None
            del self._jobs[job_id]
            self._dispatch()
            return (record.weights, record.history, *record.result)

    def forget(self, session: str, job_id: str) -> None:
        """Drop a job wherever it is (its worker frees the slot at once)."""
        with self._lock:
            record = self._mine(session, job_id)
            if record is not None:
                self._drop(record)
                self._dispatch()

    def forget_all(self) -> None:
        """Drop every job (server maintenance; tests start each case from an empty runner)."""
        with self._lock:
            for record in list(self._jobs.values()):
                self._drop(record)

    def stats(self) -> dict:
        """Counts for monitoring and tests: jobs per state and per worker."""
        with self._lock:
            states: dict[str, int] = {}
            for r in self._jobs.values():
                states[r.state] = states.get(r.state, 0) + 1
            return {"jobs": len(self._jobs), "states": states,
                    "per_worker": [self._load(w) for w in range(self.workers)]}

    def close(self) -> None:
        """Stop the workers (tests, and the server shutting down; a second call does nothing)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            for inbox in self._inboxes:
                inbox.put(("quit",))
        for proc in self._procs:
            self._backend.end(proc)
        if self._procs:
            self._reader.join(3.0)  # it sees `_closed` within a second; then the queues may go

    # --- inside the runner (hold self._lock) -----------------------------------------------------

    def _mine(self, session: str, job_id: str) -> _Record | None:
        record = self._jobs.get(job_id)
        return record if record is not None and record.session == session else None

    @staticmethod
    def _fold(first: tuple, message: tuple) -> tuple:
        """The one control a queued job starts with after `message` (the last press wins)."""
        if message[0] == "step":
            return ("step", (first[1] if first[0] == "step" else 0) + message[1])
        return {"pause": ("step", 0), "resume": ("start",), "reset": first}.get(message[0], first)

    def _waiting(self) -> list[_Record]:
        """Queued jobs in the order they will be taken: sessions in turn, each in submission order."""
        queued = sorted((r for r in self._jobs.values() if r.state == "queued" and r.worker is None),
                        key=lambda r: r.order)
        by_session: dict[str, deque] = {}
        for r in queued:
            by_session.setdefault(r.session, deque()).append(r)
        active = {s: sum(r.session == s and r.worker is not None and r.state not in ("done", "failed")
                         for r in self._jobs.values()) for s in by_session}
        # Sessions with fewer jobs in the workers first, then the one whose last job started longest ago.
        turns = sorted(by_session, key=lambda s: (active[s], self._started.get(s, -1), by_session[s][0].order))
        ordered = []
        while any(by_session[s] for s in turns):
            for s in turns:
                if by_session[s]:
                    ordered.append(by_session[s].popleft())
        return ordered

    def _load(self, worker: int) -> int:
        return sum(r.worker == worker and r.state not in ("done", "failed") for r in self._jobs.values())

    def _dispatch(self) -> None:
        """Hand queued jobs to workers with room, least-loaded worker first."""
        if not self._inboxes:
            return
        for record in self._waiting():
            loads = [self._load(w) for w in range(self.workers)]
            worker = min(range(self.workers), key=loads.__getitem__)
            if loads[worker] >= self.per_worker:
                break
            record.worker = worker  # still "queued" until the worker's first report (it builds the run)
            self._started[record.session] = next(self._orders)
            self._inboxes[worker].put(("add", record.job_id, record.session, record.kind, record.setup,
                                       record.payload, record.ship_weights, record.first, record.pace))

    def _drop(self, record: _Record) -> None:
        del self._jobs[record.job_id]
        if record.worker is not None and record.state not in ("done", "failed"):
            self._inboxes[record.worker].put(("drop", record.job_id))

    def _drop_idle(self) -> None:
        now = time.monotonic()
        for record in list(self._jobs.values()):
            limit = max(self.idle_s, PAUSED_IDLE_S) if record.state == "paused" else self.idle_s
            if now - record.seen > limit:
                self._drop(record)
        self._dispatch()

    def _start_workers(self) -> None:
        if self._procs or self._closed:
            return
        self._backend = make_backend(self.backend_name)
        self._outbox = self._backend.queue()
        for w in range(self.workers):
            inbox = self._backend.queue()
            self._inboxes.append(inbox)
            self._procs.append(self._spawn(inbox, w))
        self._reader = threading.Thread(target=self._read, name="playground-job-reader", daemon=True)
        self._reader.start()
        # Closed before multiprocessing's own exit handler kills the workers (atexit runs the last
        # registered first): else the reader would see them dead and spawn new ones while the
        # interpreter exits, which then fail to start ("EOFError: Ran out of input" after pytest).
        atexit.register(self.close)

    def _spawn(self, inbox, w: int):
        return self._backend.spawn(worker_main, (inbox, self._outbox, self.threads, self.slice_s),
                                   f"playground-worker-{w}", self.threads)

    def _check_workers(self) -> None:
        """A worker that died (killed, out of memory) fails its jobs, and a fresh one takes its place."""
        for w, proc in enumerate(self._procs):
            if self._closed or self._backend.alive(proc):
                continue
            for record in self._jobs.values():
                if record.worker == w and record.state not in ("done", "failed"):
                    record.state, record.error, record.result = "failed", "the worker process ended", ("failed", 0, 0.0)
            self._inboxes[w] = self._backend.queue()
            self._procs[w] = self._spawn(self._inboxes[w], w)
        self._dispatch()

    def _read(self) -> None:
        """The reader thread: apply the workers' reports to the records."""
        housekept = time.monotonic()
        while True:
            try:
                message = self._outbox.get(timeout=1.0)
            except queue.Empty:
                if self._closed:
                    return
                message = None
            except Exception:  # noqa: BLE001 — the queue is gone (shutdown): the reader ends with it
                if self._closed:
                    return
                raise
            with self._lock:
                if message is not None:
                    self._apply(message)
                if time.monotonic() - housekept >= 1.0:  # once a second: dead workers, abandoned jobs
                    housekept = time.monotonic()
                    self._check_workers()
                    self._drop_idle()
                self._changed.notify_all()

    def _apply(self, message: tuple) -> None:
        kind, job_id = message[0], message[1]
        record = self._jobs.get(job_id)
        if record is None:
            return
        if kind == "progress":
            _, _, state, progress, version, delta, weights, applied = message
            record.applied = max(record.applied, applied)
            if record.state not in ("done", "failed") and applied >= record.controls:
                record.state = state  # (a report from before the last press does not undo it)
            record.progress = progress
            record.history = _merge(record.history, record.history_version, version, delta)
            record.history_version = version
            if weights is not None:
                record.weights = weights
        elif kind == "done":
            _, _, progress, history, weights, reason, steps, seconds = message
            record.state, record.progress, record.history = "done", progress, history
            record.weights, record.result = weights, (reason, steps, seconds)
            self._dispatch()
        elif kind == "failed":
            record.state, record.error, record.result = "failed", message[2], ("failed", 0, 0.0)
            self._dispatch()


def _merge(history: History, old_version: int, version: int, delta: dict) -> History:
    """Apply a worker's history report: appended points, or (after thinning) the whole history."""
    if version != old_version or delta.get("full"):
        return History.from_dict(delta["series"])
    for name, values in delta["series"].items():
        getattr(history, name).extend(values)
    return history


# ------------------------------------------------------------------------------- the worker process

@dataclass
class _Job:
    job_id: str
    session: str
    run: LiveRun
    ship_weights: bool
    sent: dict = field(default_factory=dict)   # series name -> points already reported
    version: int = 0                            # bumps when the history was thinned (report it whole)
    served: float = 0.0                         # when it last had a slice (its session's turn)
    applied: int = 0                            # controls applied so far
    last: dict = field(default_factory=dict)    # the last step numbers reported (thinning check)
    pace: tuple[int, float] | None = None       # (steps, seconds) while running (see JobRunner.submit)
    due: float = 0.0                            # a paced job's next slice may start then (monotonic)

    def ready(self, now: float) -> bool:
        """Has work it may do now (a paced running job waits for its next period; single steps do not)."""
        return self.run.wants_compute and (self.pace is None or self.run.state != "running" or now >= self.due)

    def max_steps(self) -> int | None:
        return self.pace[0] if self.pace is not None and self.run.state == "running" else None


def _report(job: _Job) -> tuple:
    """A progress message with the points added since the last one (or everything after thinning)."""
    series = job.run.history.to_dict()
    # Thinning halves a series: it shows as a shorter series, or (after many new points) as another
    # value where the last reported step number was.
    thinned = any(len(values) < job.sent.get(name, 0) for name, values in series.items()) or any(
        job.sent.get(name) and series[name][job.sent[name] - 1] != job.last.get(name)
        for name in ("step", "eval_step"))
    if thinned:
        job.version += 1
        delta = {"full": True, "series": series}
    else:
        delta = {"series": {name: values[job.sent.get(name, 0):] for name, values in series.items()}}
    job.sent = {name: len(values) for name, values in series.items()}
    job.last = {name: series[name][-1] if series[name] else None for name in ("step", "eval_step")}
    weights = weights_bytes(job.run.model) if job.ship_weights else None
    return ("progress", job.job_id, job.run.state, job.run.progress(), job.version, delta, weights, job.applied)


def _done(job: _Job) -> tuple:
    result = job.run.finish()
    return ("done", job.job_id, job.run.progress(), result.history, weights_bytes(result.model),
            result.reason, result.steps, result.seconds)


def _control(run: LiveRun, message: tuple) -> None:
    action = message[0]
    if action == "step":
        run.step(message[1]) if message[1] else run.pause()
    else:
        getattr(run, action)()


def worker_main(inbox, outbox, threads: int, slice_s: float, parent: int | None = None, nice: int = 0) -> None:
    """A worker process: build the jobs it is given, train them a slice at a time, sessions in turn.
    It exits when told to, or when the server that started it has gone (killed, not shut down).
    `nice` lowers its CPU priority by that much (see core.job_backends.LOCAL_WORKER_NICE)."""
    if nice:
        os.nice(nice)
    torch.set_num_threads(threads)
    warm_up()
    jobs: dict[str, _Job] = {}
    turn: deque[str] = deque()  # sessions, rotated after each slice
    checked = [0.0]

    def message_waiting() -> bool:
        """A slice ends at the next step once a message waits (a Stop wins at once); asked at most
        every 20 ms, since on Ray a queue's empty() is a call to another process."""
        now = time.monotonic()
        if now - checked[0] < 0.02:
            return False
        checked[0] = now
        return not inbox.empty()

    def handle(message: tuple) -> bool:
        if message[0] == "quit":
            return False
        if message[0] == "add":
            _, job_id, session, kind, setup, payload, ship, first, pace = message
            try:
                run = resolve(kind)(setup, payload)
                _control(run, first)
            except Exception as exc:  # a broken setup fails its own job, never the worker
                outbox.put(("failed", job_id, f"{type(exc).__name__}: {exc}"[:300]))
                return True
            jobs[job_id] = job = _Job(job_id, session, run, ship, pace=pace)
            release_free_memory()  # the build's temporaries (a first job loads its dataset)
            if session not in turn:
                turn.append(session)
            outbox.put(_report(job))
        elif message[0] == "drop":
            jobs.pop(message[1], None)
        elif message[0] == "pace" and message[1] in jobs:
            jobs[message[1]].pace = message[2]
        elif message[0] == "control" and message[1] in jobs:
            job = jobs[message[1]]
            try:
                _control(job.run, message[2])
            except Exception as exc:  # noqa: BLE001 — the job fails, not the worker
                fail(job, exc)
                return True
            job.applied = message[3]
            finish(job)
        return True

    def fail(job: _Job, exc: Exception) -> None:
        outbox.put(("failed", job.job_id, f"{type(exc).__name__}: {exc}"[:300]))
        jobs.pop(job.job_id, None)

    def finish(job: _Job) -> None:
        """Report the job; a done one goes back whole and leaves the worker."""
        try:
            if job.run.done:
                outbox.put(_done(job))
                del jobs[job.job_id]
            else:
                outbox.put(_report(job))
        except Exception as exc:  # noqa: BLE001
            fail(job, exc)

    while True:
        now = time.monotonic()
        runnable = any(j.ready(now) for j in jobs.values())
        # Nothing to do now: sleep until a message, the next paced job's period, or 1 s (orphan check).
        waits = [j.due - now for j in jobs.values() if j.run.wants_compute and not j.ready(now)]
        try:
            message = inbox.get_nowait() if runnable else inbox.get(timeout=min([1.0, *waits]))
        except queue.Empty:
            if not runnable and parent is not None and os.getppid() != parent:
                return  # orphaned: the server is gone
            message = None
        if message is not None:
            if not handle(message):
                return
            continue
        if not runnable:
            continue
        job = _next_job(jobs, turn, now)
        if job is None:  # (cannot happen: every job's session is in the rotation) never spin on it
            turn.extend({j.session for j in jobs.values()} - set(turn))
            continue
        try:
            if job.pace is not None:
                job.due = now + job.pace[1]
            job.run.advance(max_steps=job.max_steps(), max_seconds=slice_s, yield_to=message_waiting)
        except Exception as exc:  # noqa: BLE001 — a run that breaks mid-training fails alone
            fail(job, exc)
            continue
        job.served = time.monotonic()
        finish(job)


def warm_up() -> None:
    """Take one optimizer step on a throwaway parameter, so that a new worker has paid torch.optim's
    one-off cost before its first job arrives.

    Why: the first step() in a process imports torch._dynamo (~800 modules: ~1 s on this 2-core
    machine, longer at the worker's lower priority under load). A worker starts with the app's first
    visit; without this it paid that cost inside its first jobs' first slice, and in bench.workshop
    at N = 20 the first eight learners saw "step 0/171" for 3.0-3.7 s after pressing Start.
    """
    weight = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([weight], lr=0.1)
    weight.sum().backward()
    optimizer.step()
    optimizer.zero_grad()


def _next_job(jobs: dict[str, _Job], turn: deque, now: float) -> _Job | None:
    """The next session in turn that has work it may do now, and its least recently served job."""
    for _ in range(len(turn)):
        session = turn.popleft()
        if any(j.session == session for j in jobs.values()):
            turn.append(session)  # still here: back of the line
        mine = [j for j in jobs.values() if j.session == session and j.ready(now)]
        if mine:
            return min(mine, key=lambda j: j.served)
    return None


# ------------------------------------------------------------------------------- a run, remotely

class RemoteRun:
    """A LiveRun whose training happens in the job runner: the same controls, state, progress,
    history and finish() for ui/live.py, but nothing computes in the session.

    Until Start (or Step) it holds the run built locally, so a page can draw the untrained model;
    Start submits the same setup, and the worker builds the same run from the same seed. With
    `ship_weights` each report carries the weights, loaded into the local model for drawing."""

    def __init__(self, runner: JobRunner, session: str, kind: str, setup: Any, payload: Any = None,
                 *, ship_weights: bool = False, local: LiveRun | None = None):
        self.runner, self.session, self.kind, self.payload, self.ship_weights = runner, session, kind, payload, ship_weights
        # The same run built here (the page may pass one made from its cached data) for drawing the start.
        self.local = local if local is not None else resolve(kind)(setup, payload)
        self.setup = self.local.setup
        self.total_steps, self.epochs, self.steps_per_epoch = (
            self.local.total_steps, self.local.epochs, self.local.steps_per_epoch)
        self.job_id: str | None = None
        self.pace: tuple[int, float] | None = None  # see JobRunner.submit; the panel sets it from the page's speed
        self._view: JobView | None = None
        self._result: tuple | None = None
        self.refused: JobRefused | None = None   # why the last Start was not taken (the panel says it)

    # --- what the panel reads ----------------------------------------------------------------

    @property
    def state(self) -> str:
        if self._result is not None:
            return "done"
        if self._view is None:
            return self.local.state
        return {"failed": "done"}.get(self._view.state, self._view.state)

    @property
    def done(self) -> bool:
        return self.state == "done"

    wants_compute = False  # the workers compute; the session only reads

    @property
    def history(self) -> History:
        """The worker's curves once it has reported (before that, the local run's: its first point)."""
        reported = self._view is not None and (self._view.progress is not None or self._view.history.step)
        return self._view.history if reported else self.local.history

    @property
    def model(self) -> Any:
        return self.local.model

    @property
    def error(self) -> str | None:
        """Why the job failed (a worker's one-line exception), else None."""
        return self._view.error if self._view is not None and self._view.state == "failed" else None

    @property
    def queue_ahead(self) -> int | None:
        """Jobs ahead of this one while it waits for a worker (None when it is not queued)."""
        return self._view.queue_ahead if self._view is not None else None

    def progress(self) -> Progress:
        """The worker's last progress (the local run's before the first report), in this run's state."""
        known = self._view.progress if self._view is not None and self._view.progress is not None else None
        p = known or self.local.progress()
        failed = self._view is not None and self._view.state == "failed"
        return replace(p, state=self.state, reason="failed" if failed else p.reason)

    def refresh(self) -> None:
        """Read the job's latest report (and weights, if shipped)."""
        if self.job_id is None or self._result is not None:
            return
        view = self.runner.view(self.session, self.job_id)
        if view is None:  # dropped (idle too long, or the server restarted): say so, keep what was drawn
            history = self._view.history if self._view is not None else self.local.history
            view = JobView("failed", self._view.progress if self._view else None, history, error="dropped")
        self._view = view
        if view.weights is not None and view.state != "done":
            load_weights(self.local.model, view.weights)

    def wait(self, states: tuple[str, ...], timeout: float) -> None:
        """Block up to `timeout` s for the job to reach one of `states` (a press shows its effect)."""
        if self.job_id is not None:
            self.runner.wait(self.session, self.job_id, states, timeout)
        self.refresh()

    def settle(self, timeout: float) -> None:
        """Block up to `timeout` s until the worker has applied the controls sent (see wait_applied)."""
        if self.job_id is not None:
            self.runner.wait_applied(self.session, self.job_id, timeout)
        self.refresh()

    # --- controls: messages only -------------------------------------------------------------

    def _submit(self, steps: int | None) -> None:
        try:
            self.job_id = self.runner.submit(self.session, self.kind, self.setup, self.payload, steps=steps,
                                             ship_weights=self.ship_weights, pace=self.pace)
            self.refused = None
        except JobRefused as refused:
            self.refused = refused
            return
        self.refresh()

    def start(self) -> None:
        if self.job_id is None and self.local.state == "ready":
            self._submit(None)
        elif self.state == "paused":
            self.resume()

    def pause(self) -> None:
        self._send("pause")

    def resume(self) -> None:
        self._send("resume")

    def step(self, steps: int = 1) -> None:
        if self.job_id is None:
            self._submit(steps)
        else:
            self._send("step", steps)

    def stop(self) -> None:
        if self.job_id is None:
            self.local.stop()
        else:
            self._send("stop")

    def reset(self) -> None:
        self.discard()
        self._view, self._result = None, None
        self.local.reset()

    def discard(self) -> None:
        """Forget the job wherever it is (the page replaced this run): its worker slot is free at once."""
        if self.job_id is not None:
            self.runner.forget(self.session, self.job_id)
        self.job_id = None

    def set_pace(self, steps: int | None, seconds: float) -> None:
        """At most `steps` steps per `seconds` while running (None: as fast as the turns allow)."""
        pace = None if steps is None else (int(steps), float(seconds))
        if pace != self.pace:
            self.pace = pace
            if self.job_id is not None:
                self.runner.set_pace(self.session, self.job_id, pace)

    def _send(self, action: str, steps: int = 1) -> None:
        if self.job_id is not None and not self.done:
            self.runner.control(self.session, self.job_id, action, steps)
            self.refresh()

    def finish(self):
        """The RunResult once the job has ended (stopping it first if needed): weights loaded locally."""
        if self.job_id is None:
            return self.local.finish()
        if self._result is None:
            if self._view is None or self._view.state not in ("done", "failed"):
                self.stop()
                self.wait(("done", "failed"), timeout=30)
            got = self.runner.result(self.session, self.job_id)
            if got is None:
                raise RuntimeError("the job has not ended")
            weights, history, reason, steps, seconds = got
            if weights is not None:
                load_weights(self.local.model, weights)
            self._result = (history, reason, steps, seconds)
        return RunResult(self.local.model, *self._result)
