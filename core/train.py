"""The one training engine: a generator of progress events that every page drives.

    for event in train(model, x_train, y_train, config, x_val, y_val):
        ...  # StepEvent after every step, EvalEvent/EpochEvent after validation, DoneEvent last

Data are tensors already in memory; a batch is an index slice. The generator can be paused between
any two steps (just stop calling next), stopped (`should_stop` returns True, or `.close()`), and its
`elapsed` counts only time spent computing, not time the caller spent between steps.
"""
import contextlib
import copy
import math
import time
from dataclasses import dataclass, field
from typing import Callable, Iterator

import torch
from torch import nn

from core.augment import AugmentConfig, augment_batch
from core.registry import LOSSES, OPTIMIZERS, SCHEDULERS, float_target

@dataclass(frozen=True)
class TrainConfig:
    epochs: int = 3                  # passes over the training set
    batch_size: int = 128
    optimizer: str = "adam"          # key of core.registry.OPTIMIZERS
    lr: float = 1e-3                 # learning rate (peak rate for onecycle)
    momentum: float = 0.9            # momentum / nesterov only
    weight_decay: float = 0.0        # L2 penalty applied by the optimizer
    l1: float = 0.0                  # L1 penalty on weights, added to the loss
    scheduler: str = "none"          # key of core.registry.SCHEDULERS
    step_size: int = 1               # step scheduler: epochs between decays
    gamma: float = 0.5               # step/exponential scheduler: decay factor per step_size / epoch
    grad_clip: float = 0.0           # clip the global gradient norm to this (0 = off)
    loss: str = "cross_entropy"      # key of core.registry.LOSSES
    label_smoothing: float = 0.0     # cross_entropy only
    class_weights: bool = False      # weight classes by inverse frequency (imbalanced data)
    patience: int = 0                # early stopping: evaluations without improvement (0 = off)
    eval_every: int = 0              # steps between validations (0 = once per epoch)
    augment: AugmentConfig = field(default_factory=AugmentConfig)
    channels_last: bool = True       # faster convolutions on CPU for 4-D inputs
    max_steps: int = 0               # stop after this many steps (0 = no limit; dry runs)
    seed: int = 0                    # shuffling, augmentation, dropout


@dataclass(frozen=True)
class StepEvent:
    step: int                        # 1-based global step
    epoch: int                       # 1-based
    total_steps: int
    loss: float                      # this batch's loss (with the L1 term)
    lr: float                        # learning rate used for this step
    elapsed: float                   # compute seconds since the start

    @property
    def eta(self) -> float:
        """Seconds of compute left at the current pace."""
        return self.elapsed / self.step * (self.total_steps - self.step)


@dataclass(frozen=True)
class EvalEvent:
    step: int
    epoch: int
    train_loss: float                # mean batch loss since the previous evaluation
    train_acc: float | None          # accuracy on those batches (None for regression)
    val_loss: float | None           # None when there is no validation set
    val_acc: float | None
    lr: float
    elapsed: float
    improved: bool                   # best validation loss so far
    end_of_epoch: bool


@dataclass(frozen=True)
class DoneEvent:
    reason: str                      # completed | early_stopping | stopped | max_steps
    step: int
    epoch: int
    best_val_loss: float | None
    elapsed: float


Event = StepEvent | EvalEvent | DoneEvent


def is_classification(y: torch.Tensor) -> bool:
    """Integer labels mean classification; float targets mean regression."""
    return not torch.is_floating_point(y)


def class_weights_for(y: torch.Tensor, num_classes: int) -> torch.Tensor:
    """Inverse-frequency weights n / (k * count), sklearn's "balanced": 1 on average per sample (absent classes: 0)."""
    counts = torch.bincount(y, minlength=num_classes).float()
    weights = torch.where(counts > 0, counts.sum() / (num_classes * counts.clamp_min(1)), 0.0)
    return weights


def compute_loss(logits: torch.Tensor, y: torch.Tensor, config: TrainConfig,
                 weight: torch.Tensor | None = None) -> torch.Tensor:
    """Loss of a batch (registry.LOSSES[config.loss]). Classification labels are one-hot encoded for mse and bce."""
    entry = LOSSES[config.loss]
    if entry.labels:
        return entry.build(logits, y, weight=weight, label_smoothing=config.label_smoothing)
    return entry.build(*float_target(logits, y))


