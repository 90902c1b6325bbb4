"""The 2-D playground's maths: settings, input features, the network, a live run and its snapshot.

    config = PlaygroundConfig(dataset="spiral", hidden=(8, 8, 8, 8), activations=("relu",) * 4)
    data = make_data(config)
    run = new_run(config, data)          # a core.live.LiveRun; ui/live.py advances it on the page
    snap = ui_step(run, data, steps=10)  # 10 training steps, then one forward pass over a grid

A snapshot holds everything one redraw needs: the output over a grid, every hidden neuron's output
over the same grid (one forward pass with hooks), the weights, and the live losses.
"""
import math
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from core import registry
from core.probe import probe
from core.runtime import single_thread
from core.topics.playground.datasets import PG_DATASETS, SCALE, clamp_classes, make_dataset, split
from core.live import History, LiveRun, engine_run
from core.train import TrainConfig, evaluate


@dataclass(frozen=True)
class Feature:
    latex: str                       # label in formulas
    text: str                        # plain-text label for charts (no MathJax there)
    code: str                        # the same transform as PyTorch code on x (N, 2)


# Input features a learner can toggle (TF Playground's set). `code` is evaluated by feature_matrix,
# so the page, the tests and the generated script all use the same expression.
FEATURES: dict[str, Feature] = {
    "x1": Feature(r"x_1", "x₁", "x[:, 0]"),
    "x2": Feature(r"x_2", "x₂", "x[:, 1]"),
    "x1sq": Feature(r"x_1^2", "x₁²", "x[:, 0] ** 2"),
    "x2sq": Feature(r"x_2^2", "x₂²", "x[:, 1] ** 2"),
    "x1x2": Feature(r"x_1 x_2", "x₁x₂", "x[:, 0] * x[:, 1]"),
    "sin1": Feature(r"\sin(x_1)", "sin(x₁)", "torch.sin(x[:, 0])"),
    "sin2": Feature(r"\sin(x_2)", "sin(x₂)", "torch.sin(x[:, 1])"),
}
_FEATURE_FNS = {name: eval(f"lambda x: {f.code}", {"torch": torch}) for name, f in FEATURES.items()}  # noqa: S307

# The activations a hidden layer can have: keys of core.registry.ACTIVATIONS, in menu order.
ACTIVATIONS = ("relu", "leaky_relu", "elu", "gelu", "silu", "tanh", "sigmoid", "linear")
REGULARIZERS = ("none", "l1", "l2")
LOSSES = ("cross_entropy", "mse")
MAX_LAYERS, MAX_NEURONS = 6, 16


@dataclass(frozen=True)
class PlaygroundConfig:
    dataset: str = "circles"                     # key of PG_DATASETS, or "upload"
    classes: int = 2                             # classes for the sets that allow 2-5
    noise: float = 0.05                          # noise std in toy2d units ([-1, 1] before scaling)
    n_points: int = 400                          # points generated (train + test)
    train_pct: int = 50                          # % of points used for training
    batch_size: int = 10                         # points per optimizer step
    seed: int = 0                                # data, weights, shuffling and dropout
    features: tuple[str, ...] = ("x1", "x2")     # keys of FEATURES fed to the network
    hidden: tuple[int, ...] = (4, 2)             # neurons per hidden layer (0-6 layers, 1-16 each)
    activations: tuple[str, ...] = ("tanh", "tanh")  # one key of ACTIVATIONS per hidden layer
    dropout: float = 0.0                         # dropout probability after each hidden layer
    optimizer: str = "adam"                      # key of core.registry.OPTIMIZERS
    lr: float = 0.03                             # learning rate
    reg: str = "none"                            # none | l1 | l2
    reg_rate: float = 0.001                      # L1 / L2 strength
    loss: str = "cross_entropy"                  # classification loss; regression always uses mse

    def layer_activations(self) -> tuple[str, ...]:
        """One activation per hidden layer (the last one repeats when the list is short)."""
        acts = self.activations or ("tanh",)
        return tuple(acts[min(i, len(acts) - 1)] for i in range(len(self.hidden)))

    def train_config(self, task: str) -> TrainConfig:
        """The engine's config for this setup (practically endless: the UI decides when to stop)."""
        return TrainConfig(
            epochs=10 ** 9, batch_size=self.batch_size, optimizer=self.optimizer, lr=self.lr,
            weight_decay=self.reg_rate if self.reg == "l2" else 0.0,
            l1=self.reg_rate if self.reg == "l1" else 0.0,
            loss="mse" if task == "regress" else self.loss, channels_last=False, seed=self.seed)


