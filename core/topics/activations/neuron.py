"""One artificial neuron: a = f(w·x + b), by hand, and trained on a 2-D toy set two ways.

- The perceptron rule (Rosenblatt): step activation; for each misclassified point,
  w ← w + η (y − ŷ) x and b ← b + η (y − ŷ). It stops when every point is right, which happens
  only if a straight line can separate the classes.
- Sigmoid + gradient descent: the same neuron with a sigmoid output, full-batch SGD on the binary
  cross-entropy, run by the playground's one training engine (core/train.py).

Both trainers advance one epoch (one pass over the data) per `advance()` call and expose the
current w (2,), b and a history; `neuron_run` wraps either in the one live run (core.live), which
the page's live panel animates a few epochs per refresh.
"""
import time
from dataclasses import dataclass, field
from typing import Iterator

import torch
from torch import nn

from core.topics.activations.functions import ACTIVATIONS, DEFAULT_SLOPE
from core.toy2d import make_toy
from core.live import LiveRun
from core.train import DoneEvent, EvalEvent, Event, StepEvent, TrainConfig, train

# The tutorials' perceptron example: three inputs, three weights, one bias.
TUTORIAL_INPUTS = (0.5, 0.3, 0.8)
TUTORIAL_WEIGHTS = (0.2, 0.4, -0.1)
TUTORIAL_BIAS = 0.1


@dataclass(frozen=True)
class NeuronOutput:
    products: tuple[float, ...]      # w_i * x_i, one per input
    z: float                         # pre-activation w·x + b
    a: float                         # activation f(z)
    slope: float                     # f'(z): how much a moves per unit of z


def forward(x: tuple[float, ...], w: tuple[float, ...], b: float, activation: str,
            slope: float = DEFAULT_SLOPE) -> NeuronOutput:
    """z = w·x + b and a = f(z) for one neuron, computed with torch in float64."""
    if len(x) != len(w):
        raise ValueError(f"{len(x)} inputs but {len(w)} weights")
    xt, wt = torch.tensor(x, dtype=torch.float64), torch.tensor(w, dtype=torch.float64)  # (n,)
    products = wt * xt
    z = products.sum() + b
    act = ACTIVATIONS[activation]
    return NeuronOutput(tuple(products.tolist()), float(z), float(act.f(z, slope)), float(act.df(z, slope)))


def equation_latex(x: tuple[float, ...], w: tuple[float, ...], b: float, out: NeuronOutput) -> tuple[str, str]:
    """LaTeX of the two lines the page writes under the diagram, with the actual numbers.

    "z = w·x + b = (w1)(x1) + … + (b) = z" and "a = f(z) = f(z) = a, f'(z) = …".
    """
    terms = " + ".join(f"({wi:g})({xi:g})" for wi, xi in zip(w, x))
    z_line = rf"z = \mathbf w \cdot \mathbf x + b = {terms} + ({b:g}) = {out.z:.4f}"
    a_line = rf"a = f(z) = f({out.z:.4f}) = {out.a:.4f}, \qquad f'(z) = {out.slope:.4f}"
    return z_line, a_line


# --- training on a toy set ---------------------------------------------------------------------

NEURON_DATASETS = ("blobs", "moons", "circles", "xor")  # keys of core.toy2d.TOY_DATASETS, 2 classes


@dataclass(frozen=True)
class NeuronTrainConfig:
    dataset: str = "blobs"           # one of NEURON_DATASETS
    method: str = "perceptron"       # key of TRAINERS
    lr: float = 0.1                  # η: step size of either rule
    n: int = 200                     # points in the toy set
    noise: float = 0.1               # toy-set noise (standard deviation)
    max_epochs: int = 300            # stop after this many passes even if not converged
    seed: int = 0                    # data, initial weights, sample order


@dataclass(frozen=True)
class EpochRecord:
    epoch: int                       # 1-based pass over the data
    loss: float                      # perceptron: misclassified fraction; sigmoid: BCE
    accuracy: float                  # share of points on the right side of the line after the epoch


