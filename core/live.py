"""THE live run: a training run advanced in bounded slices, paused, stepped, stopped, reset.

    run = LiveRun(engine_run(lambda: build_model(cfg), x, y, train_cfg, x_val, y_val))
    run.start()
    while not run.done:
        run.advance(max_seconds=0.4)    # one slice; a UI draws run.history / run.progress() between slices
    result = run.finish()               # the model, the curves, why it ended

Every page that trains live uses this type, and ui/live.py is its one panel. A run wraps a
*factory*: a function that, given a `should_stop` callable, builds a fresh model and the event
iterator that trains it (the engine's `core.train.train`, or any generator of the same events).
Calling the factory again is how `reset()` gets the initial weights back: models are built from a
seed, so a new build is the same start.

Determinism across slices: dropout draws from torch's global generator, which other sessions and
page reruns also use between two slices. Each run keeps its own generator state and restores it
around every slice, so a run paused and resumed (or interleaved with another learner's run) gives
exactly the weights of an uninterrupted run with the same seed.
"""
import threading
import time
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Callable, Iterator

import torch

from core.runtime import single_thread
from core.train import DoneEvent, EvalEvent, Event, StepEvent, TrainConfig, train

MAX_POINTS = 4000  # points kept per series; longer runs keep every other point (curves stay cheap)
STEP_SERIES = ("step", "loss", "lr")
EVAL_SERIES = ("eval_step", "eval_epoch", "train_loss", "train_acc", "val_loss", "val_acc")

# A factory gets the run's stop flag and returns (model, events). `model` is whatever holds the
# weights (an nn.Module for the engine); `events` yields StepEvent / EvalEvent and a DoneEvent last.
Factory = Callable[[Callable[[], bool]], tuple[Any, Iterator[Event]]]
# A measure turns the model into one evaluation (train_loss, train_acc, val_loss, val_acc), taken
# after every slice: for pages whose curves show whole-set losses rather than the engine's evaluations.
Measure = Callable[[Any], tuple[float, float | None, float | None, float | None]]


@dataclass
class History:
    """What the curves draw: the loss and learning rate of every step, and every evaluation."""
    step: list[int] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    eval_step: list[int] = field(default_factory=list)
    eval_epoch: list[float] = field(default_factory=list)   # fractional epochs done at the evaluation
    train_loss: list[float] = field(default_factory=list)
    train_acc: list[float | None] = field(default_factory=list)
    val_loss: list[float | None] = field(default_factory=list)
    val_acc: list[float | None] = field(default_factory=list)

    def add_step(self, event: StepEvent) -> None:
        """Record one step's batch loss and learning rate (thinned past MAX_POINTS)."""
        self.step.append(event.step)
        self.loss.append(event.loss)
        self.lr.append(event.lr)
        self._thin(STEP_SERIES)

    def add_eval(self, step: int, epoch: float, train_loss: float, train_acc: float | None,
                 val_loss: float | None, val_acc: float | None) -> None:
        """Record one evaluation (from the engine, or from a page's measure)."""
        self.eval_step.append(step)
        self.eval_epoch.append(epoch)
        self.train_loss.append(train_loss)
        self.train_acc.append(train_acc)
        self.val_loss.append(val_loss)
        self.val_acc.append(val_acc)
        self._thin(EVAL_SERIES)

    def _thin(self, names: tuple[str, ...]) -> None:
        """Past MAX_POINTS, keep every other point (and the newest): an endless run's curves stay cheap."""
        if len(getattr(self, names[0])) > MAX_POINTS:
            for name in names:
                values = getattr(self, name)
                setattr(self, name, values[:-1:2] + values[-1:])

    def to_dict(self) -> dict:
        """Plain lists (checkpoint metadata, JSON)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "History":
        """Inverse of `to_dict`; fields an older file lacks stay empty, unknown ones are ignored."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: list(v) for k, v in d.items() if k in names})


