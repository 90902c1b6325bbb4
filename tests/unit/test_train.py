"""core/train.py: the training engine against torch.optim / lr_scheduler and hand-computed losses."""
import copy
import math
import time

import pytest
import torch
import torch.nn.functional as F
from torch import nn

import core.train as train_module
from core.augment import AugmentConfig
from core.data import ImageDataConfig, load_images
from core.models import build_model, default_config
from core.toy2d import make_toy
from core.train import (OPTIMIZERS, SCHEDULERS, DoneEvent, EvalEvent, StepEvent, TrainConfig, class_weights_for,
                        compute_loss, evaluate, evaluate_with_probs, predict_proba, predicted_class, train)


def mlp(inputs=2, outputs=3, hidden=32, seed=0) -> nn.Module:
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return nn.Sequential(nn.Linear(inputs, hidden), nn.Tanh(), nn.Linear(hidden, outputs))


@pytest.fixture(scope="module")
def blobs():
    x, y = make_toy("blobs", n=240, noise=0.05, classes=3, seed=0)
    xv, yv = make_toy("blobs", n=120, noise=0.05, classes=3, seed=1)
    return x, y, xv, yv


@pytest.fixture(scope="module")
def digits():
    return load_images(ImageDataConfig(name="digits", train_size=320, seed=0))


def run(model, x, y, config, xv=None, yv=None, **kwargs):
    return list(train(model, x, y, config, xv, yv, **kwargs))


def steps(events):
    return [e for e in events if isinstance(e, StepEvent)]


def evals(events):
    return [e for e in events if isinstance(e, EvalEvent)]


def done(events) -> DoneEvent:
    assert isinstance(events[-1], DoneEvent)
    assert sum(isinstance(e, DoneEvent) for e in events) == 1
    return events[-1]


def same_weights(a: nn.Module, b: nn.Module) -> bool:
    return all(torch.equal(p, q) for p, q in zip(a.state_dict().values(), b.state_dict().values()))


# ---------------------------------------------------------------- learning