def toy_data(config: NeuronTrainConfig) -> tuple[torch.Tensor, torch.Tensor]:
    """The config's toy set: X (n, 2) float32, y (n,) int64 in {0, 1}."""
    return make_toy(config.dataset, n=config.n, noise=config.noise, classes=2, seed=config.seed)


def _initial_weights(seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return torch.randn(2, generator=g) * 0.5, torch.zeros(())  # small random line through the origin


def _accuracy(x: torch.Tensor, y: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> float:
    return float((((x @ w + b) >= 0).long() == y).double().mean())


@dataclass
class PerceptronTrainer:
    """Rosenblatt's rule, online: visit the points in a seeded random order, fix each mistake."""

    config: NeuronTrainConfig
    x: torch.Tensor                  # (n, 2)
    y: torch.Tensor                  # (n,) in {0, 1}
    w: torch.Tensor = field(init=False)   # (2,)
    b: torch.Tensor = field(init=False)   # ()
    history: list[EpochRecord] = field(default_factory=list)
    done: bool = False

    def __post_init__(self):
        self.w, self.b = _initial_weights(self.config.seed)
        self._generator = torch.Generator().manual_seed(self.config.seed + 1)

    def advance(self, epochs: int = 1) -> None:
        """Run up to `epochs` passes; stop for good once a pass makes no mistake (converged)."""
        eta = self.config.lr
        for _ in range(epochs):
            if self.done:
                return
            mistakes = 0
            for i in torch.randperm(len(self.x), generator=self._generator).tolist():
                prediction = int(float(self.x[i] @ self.w + self.b) >= 0)
                error = int(self.y[i]) - prediction  # -1, 0 or +1
                if error:
                    mistakes += 1
                    self.w = self.w + eta * error * self.x[i]
                    self.b = self.b + eta * error
            epoch = len(self.history) + 1
            self.history.append(EpochRecord(epoch, mistakes / len(self.x), _accuracy(self.x, self.y, self.w, self.b)))
            self.done = mistakes == 0 or epoch >= self.config.max_epochs

    @property
    def converged(self) -> bool:
        """True when the last pass made no mistake (the classes are separated)."""
        return bool(self.history) and self.history[-1].loss == 0

    def output(self, points: torch.Tensor) -> torch.Tensor:
        """The neuron's output (step) at `points` (m, 2) → (m,)."""
        return ((points @ self.w + self.b) >= 0).float()


@dataclass
class SigmoidTrainer:
    """σ(w·x + b) trained by full-batch gradient descent on the BCE loss, through core.train."""

    config: NeuronTrainConfig
    x: torch.Tensor                  # (n, 2)
    y: torch.Tensor                  # (n,) in {0, 1}
    history: list[EpochRecord] = field(default_factory=list)
    done: bool = False

    def __post_init__(self):
        self.model = nn.Linear(2, 1)
        w, b = _initial_weights(self.config.seed)
        with torch.no_grad():  # same starting line as the perceptron, so the two can be compared
            self.model.weight.copy_(w[None, :])
            self.model.bias.copy_(b[None])
        engine_config = TrainConfig(epochs=self.config.max_epochs, batch_size=len(self.x), optimizer="sgd",
                                    lr=self.config.lr, loss="bce", channels_last=False, seed=self.config.seed)
        self._events = train(self.model, self.x, self.y, engine_config)

    @property
    def w(self) -> torch.Tensor:
        return self.model.weight.detach()[0].clone()  # (2,)

    @property
    def b(self) -> torch.Tensor:
        return self.model.bias.detach()[0].clone()  # ()

    def advance(self, epochs: int = 1) -> None:
        """Take up to `epochs` gradient steps (one full-batch step per epoch)."""
        for _ in range(epochs):
            if self.done:
                return
            for event in self._events:
                if isinstance(event, EvalEvent):  # the engine reports once per epoch
                    # train_loss was measured before this epoch's step; accuracy is after it.
                    self.history.append(EpochRecord(event.epoch, event.train_loss,
                                                    _accuracy(self.x, self.y, self.w, self.b)))
                    break
                if isinstance(event, DoneEvent):
                    self.done = True
                    break
            else:
                self.done = True
            if len(self.history) >= self.config.max_epochs:
                self.done = True

    @property
    def converged(self) -> bool:
        """Gradient descent never 'finishes'; report True once every point is classified right."""
        return bool(self.history) and self.history[-1].accuracy == 1.0

    def output(self, points: torch.Tensor) -> torch.Tensor:
        """σ(w·x + b) at `points` (m, 2) → (m,)."""
        return torch.sigmoid(points @ self.w + self.b)


TRAINERS = {"perceptron": PerceptronTrainer, "sigmoid_gd": SigmoidTrainer}


def make_trainer(config: NeuronTrainConfig) -> PerceptronTrainer | SigmoidTrainer:
    """A fresh trainer for `config` with its toy data (nothing trained yet)."""
    x, y = toy_data(config)
    return TRAINERS[config.method](config, x, y)


def output_surface(trainer: PerceptronTrainer | SigmoidTrainer, resolution: int = 61,
                   limit: float = 1.5) -> tuple[torch.Tensor, torch.Tensor]:
    """The neuron's output on a square grid: coordinates (m,) and values (m, m), row = x2, column = x1."""
    grid = torch.linspace(-limit, limit, resolution)  # (m,)
    x2, x1 = torch.meshgrid(grid, grid, indexing="ij")
    points = torch.stack([x1.flatten(), x2.flatten()], 1)  # (m*m, 2)
    return grid, trainer.output(points).reshape(resolution, resolution)


def trainer_events(trainer: PerceptronTrainer | SigmoidTrainer, should_stop) -> Iterator[Event]:
    """A trainer's epochs as the engine's events (a StepEvent and an EvalEvent per epoch, a DoneEvent
    last), so the page's live run (core.live.LiveRun) drives either rule like any other training.
    Done: "completed" once every point is right (or the perceptron converged), "max_steps" after max_epochs."""
    total, lr = trainer.config.max_epochs, trainer.config.lr
    epoch, elapsed = 0, 0.0  # compute seconds only: not the time the caller spent between epochs
    while not trainer.done:
        if should_stop():
            yield DoneEvent("stopped", epoch, epoch, None, elapsed)
            return
        started = time.perf_counter()
        trainer.advance(1)
        elapsed += time.perf_counter() - started
        record = trainer.history[-1]
        epoch = record.epoch
        yield StepEvent(epoch, epoch, total, record.loss, lr, elapsed)
        yield EvalEvent(epoch, epoch, record.loss, record.accuracy, None, None, lr, elapsed, False, True)
    reason = "completed" if trainer.converged else "max_steps"
    yield DoneEvent(reason, epoch, epoch, None, elapsed)


def neuron_run(config: NeuronTrainConfig) -> LiveRun:
    """The live run of one neuron under `config` (a fresh trainer, nothing trained); its model is the trainer."""
    def factory(should_stop):
        trainer = make_trainer(config)
        return trainer, trainer_events(trainer, should_stop)

    return LiveRun(factory, total_steps=config.max_epochs, epochs=config.max_epochs, steps_per_epoch=1,
                   one_thread=True, setup=config)


def epochs_per_tick(epochs_done: int) -> int:
    """Epochs to run in one animation tick: one at a time at first (the line moves visibly), up to 10 later."""
    return min(10, 1 + epochs_done // 10)


def line_latex(w: torch.Tensor, b: float) -> str:
    """The decision line w1·x1 + w2·x2 + b = 0 in LaTeX with three decimals (w is (2,), as trainers hold it)."""
    w1, w2 = w.tolist()
    return rf"{w1:.3f}\,x_1 {w2:+.3f}\,x_2 {b:+.3f} = 0"
