"""core/live.py: the one live run (pause/resume/step/stop/reset, progress, history, measure).

Expected values come from independent computation: the engine (core.train.train) driven directly,
a second LiveRun, torch itself, or arithmetic on the config; never from the code under test.
"""
import json
import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from core.live import History, LiveRun, Progress, RunResult, engine_run, planned_steps
from core.runtime import single_thread
from core.train import EvalEvent, StepEvent, TrainConfig, evaluate, train

N_TRAIN, N_VAL, BATCH = 256, 64, 16
PER_EPOCH = math.ceil(N_TRAIN / BATCH)  # 16


def build() -> nn.Module:
    """A tiny MLP with dropout (so the global RNG matters), the same weights on every call."""
    torch.manual_seed(1234)
    return nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Dropout(0.3), nn.Linear(16, 2))


def blobs(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Two Gaussian blobs, labels 0/1, from a private generator (no global RNG use)."""
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % 2
    centers = torch.tensor([[-1.0, -1.0], [1.0, 1.0]])
    x = centers[y] + 0.8 * torch.randn(n, 2, generator=g)
    return x, y


@pytest.fixture(autouse=True)
def _one_thread():
    """Tiny nets on one torch thread, as the pages run them (LiveRun's one_thread): on a busy 2-core
    machine two OpenMP threads spin against each other and a 48-step run takes seconds, not 50 ms."""
    with single_thread():
        yield


@pytest.fixture(scope="module")
def data():
    x, y = blobs(N_TRAIN, 0)
    xv, yv = blobs(N_VAL, 1)
    return x, y, xv, yv


def config(**kw) -> TrainConfig:
    base = dict(epochs=3, batch_size=BATCH, optimizer="adam", lr=0.01, channels_last=False, seed=7)
    base.update(kw)
    return TrainConfig(**base)


def new_run(data, cfg: TrainConfig | None = None, **kw) -> LiveRun:
    x, y, xv, yv = data
    cfg = cfg or config()
    return LiveRun(engine_run(build, x, y, cfg, xv, yv), **kw)


def params(model: nn.Module) -> list[torch.Tensor]:
    return [p.detach().clone() for p in model.state_dict().values()]


def same_weights(a, b) -> bool:
    a = params(a) if isinstance(a, nn.Module) else a
    b = params(b) if isinstance(b, nn.Module) else b
    return len(a) == len(b) and all(torch.equal(p, q) for p, q in zip(a, b))


def engine_reference(data, cfg: TrainConfig, steps: int | None = None):
    """The engine driven directly, uninterrupted (its own RNG fork): the model after `steps` steps
    (all of them when None) and every event it yielded up to then."""
    x, y, xv, yv = data
    with torch.random.fork_rng(devices=[]):
        model = build()
        events, taken = [], 0
        gen = train(model, x, y, cfg, xv, yv)
        for event in gen:
            events.append(event)
            if isinstance(event, StepEvent):
                taken += 1
                if steps is not None and taken == steps:
                    break
        gen.close()
    return model, events


def step_losses(events) -> list[float]:
    return [e.loss for e in events if isinstance(e, StepEvent)]


def run_to_end(run: LiveRun) -> None:
    run.start()
    while not run.done:
        run.advance()


# ---------------------------------------------------------------- determinism across slices

def test_dropout_makes_the_rng_matter(data):
    """Sanity check of the set-up: the engine's result depends on the global generator between steps,
    so the pause/resume test below really tests the run's RNG handling."""
    x, y, xv, yv = data
    cfg = config()
    reference, _ = engine_reference(data, cfg)
    with torch.random.fork_rng(devices=[]):
        model = build()
        for i, _event in enumerate(train(model, x, y, cfg, xv, yv)):
            if i % 3 == 0:
                torch.rand(1000)  # someone else's draw between two steps
    assert not same_weights(model, reference)


@pytest.mark.parametrize("slicing", ["max_steps", "max_seconds"])
def test_pause_resume_is_bit_identical_to_an_uninterrupted_run(data, slicing):
    cfg = config()
    a = new_run(data, cfg)
    run_to_end(a)

    b = new_run(data, cfg)
    other = new_run(data, config(seed=99))  # another learner's run, interleaved with b
    other.start()
    b.start()
    slices = 0
    while not b.done:
        if slicing == "max_steps":
            b.advance(max_steps=3)
        else:
            b.advance(max_seconds=0)
        slices += 1
        b.pause()
        torch.rand(1000)          # a page rerun or another session drawing from the global generator
        other.advance(max_steps=2)
        assert b.advance() == 0   # paused: nothing happens
        torch.rand(1000)
        b.resume()
    assert slices > 10

    reference, events = engine_reference(data, cfg)
    assert same_weights(a.model, reference)
    assert same_weights(b.model, reference)
    for p, q in zip(a.model.parameters(), b.model.parameters()):
        assert torch.equal(p, q)
    assert b.history.step == a.history.step == list(range(1, planned_steps(N_TRAIN, cfg) + 1))
    assert b.history.loss == a.history.loss == step_losses(events)
    assert b.history.lr == a.history.lr
    evals = [e for e in events if isinstance(e, EvalEvent)]
    assert b.history.eval_step == a.history.eval_step == [e.step for e in evals]
    assert b.history.val_loss == a.history.val_loss == [e.val_loss for e in evals]
    assert b.history.val_acc == a.history.val_acc == [e.val_acc for e in evals]
    assert b.history.train_loss == a.history.train_loss == [e.train_loss for e in evals]
    assert b.done_event.reason == a.done_event.reason == "completed"


def test_a_run_leaves_the_global_generator_alone(data):
    """Building and advancing a run neither consumes nor reseeds the caller's global generator."""
    torch.manual_seed(2024)
    expected = torch.rand(5)
    torch.manual_seed(2024)
    run = new_run(data)
    run.start()
    run.advance(max_steps=5)
    run.stop()
    assert torch.equal(torch.rand(5), expected)


# ---------------------------------------------------------------- stop

@pytest.mark.parametrize("k", [5, PER_EPOCH])  # mid-epoch, and right before an end-of-epoch evaluation
@pytest.mark.parametrize("how", ["running", "paused"])
def test_stop_keeps_the_partial_history_and_weights(data, k, how):
    cfg = config()
    run = new_run(data, cfg)
    run.start()
    assert run.advance(max_steps=k) == k
    if how == "paused":
        run.pause()
    run.stop()
    assert run.done and run.state == "done"
    assert run.done_event.reason == "stopped" and run.done_event.step == k
    assert not run.wants_compute
    assert run.advance() == 0 and run.advance(max_steps=5) == 0
    result = run.finish()
    assert isinstance(result, RunResult)
    assert result.reason == "stopped" and result.steps == k
    assert result.model is run.model and result.history is run.history
    assert run.history.step == list(range(1, k + 1))

    reference, events = engine_reference(data, cfg, steps=k)
    assert same_weights(run.model, reference)
    assert run.history.loss == step_losses(events)
    other = new_run(data, cfg)  # an independent live run stepped exactly k steps
    other.step(k)
    assert other.advance() == k
    assert same_weights(run.model, other.model)


def test_finish_stops_an_unfinished_run(data):
    run = new_run(data)
    run.step(4)
    run.advance()
    result = run.finish()
    assert run.done and result.reason == "stopped" and result.steps == 4
    assert run.history.step == [1, 2, 3, 4]


def test_stop_before_any_step(data):
    run = new_run(data)
    before = params(run.model)
    run.stop()
    assert run.done and run.done_event.reason == "stopped" and run.done_event.step == 0
    assert run.history.step == []
    assert same_weights(run.model, before)


# ---------------------------------------------------------------- reset

def test_reset_restores_initial_weights_and_reproduces_the_run(data):
    cfg = config()
    run = new_run(data, cfg)
    assert same_weights(run.model, build())
    run.start()
    run.advance(max_steps=20)
    first_losses = list(run.history.loss)
    assert not same_weights(run.model, build())

    run.reset()
    assert run.state == "ready" and not run.done and not run.wants_compute
    assert same_weights(run.model, build())
    assert run.history == History()
    assert run.done_event is None and run.last_step is None
    assert run.progress().step == 0 and run.progress().eta is None

    run.start()
    run.advance(max_steps=20)
    assert run.history.loss == first_losses
    while not run.done:
        run.advance()
    reference, events = engine_reference(data, cfg)
    assert run.history.loss == step_losses(events)
    assert same_weights(run.model, reference)


def test_reset_of_a_done_or_stopped_run(data):
    run = new_run(data)
    run.start()
    run.advance(max_steps=3)
    run.stop()
    run.reset()
    assert run.state == "ready" and run.history == History()
    assert same_weights(run.model, build())
    run.step(3)
    assert run.advance() == 3 and run.history.step == [1, 2, 3]


# ---------------------------------------------------------------- step / start / done controls

def test_step_trains_exactly_n_steps_and_pauses(data):
    cfg = config()
    run = new_run(data, cfg)
    run.step(4)                      # from ready
    assert run.state == "paused" and run.wants_compute
    assert run.advance() == 4
    assert run.state == "paused" and not run.wants_compute
    assert run.history.step == [1, 2, 3, 4]
    assert run.advance() == 0

    run.step(3)                      # from paused
    assert run.advance() == 3
    assert run.state == "paused" and run.history.step == list(range(1, 8))

    run.resume()
    run.advance(max_steps=2)
    run.step()                       # from running: one step, then paused
    assert run.state == "paused"
    assert run.advance() == 1
    assert run.state == "paused" and run.history.step == list(range(1, 11))

    reference, _ = engine_reference(data, cfg, steps=10)
    assert same_weights(run.model, reference)


def test_step_past_the_end_finishes_the_run(data):
    cfg = config(epochs=1)
    run = new_run(data, cfg)
    run.step(PER_EPOCH + 10)
    assert run.advance() == PER_EPOCH
    assert run.done and run.done_event.reason == "completed"


def test_start_while_running_is_a_no_op(data):
    cfg = config()
    run = new_run(data, cfg)
    model = run.model
    run.start()
    run.advance(max_steps=3)
    run.start()                      # a double click
    run.start()
    assert run.state == "running"
    assert run.advance(max_steps=3) == 3
    assert run.model is model        # not rebuilt
    assert run.history.step == [1, 2, 3, 4, 5, 6]  # not restarted
    reference, events = engine_reference(data, cfg, steps=6)
    assert same_weights(run.model, reference)
    assert run.history.loss == step_losses(events)


def test_controls_on_a_done_run_do_nothing(data):
    run = new_run(data, config(epochs=1))
    run_to_end(run)
    done_event, weights, history = run.done_event, params(run.model), History.from_dict(run.history.to_dict())
    for control in (run.start, run.pause, run.resume, run.step, lambda: run.step(5), run.stop):
        control()
        assert run.state == "done" and not run.wants_compute
        assert run.advance() == 0
    assert run.done_event is done_event and run.done_event.reason == "completed"
    assert same_weights(run.model, weights)
    assert run.history == history
    assert run.finish().reason == "completed"


# ---------------------------------------------------------------- advance

def test_advance_respects_max_steps_and_max_seconds(data):
    cfg = config()
    run = new_run(data, cfg)
    run.start()
    assert run.advance(max_steps=3) == 3
    assert run.advance(max_steps=1) == 1
    assert run.advance(max_seconds=0) == 1       # no time still means one step
    assert run.advance(max_steps=5, max_seconds=0) == 1
    assert run.advance(max_steps=5, max_seconds=60) == 5
    assert run.advance(max_steps=PER_EPOCH - 11) == PER_EPOCH - 11  # to the end of epoch 1
    assert run.history.eval_step == []           # its evaluation is still to come
    assert run.advance(max_seconds=0) == 1       # that evaluation is no step: still one step
    assert run.history.eval_step == [PER_EPOCH]
    assert run.history.step == list(range(1, PER_EPOCH + 2))
    assert run.advance(max_steps=10_000) == planned_steps(N_TRAIN, cfg) - PER_EPOCH - 1  # to the end, no further
    assert run.done and run.advance(max_steps=3) == 0


def test_yield_to_ends_a_slice_after_the_step_that_sees_it(data):
    run = new_run(data)
    run.start()
    calls = []

    def waiting() -> bool:  # someone starts waiting during the third step
        calls.append(run.history.step[-1])
        return len(calls) >= 3

    assert run.advance(max_seconds=60, yield_to=waiting) == 3
    assert calls == [1, 2, 3]                        # asked once after each step, never before the first
    assert run.advance(max_steps=2, yield_to=lambda: True) == 1  # at least one step, like max_seconds=0


def test_yielding_slices_give_the_same_run(data):
    cfg = config()
    reference, events = engine_reference(data, cfg)
    run = new_run(data, cfg)
    run.start()
    flips = iter([False, True] * 10_000)
    while not run.done:
        run.advance(max_seconds=60, yield_to=lambda: next(flips))
    assert run.history.loss == step_losses(events)
    assert same_weights(run.model, reference)


def test_wants_compute(data):
    run = new_run(data)
    assert run.state == "ready" and not run.wants_compute
    assert run.advance() == 0 and run.history.step == []
    run.start()
    assert run.wants_compute
    run.advance(max_steps=2)
    run.pause()
    assert run.state == "paused" and not run.wants_compute
    assert run.advance() == 0 and run.history.step == [1, 2]
    run.step(1)
    assert run.wants_compute
    run.advance()
    assert not run.wants_compute and run.history.step == [1, 2, 3]


def test_pause_after_resume_drops_pending_single_steps(data):
    run = new_run(data)
    run.step(5)
    assert run.advance(max_seconds=0) == 1  # a time-limited slice: 4 single steps still pending
    run.resume()
    run.advance(max_steps=4)
    run.pause()
    assert not run.wants_compute             # paused, nothing asked since
    assert run.advance() == 0


def test_advance_max_steps_caps_single_steps(data):
    run = new_run(data)
    run.step(10)
    assert run.advance(max_steps=3) == 3
    assert run.state == "paused" and run.wants_compute
    assert run.advance() == 7


# ---------------------------------------------------------------- progress

@pytest.mark.parametrize("n, epochs, batch, max_steps", [(256, 3, 16, 0), (250, 3, 16, 0), (250, 2, 64, 5),
                                                         (100, 2, 16, 1000), (1, 4, 16, 0)])
def test_planned_steps(n, epochs, batch, max_steps):
    cfg = config(epochs=epochs, batch_size=batch, max_steps=max_steps)
    expected = math.ceil(n / batch) * epochs
    if max_steps:
        expected = min(expected, max_steps)
    assert planned_steps(n, cfg) == expected


@pytest.mark.parametrize("n_train, max_steps, reason", [(250, 0, "completed"), (250, 20, "max_steps")])
def test_progress_follows_the_plan(data, n_train, max_steps, reason):
    x, y, xv, yv = data
    x, y = x[:n_train], y[:n_train]
    cfg = config(max_steps=max_steps)
    per_epoch = math.ceil(n_train / BATCH)
    total = min(per_epoch * cfg.epochs, max_steps) if max_steps else per_epoch * cfg.epochs
    assert planned_steps(n_train, cfg) == total
    run = LiveRun(engine_run(build, x, y, cfg, xv, yv), total_steps=planned_steps(n_train, cfg),
                  epochs=cfg.epochs, steps_per_epoch=per_epoch)

    p = run.progress()
    assert isinstance(p, Progress)
    assert (p.state, p.step, p.total, p.epoch, p.epochs, p.reason) == ("ready", 0, total, 0, cfg.epochs, None)
    assert p.eta is None and p.fraction == 0.0 and p.elapsed == 0.0

    run.start()
    p = run.progress()
    assert p.state == "running" and p.eta is None  # nothing done yet: no pace
    for k in (1, 7, per_epoch, per_epoch + 1):
        if k > total:
            break
        run.advance(max_steps=k - run.progress().step)
        p = run.progress()
        assert p.step == k and p.state == "running"
        assert p.epoch == math.ceil(k / per_epoch)
        assert p.fraction == pytest.approx(k / total)
        assert p.elapsed > 0
        assert p.eta == pytest.approx(p.elapsed / k * (total - k))
    run.pause()
    assert run.progress().state == "paused"
    run.resume()
    while not run.done:
        run.advance()
    p = run.progress()
    assert p.state == "done" and p.reason == reason
    assert p.step == total and p.fraction == 1.0 and p.eta == 0.0
    assert len(run.history.step) == total
    assert run.history.eval_epoch == [s / per_epoch for s in run.history.eval_step]
    if not max_steps:
        assert run.history.eval_step == [per_epoch * e for e in range(1, cfg.epochs + 1)]
        assert run.history.eval_epoch == [1.0, 2.0, 3.0]


def test_progress_of_a_stopped_run(data):
    cfg = config()
    run = new_run(data, cfg, total_steps=planned_steps(N_TRAIN, cfg), epochs=cfg.epochs)
    run.start()
    run.advance(max_steps=5)
    run.stop()
    p = run.progress()
    assert p.state == "done" and p.reason == "stopped" and p.step == 5
    assert p.fraction == pytest.approx(5 / (PER_EPOCH * cfg.epochs))


def test_progress_of_an_open_ended_run(data):
    run = new_run(data)  # no total given
    run.start()
    run.advance(max_steps=3)
    p = run.progress()
    assert p.total is None and p.epochs is None and p.eta is None and p.fraction == 0.0 and p.step == 3


# ---------------------------------------------------------------- history

def test_history_round_trip(data):
    run = new_run(data, config(epochs=2))
    run_to_end(run)
    h = run.history
    h.add_eval(999, 1.5, 0.25, None, None, None)  # a regression-style evaluation (no accuracies)
    d = json.loads(json.dumps(h.to_dict()))       # through JSON, as in checkpoint metadata
    back = History.from_dict(d)
    assert back == h
    assert back.val_loss[-1] is None and back.train_acc[-1] is None
    d["step"].append(-1)                          # the lists are copies
    assert back.step == h.step


def test_history_from_an_older_dict_with_unknown_keys():
    d = {"step": [1, 2, 3], "loss": [0.9, 0.8, 0.7], "eval_step": [3], "train_loss": [0.75],
         "train_acc": [0.5], "val_loss": [0.7], "val_acc": [0.6], "from_the_future": [1, 2]}
    h = History.from_dict(d)
    assert h.step == [1, 2, 3] and h.loss == [0.9, 0.8, 0.7]
    assert h.lr == [] and h.eval_epoch == []
    assert (h.eval_step, h.train_loss, h.train_acc, h.val_loss, h.val_acc) == ([3], [0.75], [0.5], [0.7], [0.6])
    assert not hasattr(h, "from_the_future")
    assert History.from_dict({}) == History()


def test_history_thinning_keeps_first_and_newest(monkeypatch):
    import core.live as live

    monkeypatch.setattr(live, "MAX_POINTS", 10)
    h = History()
    for s in range(1, 12):
        h.add_step(StepEvent(s, 1, 100, float(s), 0.1, 0.0))
    assert len(h.step) == len(h.loss) == len(h.lr) <= 10
    assert h.step[0] == 1 and h.step[-1] == 11 and h.step == sorted(h.step)
    assert h.loss == [float(s) for s in h.step]


# ---------------------------------------------------------------- measure

def direct_eval(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    """Loss and accuracy in eval mode, straight from torch."""
    was = model.training
    model.eval()
    with torch.no_grad():
        logits = model(x)
    model.train(was)
    return F.cross_entropy(logits, y).item(), (logits.argmax(1) == y).float().mean().item()


def test_measure_replaces_engine_evaluations(data):
    x, y, xv, yv = data
    cfg = config(epochs=2)
    calls = []

    def measure(model):
        calls.append(model)
        return (*evaluate(model, x, y, cfg), *evaluate(model, xv, yv, cfg))

    run = new_run(data, cfg, measure=measure, steps_per_epoch=PER_EPOCH)
    assert len(calls) == 1 and calls[0] is run.model  # one evaluation at build time, at step 0
    fresh = build()
    expected = [(*evaluate(fresh, x, y, cfg), *evaluate(fresh, xv, yv, cfg))]
    assert run.history.eval_step == [0] and run.history.eval_epoch == [0.0]

    def last_eval(h: History):
        return h.train_loss[-1], h.train_acc[-1], h.val_loss[-1], h.val_acc[-1]

    assert last_eval(run.history) == expected[0]
    steps_at = [0]
    run.start()
    slices_with_steps = 0
    while not run.done:
        taken = run.advance(max_steps=5)  # crosses the end-of-epoch engine evaluation at step 16
        if taken:
            slices_with_steps += 1
            steps_at.append(run.history.step[-1])
            expected.append((*evaluate(run.model, x, y, cfg), *evaluate(run.model, xv, yv, cfg)))
            assert last_eval(run.history) == expected[-1]
            tl, ta = direct_eval(run.model, x, y)
            vl, va = direct_eval(run.model, xv, yv)
            assert last_eval(run.history) == pytest.approx((tl, ta, vl, va), rel=1e-5, abs=1e-6)
        run.pause()
        assert run.advance() == 0         # a slice without a step measures nothing
        run.resume()
    assert len(calls) == 1 + slices_with_steps
    assert run.history.eval_step == steps_at
    assert steps_at[1:4] == [5, 10, 15] and steps_at[-1] == planned_steps(N_TRAIN, cfg)
    assert run.history.eval_epoch == [s / PER_EPOCH for s in steps_at]
    assert list(zip(run.history.train_loss, run.history.train_acc, run.history.val_loss,
                    run.history.val_acc)) == expected


def test_measure_after_stop_and_reset(data):
    x, y, xv, yv = data
    cfg = config()
    calls = []

    def measure(model):
        calls.append(1)
        return (*evaluate(model, x, y, cfg), None, None)

    run = new_run(data, cfg, measure=measure, steps_per_epoch=PER_EPOCH)
    run.step(3)
    run.advance()
    run.stop()                                   # no step taken: no measure
    assert len(calls) == 2 and run.history.eval_step == [0, 3]
    run.reset()
    assert len(calls) == 3 and run.history.eval_step == [0]
    assert run.history.train_loss == [evaluate(build(), x, y, cfg)[0]]
    assert run.history.val_loss == [None]