def test_mlp_learns_blobs(blobs):
    x, y, xv, yv = blobs
    model = mlp()
    before, _ = evaluate(model, xv, yv)
    events = run(model, x, y, TrainConfig(epochs=15, batch_size=32, lr=0.01), xv, yv)
    after, acc = evaluate(model, xv, yv)
    assert after < 0.3 * before
    assert acc > 0.9  # the blobs overlap a little: ~95% is the best any classifier gets
    end = done(events)
    assert end.reason == "completed" and end.step == 15 * 8 and end.epoch == 15
    # Step events are numbered 1..total with the right epoch, and the ETA counts down to 0.
    s = steps(events)
    assert [e.step for e in s] == list(range(1, 121))
    assert [e.epoch for e in s] == [1 + (i // 8) for i in range(120)]
    assert all(e.total_steps == 120 for e in s) and s[-1].eta == 0
    # One validation per epoch by default, each at an epoch's end, reporting the real val metrics.
    v = evals(events)
    assert [e.step for e in v] == [8 * k for k in range(1, 16)] and all(e.end_of_epoch for e in v)
    assert v[-1].val_loss == pytest.approx(after, rel=1e-5) and v[-1].val_acc == pytest.approx(acc)
    assert end.best_val_loss == pytest.approx(min(e.val_loss for e in v))


def test_cnn_learns_tiny_digits(digits):
    model = build_model(default_config("fast_cnn"), seed=0)
    before, acc_before = evaluate(model, digits.x_val, digits.y_val)
    events = run(model, digits.x_train, digits.y_train,
                 TrainConfig(epochs=2, batch_size=32, lr=3e-3), digits.x_val, digits.y_val)
    after, acc = evaluate(model, digits.x_val, digits.y_val)
    assert done(events).reason == "completed"
    assert after < 0.5 * before
    assert acc > 0.7 > acc_before


def test_train_loss_in_eval_event_is_mean_of_its_steps(blobs):
    x, y, *_ = blobs
    events = run(mlp(), x[:50], y[:50], TrainConfig(epochs=2, batch_size=16, eval_every=2))
    window = []
    for e in events:
        if isinstance(e, StepEvent):
            size = 16 if (e.step - 1) % 4 < 3 else 2  # 50 = 16 + 16 + 16 + 2
            window.append((e.loss, size))
        elif isinstance(e, EvalEvent):
            expected = sum(l * n for l, n in window) / sum(n for _, n in window)
            assert e.train_loss == pytest.approx(expected, rel=1e-6)
            assert e.val_loss is None and e.val_acc is None  # no validation set given
            assert 0 <= e.train_acc <= 1
            window = []


# ---------------------------------------------------------------- determinism

def _digits_run(digits, seed):
    model = build_model(default_config("mnist_cnn", width=8, dropout=0.25), seed=0)
    config = TrainConfig(epochs=1, batch_size=32, max_steps=4, lr=1e-3, seed=seed,
                         augment=AugmentConfig(crop_padding=2, rotate_deg=10))
    events = run(model, digits.x_train[:160], digits.y_train[:160], config, digits.x_val, digits.y_val)
    return [e.loss for e in steps(events)], model


def test_same_seed_same_numbers(digits):
    losses_a, model_a = _digits_run(digits, seed=1)
    losses_b, model_b = _digits_run(digits, seed=1)
    losses_c, model_c = _digits_run(digits, seed=2)
    assert losses_a == losses_b  # exactly: same batches, same dropout masks, same augmentation
    assert same_weights(model_a, model_b)
    assert losses_a != losses_c and not same_weights(model_a, model_c)


# ---------------------------------------------------------------- stopping

def test_should_stop_mid_epoch(blobs):
    x, y, *_ = blobs
    stop = []

    def should_stop():  # asked before every step and right after it
        return bool(stop)

    model = mlp()
    events = []
    for event in train(model, x[:100], y[:100], TrainConfig(epochs=2, batch_size=10), should_stop=should_stop):
        events.append(event)
        if isinstance(event, StepEvent) and event.step == 3:
            stop.append(True)  # Stop pressed while step 3 was being shown
    end = done(events)
    assert end.reason == "stopped" and end.step == 3 and end.epoch == 1
    assert len(steps(events)) == 3
    # The model holds exactly the weights of 3 steps (same as a 3-step run).
    reference = mlp()
    run(reference, x[:100], y[:100], TrainConfig(epochs=2, batch_size=10, max_steps=3))
    assert same_weights(model, reference)

def test_a_stop_during_the_step_before_an_evaluation_skips_it(blobs):
    """The evaluation after a step is the slow part of a CNN run (a whole validation pass): a Stop
    pressed during that step ends the run first."""
    x, y, xv, yv = blobs
    stop, events = [], []
    config = TrainConfig(epochs=1, batch_size=10, eval_every=5)
    for event in train(mlp(), x[:100], y[:100], config, xv, yv, should_stop=lambda: bool(stop)):
        events.append(event)
        if isinstance(event, StepEvent) and event.step == 10:  # its evaluation is due right after
            stop.append(True)
    assert [e.step for e in events if isinstance(e, EvalEvent)] == [5]
    assert done(events).reason == "stopped" and done(events).step == 10



def test_should_stop_at_once_leaves_model_untouched(blobs):
    x, y, *_ = blobs
    model, untouched = mlp(), mlp()
    events = run(model, x, y, TrainConfig(epochs=1), should_stop=lambda: True)
    assert events == [events[-1]] and done(events).reason == "stopped" and events[-1].step == 0
    assert same_weights(model, untouched)


def test_generator_close_stops_cleanly(blobs):
    x, y, *_ = blobs
    gen = train(mlp(), x, y, TrainConfig(epochs=1, batch_size=10))
    first = next(gen)
    assert isinstance(first, StepEvent) and first.step == 1
    gen.close()
    with pytest.raises(StopIteration):
        next(gen)


def test_max_steps(blobs):
    x, y, *_ = blobs
    events = run(mlp(), x[:50], y[:50], TrainConfig(epochs=3, batch_size=10, max_steps=7))
    s = steps(events)
    assert [e.step for e in s] == list(range(1, 8)) and all(e.total_steps == 7 for e in s)
    end = done(events)
    assert end.reason == "max_steps" and end.step == 7 and end.epoch == 2
    assert [e.step for e in evals(events)] == [5, 7]  # the epoch end, then the last step
    # A limit beyond the run changes nothing.
    end = done(run(mlp(), x[:50], y[:50], TrainConfig(epochs=1, batch_size=10, max_steps=99)))
    assert end.reason == "completed" and end.step == 5


def test_early_stopping_restores_best_weights():
    # Random labels: the net memorises the training set and the validation loss climbs.
    g = torch.Generator().manual_seed(0)
    x, y = torch.randn(64, 2, generator=g), torch.randint(0, 3, (64,), generator=g)
    xv, yv = torch.randn(64, 2, generator=g), torch.randint(0, 3, (64,), generator=g)
    model = mlp(hidden=64)
    config = TrainConfig(epochs=60, batch_size=16, lr=0.03, eval_every=2, patience=3)
    best, events = None, []
    for event in train(model, x, y, config, xv, yv):
        events.append(event)
        if isinstance(event, EvalEvent) and event.improved:
            best = copy.deepcopy(model.state_dict())
    end = done(events)
    assert end.reason == "early_stopping"
    assert end.step < 60 * 4
    v = evals(events)
    assert [e.improved for e in v[-3:]] == [False, False, False]  # exactly `patience` bad evals
    assert v[-4].improved
    assert end.best_val_loss == pytest.approx(min(e.val_loss for e in v))
    assert end.best_val_loss < v[-1].val_loss
    for name, tensor in model.state_dict().items():
        assert torch.equal(tensor, best[name]), name
    assert evaluate(model, xv, yv)[0] == pytest.approx(end.best_val_loss, rel=1e-6)


# ---------------------------------------------------------------- optimizers and schedulers

@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_optimizer_lowers_the_loss(name, blobs):
    x, y, xv, yv = blobs
    model = mlp()
    before, _ = evaluate(model, x, y)
    events = run(model, x, y, TrainConfig(epochs=8, batch_size=60, optimizer=name, lr=0.05))
    assert done(events).reason == "completed"
    assert evaluate(model, x, y)[0] < 0.7 * before


def _textbook_update(name, w, g, state, lr, mu, wd, t):
    """One step of `name`'s update rule as the papers and torch's docs write it (torch's default eps,
    betas and alpha), written out here independently of core.registry."""
    if name != "adamw":
        g = g + wd * w                                   # L2 penalty folded into the gradient
    if name == "sgd":
        return w - lr * g
    if name in ("momentum", "nesterov"):                 # v ← μv + g (v = g at the first step)
        v = state["v"] = g if t == 1 else mu * state["v"] + g
        return w - lr * (g + mu * v if name == "nesterov" else v)
    if name == "adagrad":                                # s ← s + g²
        s = state["s"] = state.get("s", 0) + g * g
        return w - lr * g / (s.sqrt() + 1e-10)
    if name == "rmsprop":                                # s ← 0.99 s + 0.01 g²
        s = state["s"] = 0.99 * state.get("s", 0) + 0.01 * g * g
        return w - lr * g / (s.sqrt() + 1e-8)
    if name == "adamw":                                  # decoupled decay (Loshchilov & Hutter)
        w = w * (1 - lr * wd)
    m = state["m"] = 0.9 * state.get("m", 0) + 0.1 * g  # Adam (Kingma & Ba), bias-corrected moments
    v = state["v"] = 0.999 * state.get("v", 0) + 0.001 * g * g
    return w - lr * (m / (1 - 0.9 ** t)) / ((v / (1 - 0.999 ** t)).sqrt() + 1e-8)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_optimizer_follows_its_textbook_update(name, blobs):
    # Full-batch training: the engine's weights must equal the update rule applied by hand.
    x, y, *_ = blobs
    config = TrainConfig(epochs=6, batch_size=len(x), optimizer=name, lr=0.02, momentum=0.8, weight_decay=0.03)
    model, reference = mlp(), mlp()
    run(model, x, y, config)
    params = list(reference.parameters())
    states = [{} for _ in params]
    for t in range(1, 7):
        grads = torch.autograd.grad(F.cross_entropy(reference(x), y), params)
        with torch.no_grad():
            for p, g, state in zip(params, grads, states):
                p.copy_(_textbook_update(name, p, g, state, config.lr, config.momentum, config.weight_decay, t))
    for p, q in zip(model.parameters(), reference.parameters()):
        torch.testing.assert_close(p, q, atol=1e-5, rtol=1e-5)


N_SCHED, BS_SCHED, EPOCHS_SCHED = 50, 10, 3  # 5 steps per epoch, 15 steps
SCHED_CONFIG = dict(epochs=EPOCHS_SCHED, batch_size=BS_SCHED, optimizer="sgd", lr=0.1, step_size=1, gamma=0.5)


def _engine_lrs(name, blobs):
    x, y, *_ = blobs
    events = run(mlp(), x[:N_SCHED], y[:N_SCHED], TrainConfig(scheduler=name, **SCHED_CONFIG))
    return [e.lr for e in steps(events)], events


def _closed_form_lr(name, k, total=15, spe=5, lr=0.1, gamma=0.5):
    """The lr used at 0-based step k, from the schedules' textbook formulas."""
    if name == "none":
        return lr
    if name == "step":  # decay by gamma once per epoch (step_size = 1 epoch)
        return lr * gamma ** (k // spe)
    if name == "exponential":  # smooth: gamma per epoch
        return lr * gamma ** (k / spe)
    if name == "cosine":
        return 0.5 * lr * (1 + math.cos(math.pi * k / total))
    if name == "onecycle":  # Smith & Topin: cosine up from lr/25 over the first quarter, then down to lr/25e4
        up = 0.25 * total - 1
        start, end, pct = (lr / 25, lr, k / up) if k <= up else (lr, lr / 25 / 1e4, (k - up) / (total - 1 - up))
        return end + (start - end) / 2 * (1 + math.cos(math.pi * pct))
    raise KeyError(name)


@pytest.mark.parametrize("name", sorted(SCHEDULERS))
def test_scheduler_lr_follows_its_formula(name, blobs):
    lrs, events = _engine_lrs(name, blobs)
    assert len(lrs) == 15 and all(math.isfinite(v) and v >= 0 for v in lrs)
    assert lrs == pytest.approx([_closed_form_lr(name, k) for k in range(15)], rel=1e-6, abs=1e-12)
    if name == "onecycle":  # warm-up to the peak lr a quarter in, then anneal far below the start
        peak = max(range(15), key=lambda k: lrs[k])
        assert lrs[peak] == pytest.approx(0.1, rel=5e-3) and 2 <= peak <= 5
    # The evaluation events report the lr the next step will use.
    for e in evals(events):
        if e.step < 15:
            assert e.lr == pytest.approx(lrs[e.step])


def test_step_scheduler_step_size_in_epochs(blobs):
    x, y, *_ = blobs
    events = run(mlp(), x[:40], y[:40], TrainConfig(epochs=6, batch_size=10, optimizer="sgd", lr=0.2,
                                                    scheduler="step", step_size=2, gamma=0.1))
    by_epoch = {e.epoch: e.lr for e in steps(events)}
    assert by_epoch == pytest.approx({1: 0.2, 2: 0.2, 3: 0.02, 4: 0.02, 5: 0.002, 6: 0.002})


# ---------------------------------------------------------------- gradients and losses

class RecordingSGD(torch.optim.SGD):
    """SGD that records the global gradient norm (and the gradients) it is asked to apply."""

    def __init__(self, params, lr):
        super().__init__(params, lr=lr)
        self.norms, self.grads = [], []

    def step(self, closure=None):
        grads = [p.grad.detach().clone() for g in self.param_groups for p in g["params"] if p.grad is not None]
        self.grads.append(grads)
        self.norms.append(torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads])).item())
        return super().step(closure)