@dataclass(frozen=True)
class Progress:
    """The numbers of a progress line."""
    state: str                       # ready | running | paused | done
    step: int                        # steps done
    total: int | None                # planned steps (None: open-ended, e.g. the 2-D playground)
    epoch: int                       # current epoch (1-based once training has begun)
    epochs: int | None               # planned epochs (None: open-ended)
    elapsed: float                   # compute seconds so far
    eta: float | None                # compute seconds left at the current pace (None if unknown)
    reason: str | None               # how a done run ended (completed | early_stopping | stopped | max_steps)

    @property
    def fraction(self) -> float:
        """Share of the planned steps done, in [0, 1] (0 for an open-ended run)."""
        return min(1.0, self.step / self.total) if self.total else 0.0


@dataclass
class RunResult:
    """A finished (or stopped) run: the trained weights and the curves, partial ones included."""
    model: Any
    history: History
    reason: str                      # completed | early_stopping | stopped | max_steps
    steps: int
    seconds: float                   # compute time


class LiveRun:
    """One training run, advanced a bounded slice at a time; lives in one learner's session.

    States: ready (built, nothing trained) → running ⇄ paused → done. `step()` trains one step
    from ready or paused; `stop()` ends the run at once (the engine stops before its next step and
    keeps the weights and curves so far); `reset()` rebuilds the initial weights and forgets the
    curves. The control methods only set state, so a button callback never computes; the work
    happens in `advance`, which the caller runs where it may compute (ui/live.py: under the CPU slot).
    """

    def __init__(self, factory: Factory, *, total_steps: int | None = None, epochs: int | None = None,
                 steps_per_epoch: int | None = None, measure: Measure | None = None, one_thread: bool = False,
                 setup: Any = None):
        self.setup = setup  # what the run was made from (the settings may change while it trains)
        self.factory, self.measure, self.one_thread = factory, measure, one_thread
        self._busy = threading.Lock()  # one slice at a time per run, whatever thread asks
        self.total_steps, self.epochs, self.steps_per_epoch = total_steps, epochs, steps_per_epoch
        self._build()

    def _build(self) -> None:
        self.state = "ready"
        self.history = History()
        self.last_step: StepEvent | None = None
        self.done_event: DoneEvent | None = None
        self.pending_steps = 0          # single steps asked for by step()
        self._stop_requested = False
        with torch.random.fork_rng(devices=[]):  # building a model draws from the global generator
            self.model, self._events = self.factory(lambda: self._stop_requested)
            self._rng = torch.get_rng_state()
        if self.measure is not None:
            self._measure()

    # --- controls: state changes only, safe in a button callback -------------------------------

    def start(self) -> None:
        """ready or paused → running (a no-op otherwise, so a double click starts nothing twice)."""
        if self.state in ("ready", "paused"):
            self.state, self.pending_steps = "running", 0  # running continuously: no single steps left over

    def pause(self) -> None:
        """running → paused; the slice computing now is the last one."""
        if self.state == "running":
            self.state = "paused"
        self.pending_steps = 0  # a pause wins over single steps still queued

    def resume(self) -> None:
        """paused → running."""
        if self.state == "paused":
            self.state, self.pending_steps = "running", 0

    def step(self, steps: int = 1) -> None:
        """Ask for `steps` more steps and then a pause (from ready, paused or running)."""
        if self.state != "done":
            self.state = "paused"
            self.pending_steps += steps

    def stop(self) -> None:
        """End the run now: the engine stops before its next step, so ending it costs no compute
        (unless a slice is computing in another thread: that slice then ends after its current step)."""
        if self.state != "done":
            self._stop_requested = True
            self.pending_steps = 0
            self.advance()  # drains the engine's DoneEvent at once (a no-op while another thread advances)

    def reset(self) -> None:
        """Back to the initial weights with no curves (the factory builds them again from the seed)."""
        with self._busy:  # waits for a slice computing in another thread
            close = getattr(self._events, "close", None)
            if close is not None:
                close()
            self._build()

    @property
    def done(self) -> bool:
        return self.state == "done"

    @property
    def wants_compute(self) -> bool:
        """True when `advance` has work to do: running, a single step asked for, or a stop to apply."""
        return self.state != "done" and (self.state == "running" or self.pending_steps > 0 or self._stop_requested)

    # --- work ---------------------------------------------------------------------------------

    def advance(self, max_steps: int | None = None, max_seconds: float | None = None,
                yield_to: Callable[[], bool] | None = None) -> int:
        """Train while allowed: up to `max_steps` steps (None: no limit) and about `max_seconds`
        seconds (at least one step); fewer when paused, a single step is done, the run ends, or
        `yield_to()` turns true after a step (someone is waiting: the slice ends early).
        Returns the steps taken."""
        if not self.wants_compute or not self._busy.acquire(blocking=False):
            return 0
        try:
            return self._advance(max_steps, max_seconds, yield_to)
        finally:
            self._busy.release()

    def _advance(self, max_steps: int | None, max_seconds: float | None,
                 yield_to: Callable[[], bool] | None) -> int:
        single = self.state != "running"  # only the pending single steps (or a stop) to do
        limit = min(self.pending_steps, max_steps) if single and max_steps is not None else (
            self.pending_steps if single else max_steps)
        deadline = None if max_seconds is None else time.perf_counter() + max_seconds
        taken = 0
        with torch.random.fork_rng(devices=[]), (single_thread() if self.one_thread else nullcontext()):
            torch.set_rng_state(self._rng)
            while not self.done and (limit is None or taken < limit or self._stop_requested):
                event = next(self._events)
                if isinstance(event, StepEvent):
                    taken += 1
                    self.last_step = event
                    self.history.add_step(event)
                elif isinstance(event, EvalEvent):
                    if self.measure is None:
                        self.history.add_eval(event.step, self._epochs_done(event.step), event.train_loss,
                                              event.train_acc, event.val_loss, event.val_acc)
                elif isinstance(event, DoneEvent):
                    self.done_event, self.state = event, "done"
                    break
                if isinstance(event, StepEvent) and (
                        (deadline is not None and time.perf_counter() >= deadline)
                        or (yield_to is not None and yield_to())):
                    break
            self._rng = torch.get_rng_state()
            if single:
                self.pending_steps = max(0, self.pending_steps - taken)
            if self.measure is not None and taken:
                self._measure()
        return taken

    def _epochs_done(self, step: int) -> float:
        return step / self.steps_per_epoch if self.steps_per_epoch else float(step)

    def _measure(self) -> None:
        step = self.last_step.step if self.last_step else 0
        self.history.add_eval(step, self._epochs_done(step), *self.measure(self.model))

    def progress(self) -> Progress:
        """Where the run is: state, step, epoch, compute time and the time left at this pace."""
        ev = self.last_step
        step, elapsed = (ev.step, ev.elapsed) if ev else (0, 0.0)
        total = self.total_steps
        eta = elapsed / step * (total - step) if ev and total else None
        if self.done_event is not None:
            elapsed, eta = self.done_event.elapsed, 0.0
        return Progress(self.state, step, total, ev.epoch if ev else 0, self.epochs, elapsed, eta,
                        self.done_event.reason if self.done_event else None)

    def finish(self) -> RunResult:
        """The run's result; an unfinished run is stopped first (its partial curves and weights kept)."""
        if not self.done:
            self.stop()
            self.advance()
        ev = self.done_event
        return RunResult(self.model, self.history, ev.reason, ev.step, ev.elapsed)


def engine_run(build: Callable[[], torch.nn.Module], x_train: torch.Tensor, y_train: torch.Tensor,
               config: TrainConfig, x_val: torch.Tensor | None = None, y_val: torch.Tensor | None = None) -> Factory:
    """A factory for LiveRun over the one training engine (core.train.train) on in-memory tensors."""

    def factory(should_stop: Callable[[], bool]):
        model = build()
        return model, train(model, x_train, y_train, config, x_val, y_val, should_stop=should_stop)

    return factory


def planned_steps(n_train: int, config: TrainConfig) -> int:
    """Steps the engine will take for `n_train` samples under `config` (epochs, batch size, max_steps)."""
    per_epoch = -(-n_train // config.batch_size)
    total = per_epoch * config.epochs
    return min(total, config.max_steps) if config.max_steps else total