def predicted_class(logits: torch.Tensor) -> torch.Tensor:
    """Class index per row; a single logit means binary (threshold at 0)."""
    return (logits[:, 0] > 0).long() if logits.shape[1] == 1 else logits.argmax(1)


def _prepare(x: torch.Tensor, channels_last: bool) -> torch.Tensor:
    return x.contiguous(memory_format=torch.channels_last) if channels_last and x.ndim == 4 else x


@contextlib.contextmanager
def evaluating(model: nn.Module):
    """Eval mode (dropout off, BatchNorm running stats) under inference_mode; the model's own mode
    comes back afterwards, even when the body raises (a page may be evaluating a model mid-training)."""
    was_training = model.training
    model.eval()
    try:
        with torch.inference_mode():
            yield model
    finally:
        model.train(was_training)


# Images per forward pass when evaluating (no autograd). `python -m bench.eval_batch`, the CNN lab's
# default model on the 2,000 MNIST test images, this 2-core CPU: a pass takes 0.33 x the time at 128
# that it takes at 1024 (0.36 x on one thread), and adds 47 MB to the process's peak memory against
# 184 MB. Small batches stay in the CPU caches, and a workshop server evaluates every finished run
# in the app process, where big batches' activations raised its peak. (64 is as fast again, but
# gives small 2-D sets more passes for nothing.)
EVAL_BATCH = 128


def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, config: TrainConfig | None = None,
             batch_size: int = EVAL_BATCH) -> tuple[float, float | None]:
    """Mean loss and accuracy (None for regression) over a dataset, in eval mode, no autograd."""
    loss, accuracy, _ = _sweep(model, x, y, config or TrainConfig(), batch_size, keep_logits=False)
    return loss, accuracy


def evaluate_with_probs(model: nn.Module, x: torch.Tensor, y: torch.Tensor, config: TrainConfig | None = None,
                        batch_size: int = EVAL_BATCH) -> tuple[float, float | None, torch.Tensor]:
    """evaluate() and predict_proba() in one pass over the data (a test set is run through once)."""
    loss, accuracy, logits = _sweep(model, x, y, config or TrainConfig(), batch_size, keep_logits=True)
    return loss, accuracy, _probabilities(logits)


def _sweep(model: nn.Module, x: torch.Tensor, y: torch.Tensor, config: TrainConfig, batch_size: int,
           keep_logits: bool) -> tuple[float, float | None, torch.Tensor | None]:
    total_loss, correct, kept = 0.0, 0, []
    with evaluating(model):
        for i in range(0, len(x), batch_size):
            xb, yb = _prepare(x[i:i + batch_size], config.channels_last), y[i:i + batch_size]
            logits = model(xb)
            total_loss += compute_loss(logits, yb, config).item() * len(xb)
            if is_classification(yb):
                correct += (predicted_class(logits) == yb).sum().item()
            if keep_logits:
                kept.append(logits)
    n = max(1, len(x))
    return total_loss / n, (correct / n if is_classification(y) else None), (torch.cat(kept) if keep_logits else None)


def predict_proba(model: nn.Module, x: torch.Tensor, batch_size: int = EVAL_BATCH) -> torch.Tensor:
    """Class probabilities (N, classes) in eval mode (softmax, or sigmoid for one logit)."""
    with evaluating(model):
        logits = torch.cat([model(_prepare(x[i:i + batch_size], True)) for i in range(0, len(x), batch_size)])
    return _probabilities(logits)


def _probabilities(logits: torch.Tensor) -> torch.Tensor:
    if logits.shape[1] == 1:
        p1 = torch.sigmoid(logits)
        return torch.cat([1 - p1, p1], 1)
    return logits.softmax(1)


def make_optimizer(model: nn.Module, config: TrainConfig) -> torch.optim.Optimizer:
    """The optimizer named by `config.optimizer`, over the model's parameters."""
    return OPTIMIZERS[config.optimizer].build(model.parameters(), lr=config.lr, momentum=config.momentum,
                                              weight_decay=config.weight_decay)