def _recorded_run(blobs, clip):
    x, y, *_ = blobs
    model = mlp(hidden=64)
    with torch.no_grad():
        for p in model.parameters():
            p.mul_(3)  # large weights → large gradients, so clipping has work to do
    opt = RecordingSGD(model.parameters(), lr=0.1)
    run(model, x, y, TrainConfig(epochs=2, batch_size=40, grad_clip=clip), optimizer=opt)
    return opt


def test_grad_clip_really_clips(blobs):
    free = _recorded_run(blobs, clip=0.0)
    clipped = _recorded_run(blobs, clip=0.5)
    assert free.norms[0] > 2.0, "test needs gradients well above the clip"
    assert max(clipped.norms) <= 0.5 * (1 + 1e-5)
    # Same first batch, same weights: the clipped gradient is the free one rescaled, same direction.
    scale = 0.5 / free.norms[0]
    for g_free, g_clip in zip(free.grads[0], clipped.grads[0]):
        torch.testing.assert_close(g_clip, g_free * scale, atol=1e-6, rtol=1e-4)


def test_class_weights_formula_matches_sklearn():
    import numpy as np
    from sklearn.utils.class_weight import compute_class_weight

    y = torch.tensor([0] * 50 + [1] * 30 + [2] * 5)
    ours = class_weights_for(y, 3)
    theirs = compute_class_weight("balanced", classes=np.arange(3), y=y.numpy())
    torch.testing.assert_close(ours, torch.tensor(theirs, dtype=torch.float32))
    # A class absent from the data gets weight 0 (it never appears in a batch anyway).
    assert class_weights_for(y, 5)[3:].tolist() == [0.0, 0.0]