def maths_latex(features: tuple[str, ...]) -> list[tuple[str, str]]:
    """(i18n key of the sentence, LaTeX formula) pairs explaining what the page computes."""
    inputs = r",\ ".join(FEATURES[f].latex for f in features)
    return [
        ("pg_maths_layer", rf"h^{{(0)}} = \big[{inputs}\big],\quad h^{{(l)}} = \varphi_l\!\left(W^{{(l)}} h^{{(l-1)}}"
                           r" + b^{(l)}\right),\quad z = W^{(L+1)} h^{(L)} + b^{(L+1)}"),
        ("pg_maths_ce", r"p_k = \frac{e^{z_k}}{\sum_j e^{z_j}},\qquad "
                        r"\mathcal{L}_{CE} = -\frac{1}{N}\sum_{i=1}^{N} \log p_{i,y_i}"),
        ("pg_maths_mse", r"\mathcal{L}_{MSE} = \frac{1}{NK}\sum_{i=1}^{N}\sum_{k=1}^{K}"
                         r" \left(z_{ik} - [y_i = k]\right)^2"
                         r"\quad\text{or}\quad \frac{1}{N}\sum_{i=1}^{N} (z_i - y_i)^2"),
        ("pg_maths_reg", r"\mathcal{L}_{L1} = \mathcal{L} + \lambda \sum_{w \in W} |w|,\qquad "
                         r"\theta \leftarrow \theta - \eta\,(\nabla_\theta \mathcal{L} + \lambda\theta)"
                         r"\ \text{(L2, SGD)}"),
        ("pg_maths_dropout", r"\tilde h = \frac{m \odot h}{1-p},\quad m_j \sim \text{Bernoulli}(1-p)"),
    ]


@dataclass(frozen=True)
class PlaygroundData:
    x_train: torch.Tensor                        # (N_train, 2) float32
    y_train: torch.Tensor                        # (N_train,) int64 labels or float32 targets
    x_test: torch.Tensor                         # (N_test, 2)
    y_test: torch.Tensor
    task: str                                    # "classify" | "regress"
    classes: int                                 # number of classes (1 for regression)
    extent: float                                # the plot and grid cover [-extent, extent]^2
    whole_labels: int = 0                        # an uploaded file's distinct whole-number labels (0: not all whole)


def make_data(config: PlaygroundConfig) -> PlaygroundData:
    """Generate, split and describe the dataset named by `config` (seeded)."""
    x, y = make_dataset(config.dataset, config.n_points, config.noise, config.classes, config.seed)
    task = PG_DATASETS[config.dataset].task
    classes = clamp_classes(config.dataset, config.classes) if task == "classify" else 1
    return PlaygroundData(*split(x, y, config.train_pct), task=task, classes=classes, extent=SCALE * 1.2)


def feature_labels(features: tuple[str, ...]) -> list[str]:
    """Plain-text names of the input features, for charts (no MathJax in plotly annotations)."""
    return [FEATURES[f].text for f in features]


def data_extent(x: torch.Tensor) -> float:
    """A square plot range that holds every point with a margin (for uploaded data)."""
    return float(x.abs().max().clamp_min(1e-3)) * 1.1


def feature_matrix(x: torch.Tensor, features: tuple[str, ...]) -> torch.Tensor:
    """The network's input: (N, 2) points → (N, len(features)) feature columns."""
    return torch.stack([_FEATURE_FNS[f](x) for f in features], 1)


def output_size(data: PlaygroundData) -> int:
    """One logit per class, or one output value for regression."""
    return data.classes if data.task == "classify" else 1


def build_network(n_inputs: int, hidden: tuple[int, ...], activations: tuple[str, ...], dropout: float,
                  n_outputs: int, seed: int) -> nn.Sequential:
    """Linear → activation (→ dropout) per hidden layer, then a Linear output layer; seeded weights.

    Modules are named fc1, act1, drop1, ..., out, so the generated script's state_dict matches.
    """
    layers: OrderedDict[str, nn.Module] = OrderedDict()
    size = n_inputs
    with torch.random.fork_rng(devices=[]):  # nn.Linear draws its initial weights when constructed
        torch.manual_seed(seed)
        for i, (width, act) in enumerate(zip(hidden, activations), start=1):
            layers[f"fc{i}"] = nn.Linear(size, width)
            layers[f"act{i}"] = registry.ACTIVATIONS[act].build()
            if dropout:
                layers[f"drop{i}"] = nn.Dropout(dropout)
            size = width
        layers["out"] = nn.Linear(size, n_outputs)
    return nn.Sequential(layers)


def network_for(config: PlaygroundConfig, data: PlaygroundData) -> nn.Sequential:
    """The network `config` describes, sized for `data`."""
    return build_network(len(config.features), config.hidden, config.layer_activations(), config.dropout,
                         output_size(data), config.seed)


def metric_rows(history: History) -> list[tuple[str, str]]:
    """(i18n key of the label, formatted value) for the live figures: the latest losses, then accuracies if any."""
    train_loss, test_loss = history.train_loss[-1], history.val_loss[-1]
    rows = [("pg_train_loss", f"{train_loss:.4f}"), ("pg_test_loss", f"{test_loss:.4f}")]
    if history.train_acc[-1] is not None:
        rows += [("pg_train_acc", f"{history.train_acc[-1]:.1%}"), ("pg_test_acc", f"{history.val_acc[-1]:.1%}")]
    return rows