def train(model: nn.Module, x_train: torch.Tensor, y_train: torch.Tensor, config: TrainConfig,
          x_val: torch.Tensor | None = None, y_val: torch.Tensor | None = None,
          should_stop: Callable[[], bool] = lambda: False,
          optimizer: torch.optim.Optimizer | None = None) -> Iterator[Event]:
    """Train `model` in place, yielding a StepEvent per step, an EvalEvent per validation, a DoneEvent last.

    With `patience` > 0, training stops after that many validations without a better validation
    loss and the best weights are put back into the model.
    """
    clock, started = 0.0, time.perf_counter()
    torch.manual_seed(config.seed)  # dropout draws from the global generator
    generator = torch.Generator().manual_seed(config.seed)
    n = len(x_train)
    steps_per_epoch = math.ceil(n / config.batch_size)
    total = steps_per_epoch * config.epochs
    if config.max_steps:
        total = min(total, config.max_steps)
    if config.channels_last and x_train.ndim == 4:
        model = model.to(memory_format=torch.channels_last)
    optimizer = optimizer or make_optimizer(model, config)
    scheduler = SCHEDULERS[config.scheduler].build(optimizer, config.lr, config.step_size, config.gamma,
                                                   steps_per_epoch, max(1, total))
    classify = is_classification(y_train)
    weight = None  # class weights: made at the first batch, sized by the model's outputs
    wants_weights = classify and config.class_weights and config.loss == "cross_entropy"
    has_val = x_val is not None and y_val is not None and len(x_val) > 0
    best_loss, best_state, bad_evals = math.inf, None, 0
    run_loss, run_correct, run_seen = 0.0, 0, 0
    step = 0

    def tick() -> float:  # add the time since the last resume to the compute clock
        nonlocal clock, started
        now = time.perf_counter()
        clock += now - started
        started = now
        return clock

    def done(reason: str, epoch: int) -> DoneEvent:
        if best_state is not None:
            model.load_state_dict(best_state)
        return DoneEvent(reason, step, epoch, None if best_loss == math.inf else best_loss, tick())

    model.train()
    for epoch in range(1, config.epochs + 1):
        order = torch.randperm(n, generator=generator)
        for i in range(0, n, config.batch_size):
            if should_stop():
                yield done("stopped", epoch)
                return
            idx = order[i:i + config.batch_size]
            xb, yb = x_train[idx], y_train[idx]
            if config.augment.active and xb.ndim == 4:
                xb = augment_batch(xb, config.augment, generator)
            xb = _prepare(xb, config.channels_last)
            lr = optimizer.param_groups[0]["lr"]
            logits = model(xb)
            if wants_weights and weight is None:  # not y.max() + 1: the data may miss the last classes
                weight = class_weights_for(y_train, logits.shape[1])
            loss = compute_loss(logits, yb, config, weight)
            if config.l1:
                loss = loss + config.l1 * sum(p.abs().sum() for n_, p in model.named_parameters() if "weight" in n_)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            if config.grad_clip:
                nn.utils.clip_grad_norm_(model.parameters(), config.grad_clip)
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
            step += 1
            run_loss += loss.item() * len(idx)
            run_seen += len(idx)
            if classify:
                run_correct += (predicted_class(logits.detach()) == yb).sum().item()
            started_yield = tick()
            yield StepEvent(step, epoch, total, loss.item(), lr, started_yield)
            started = time.perf_counter()  # pause the clock while the caller had control
            if should_stop():  # a Stop pressed during that step wins before any evaluation (~0.5 s on a busy core)
                yield done("stopped", epoch)
                return

            end_of_epoch = i + config.batch_size >= n
            last = step >= total
            if end_of_epoch or last or (config.eval_every and step % config.eval_every == 0):
                val_loss, val_acc = evaluate(model, x_val, y_val, config) if has_val else (None, None)
                monitored = val_loss if val_loss is not None else run_loss / max(1, run_seen)
                improved = monitored < best_loss - 1e-6
                if improved:
                    best_loss, bad_evals = monitored, 0
                    if config.patience:
                        best_state = copy.deepcopy(model.state_dict())
                else:
                    bad_evals += 1
                yield EvalEvent(step, epoch, run_loss / max(1, run_seen),
                                run_correct / max(1, run_seen) if classify else None,
                                val_loss, val_acc, optimizer.param_groups[0]["lr"], tick(), improved, end_of_epoch)
                started = time.perf_counter()
                run_loss, run_correct, run_seen = 0.0, 0, 0
                if config.patience and bad_evals >= config.patience:
                    yield done("early_stopping", epoch)
                    return
            if last and config.max_steps and step >= config.max_steps and step < steps_per_epoch * config.epochs:
                yield done("max_steps", epoch)
                return
    yield done("completed", config.epochs)