def _imbalanced(seed):
    g = torch.Generator().manual_seed(seed)
    y = (torch.rand(400, generator=g) < 0.08).long()  # ~8% minority class
    x = torch.randn(400, 2, generator=g) * 0.9 + torch.stack([y.float(), y.float()], 1) * 1.0
    return x, y


def test_class_weights_change_the_loss_and_help_the_minority():
    x, y = _imbalanced(0)
    config = TrainConfig(epochs=1, batch_size=len(x), lr=0.01)
    for weighted in (False, True):
        model, fresh = mlp(outputs=2), mlp(outputs=2)
        first = steps(run(model, x, y, TrainConfig(epochs=1, batch_size=len(x), class_weights=weighted)))[0]
        w = torch.tensor([len(y) / (2 * (y == c).sum().item()) for c in (0, 1)]) if weighted else None
        assert first.loss == pytest.approx(F.cross_entropy(fresh(x), y, weight=w).item(), rel=1e-5)
    recall = {}
    for weighted in (False, True):
        model = mlp(outputs=2)
        run(model, x, y, TrainConfig(epochs=30, batch_size=50, lr=0.01, class_weights=weighted))
        xt, yt = _imbalanced(1)
        pred = predicted_class(model(xt).detach())
        recall[weighted] = (pred[yt == 1] == 1).float().mean().item()
    assert recall[True] > recall[False] + 0.2
    assert config.class_weights is False  # default off