def new_run(config: PlaygroundConfig, data: PlaygroundData) -> LiveRun:
    """The setup's live run (core.live): the engine on the feature columns, and after every slice the
    whole-set train and test losses (TF Playground's curves), measured in eval mode without the regulariser.

    Practically endless (the learner decides when to stop). Tiny Linear layers (batches of ~10
    points, <= 16 neurons) run on one torch thread: a second costs more than it saves, and on a busy
    2-core machine it made a frame ~10x slower (bench.playground2d).
    """
    train_config = config.train_config(data.task)
    inputs_train = feature_matrix(data.x_train, config.features)  # (N_train, F)
    inputs_test = feature_matrix(data.x_test, config.features)    # (N_test, F)

    def measure(model: nn.Module):
        train_loss, train_acc = evaluate(model, inputs_train, data.y_train, train_config)
        test_loss, test_acc = evaluate(model, inputs_test, data.y_test, train_config)
        return train_loss, train_acc, test_loss, test_acc

    return LiveRun(engine_run(lambda: network_for(config, data), inputs_train, data.y_train, train_config),
                   steps_per_epoch=math.ceil(len(inputs_train) / config.batch_size), measure=measure,
                   one_thread=True, setup=config)


def job_run(config: PlaygroundConfig, data: PlaygroundData | None = None) -> LiveRun:
    """new_run for the job runner (core.jobs): the data travel with the job (an upload exists only
    in its session); without them they are generated from the config, as the page does."""
    return new_run(config, data if data is not None else make_data(config))


def epochs_done(run: LiveRun) -> int:
    """Completed passes over the training set (TF Playground's epoch counter)."""
    return run.progress().step // run.steps_per_epoch


@dataclass(frozen=True)
class Snapshot:
    axis: np.ndarray                             # (R,) grid coordinates, shared by x1 and x2
    output: np.ndarray                           # (R, R, K) class probabilities, or (R, R) regression value
    features: np.ndarray                         # (R, R, F) input feature values
    hidden: list[np.ndarray]                     # per hidden layer (R, R, width) activations
    logits: np.ndarray                           # (R, R, outputs) raw outputs
    weights: list[np.ndarray]                    # per Linear layer (out, in)
    biases: list[np.ndarray]                     # per Linear layer (out,)


def grid_points(extent: float, resolution: int) -> tuple[np.ndarray, torch.Tensor]:
    """Axis (R,) and the grid's points (R*R, 2) row-major: row i is x2 = axis[i], column j is x1 = axis[j]."""
    axis = np.linspace(-extent, extent, resolution, dtype=np.float32)
    x2, x1 = np.meshgrid(axis, axis, indexing="ij")
    return axis, torch.from_numpy(np.stack([x1.ravel(), x2.ravel()], 1))


def snapshot(model: nn.Sequential, features: tuple[str, ...], extent: float, task: str,
             resolution: int = 50) -> Snapshot:
    """Output and every hidden neuron over an R x R grid from ONE forward pass (forward hooks)."""
    axis, points = grid_points(extent, resolution)
    inputs = feature_matrix(points, features)  # (R*R, F)
    logits, hidden = probe(model, inputs, lambda name, module: name.startswith("act"))  # (R*R, outputs)
    r = resolution
    if task == "classify":
        output = (logits.softmax(1) if logits.shape[1] > 1 else torch.cat([1 - logits.sigmoid(), logits.sigmoid()], 1))
        output = output.reshape(r, r, -1).numpy()
    else:
        output = logits[:, 0].reshape(r, r).numpy()
    linears = [m for m in model.children() if isinstance(m, nn.Linear)]
    return Snapshot(axis, output, inputs.reshape(r, r, -1).numpy(),
                    [h.output.reshape(r, r, -1).numpy() for h in hidden], logits.reshape(r, r, -1).numpy(),
                    [m.weight.detach().numpy().copy() for m in linears],
                    [m.bias.detach().numpy().copy() for m in linears])


def run_snapshot(run: LiveRun, data: PlaygroundData, resolution: int = 50) -> Snapshot:
    """The grid snapshot of a run's current network (one torch thread: see new_run)."""
    with single_thread():
        return snapshot(run.model, run.setup.features, data.extent, data.task, resolution)


def ui_step(run: LiveRun, data: PlaygroundData, steps: int, resolution: int = 50,
            max_seconds: float | None = None) -> Snapshot:
    """What one animation frame computes, outside a page: up to `steps` training steps, then the snapshot."""
    if steps:
        run.step(steps)
        run.advance(max_seconds=max_seconds)
    return run_snapshot(run, data, resolution)