def test_class_weights_when_the_data_miss_a_class(blobs):
    # 4 output classes, labels only 0..2 (a small subset can miss the last class).
    x, y, *_ = blobs
    model, fresh = mlp(outputs=4), mlp(outputs=4)
    first = steps(run(model, x, y, TrainConfig(epochs=1, batch_size=len(x), class_weights=True)))[0]
    w = torch.tensor([len(y) / (4 * (y == c).sum().item()) for c in range(3)] + [0.0])
    assert first.loss == pytest.approx(F.cross_entropy(fresh(x), y, weight=w).item(), rel=1e-5)


def test_l1_penalty_added_to_the_loss(blobs):
    x, y, *_ = blobs
    model, fresh = mlp(), mlp()
    first = steps(run(model, x, y, TrainConfig(epochs=1, batch_size=len(x), l1=1e-3)))[0]
    penalty = sum(p.abs().sum() for n, p in fresh.named_parameters() if "weight" in n)
    assert first.loss == pytest.approx((F.cross_entropy(fresh(x), y) + 1e-3 * penalty).item(), rel=1e-5)


def test_compute_loss_against_torch():
    g = torch.Generator().manual_seed(0)
    logits, y = torch.randn(6, 4, generator=g), torch.tensor([0, 3, 1, 1, 2, 0])
    one_hot = torch.eye(4)[y]
    ce = compute_loss(logits, y, TrainConfig())
    assert ce == pytest.approx(-(logits.log_softmax(1)[range(6), y]).mean().item(), rel=1e-6)
    smooth = compute_loss(logits, y, TrainConfig(label_smoothing=0.1))
    target = one_hot * 0.9 + 0.1 / 4
    assert smooth == pytest.approx(-(target * logits.log_softmax(1)).sum(1).mean().item(), rel=1e-6)
    mse = compute_loss(logits, y, TrainConfig(loss="mse"))
    assert mse == pytest.approx(((logits - one_hot) ** 2).mean().item(), rel=1e-6)
    bce = compute_loss(logits, y, TrainConfig(loss="bce"))
    p = torch.sigmoid(logits)
    assert bce == pytest.approx(-(one_hot * p.log() + (1 - one_hot) * (1 - p).log()).mean().item(), rel=1e-5)
    one = logits[:, :1]
    yb = torch.tensor([0, 1, 1, 0, 1, 0])
    p1 = torch.sigmoid(one[:, 0])
    bce1 = compute_loss(one, yb, TrainConfig(loss="bce"))
    assert bce1 == pytest.approx(-(yb * p1.log() + (1 - yb) * (1 - p1).log()).mean().item(), rel=1e-5)
    target = torch.randn(6, generator=g)
    reg = compute_loss(one, target, TrainConfig(loss="mse"))
    assert reg == pytest.approx(((one[:, 0] - target) ** 2).mean().item(), rel=1e-6)
    with pytest.raises(KeyError):
        compute_loss(logits, y, TrainConfig(loss="hinge"))


@pytest.mark.parametrize("loss,outputs", [("mse", 3), ("bce", 3), ("bce", 1)])
def test_other_classification_losses_train(loss, outputs):
    x, y = make_toy("blobs", n=200, noise=0.05, classes=3 if outputs == 3 else 2, seed=0)
    model = mlp(outputs=outputs)
    config = TrainConfig(epochs=20, batch_size=40, lr=0.02, loss=loss)
    before, _ = evaluate(model, x, y, config)
    events = run(model, x, y, config, x, y)
    after, acc = evaluate(model, x, y, config)
    assert after < 0.5 * before and acc > 0.9
    assert evals(events)[-1].val_acc == pytest.approx(acc)


def test_regression_trains():
    g = torch.Generator().manual_seed(0)
    x = torch.rand(200, 1, generator=g) * 2 - 1
    y = torch.sin(3 * x[:, 0])  # float targets → regression
    model = mlp(inputs=1, outputs=1)
    config = TrainConfig(epochs=40, batch_size=40, lr=0.02, loss="mse")
    before, acc = evaluate(model, x, y, config)
    assert acc is None
    events = run(model, x, y, config, x, y)
    after, _ = evaluate(model, x, y, config)
    assert after < 0.1 * before
    assert all(e.train_acc is None and e.val_acc is None for e in evals(events))
    # Several outputs at once: targets (N, 2).
    y2 = torch.stack([y, x[:, 0] ** 2], 1)
    model2 = mlp(inputs=1, outputs=2)
    before2, _ = evaluate(model2, x, y2, config)
    run(model2, x, y2, config)
    assert evaluate(model2, x, y2, config)[0] < 0.2 * before2


# ---------------------------------------------------------------- evaluation events, timing, evaluate()

@pytest.mark.parametrize("every", [0, 3, 5, 7])
def test_eval_every(every, blobs):
    x, y, xv, yv = blobs
    events = run(mlp(), x[:50], y[:50], TrainConfig(epochs=2, batch_size=10, eval_every=every), xv, yv)
    expected = sorted({s for s in range(1, 11) if (every and s % every == 0) or s % 5 == 0})
    v = evals(events)
    assert [e.step for e in v] == expected
    assert [e.end_of_epoch for e in v] == [s % 5 == 0 for s in expected]
    assert [e.epoch for e in v] == [(s - 1) // 5 + 1 for s in expected]
    # Each EvalEvent comes right after the StepEvent of its step.
    for i, e in enumerate(events):
        if isinstance(e, EvalEvent):
            assert isinstance(events[i - 1], StepEvent) and events[i - 1].step == e.step


class FakeClock:
    """perf_counter replacement: each call costs 1 ms; the test adds long 'caller' pauses."""

    def __init__(self):
        self.now = 0.0

    def perf_counter(self):
        self.now += 0.001
        return self.now


def test_elapsed_excludes_caller_time_fake_clock(blobs, monkeypatch):
    x, y, xv, yv = blobs
    clock = FakeClock()
    monkeypatch.setattr(train_module, "time", clock)
    gen = train(mlp(), x[:40], y[:40], TrainConfig(epochs=2, batch_size=10), xv, yv)
    clock.now += 1000  # before the first next(): not training time either
    elapsed = []
    for event in gen:
        elapsed.append(event.elapsed)
        clock.now += 100  # the caller holds the generator for 100 "seconds" each time
    assert elapsed == sorted(elapsed) and elapsed[0] > 0
    assert elapsed[-1] < 1.0  # only the 1 ms ticks inside the engine, none of the 100 s pauses


def test_elapsed_excludes_caller_time_real_sleep(blobs):
    x, y, *_ = blobs
    gen = train(mlp(), x[:40], y[:40], TrainConfig(epochs=1, batch_size=10))
    pause = 0.3
    events = []
    for event in gen:
        events.append(event)
        time.sleep(pause)
    end = done(events)
    assert len(steps(events)) == 4
    assert 0 < end.elapsed < pause * 3  # 4 tiny steps take milliseconds; the 1.5 s of sleeps must not count
    gaps = [b.elapsed - a.elapsed for a, b in zip(steps(events), steps(events)[1:])]
    assert all(gap < pause for gap in gaps)


class Probe(nn.Module):
    """Records, at each forward, whether inference mode was on and whether it was in train mode."""

    def __init__(self):
        super().__init__()
        self.linear = mlp()
        self.seen = []

    def forward(self, x):
        self.seen.append((torch.is_inference_mode_enabled(), self.training))
        return self.linear(x)


@pytest.mark.parametrize("start_training", [True, False])
def test_evaluate_inference_mode_and_restores_mode(start_training, blobs):
    x, y, *_ = blobs
    probe = Probe()
    probe.train(start_training)
    loss, acc = evaluate(probe, x[:10], y[:10], batch_size=3)
    assert probe.seen == [(True, False)] * 4  # 10 samples in batches of 3
    assert probe.training is start_training
    with torch.no_grad():
        logits = probe.linear(x[:10])
    assert loss == pytest.approx(F.cross_entropy(logits, y[:10]).item(), rel=1e-6)
    assert acc == pytest.approx((logits.argmax(1) == y[:10]).float().mean().item())


def test_training_runs_in_train_mode_and_evaluates_in_eval_mode(blobs):
    x, y, xv, yv = blobs
    probe = Probe()
    probe.eval()
    run(probe, x[:20], y[:20], TrainConfig(epochs=1, batch_size=10), xv[:5], yv[:5])
    assert probe.seen == [(False, True), (False, True), (True, False)]


def test_predict_proba(blobs):
    x, *_ = blobs
    model = mlp()
    model.train()
    p = predict_proba(model, x[:7], batch_size=3)
    assert p.shape == (7, 3) and model.training
    torch.testing.assert_close(p, model(x[:7]).softmax(1).detach())
    binary = mlp(outputs=1)
    p = predict_proba(binary, x[:7])
    assert p.shape == (7, 2)
    torch.testing.assert_close(p[:, 1], torch.sigmoid(binary(x[:7])[:, 0]).detach())
    torch.testing.assert_close(p.sum(1), torch.ones(7))


def test_evaluate_with_probs_is_one_pass_with_the_same_numbers(blobs):
    x, y, *_ = blobs
    probe = Probe()
    loss, acc, probs = evaluate_with_probs(probe, x[:10], y[:10], batch_size=4)
    assert len(probe.seen) == 3  # 10 samples in batches of 4, run through once
    with torch.no_grad():
        logits = probe.linear(x[:10])
    assert loss == pytest.approx(F.cross_entropy(logits, y[:10]).item(), rel=1e-6)
    assert acc == pytest.approx((logits.argmax(1) == y[:10]).float().mean().item())
    torch.testing.assert_close(probs, logits.softmax(1))
    assert probe.training  # put back


def test_evaluation_restores_the_training_mode_even_when_the_model_fails():
    from core.train import evaluate

    class Breaks(torch.nn.Module):
        def forward(self, x):
            assert not self.training and torch.is_inference_mode_enabled()
            raise RuntimeError("boom")

    model = Breaks().train()
    with pytest.raises(RuntimeError, match="boom"):
        evaluate(model, torch.zeros(4, 2), torch.zeros(4, dtype=torch.long))
    assert model.training
