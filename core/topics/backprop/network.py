"""The tiny XOR network's maths in NumPy float64: activations and losses with their derivatives in
LaTeX, the config, weight init, and the vectorised forward and backward passes.

Notation (the tutorials'): layer l = 1..L, unit j, input i;
    z^{(l)}_j = Σ_i w^{(l)}_{ji} a^{(l-1)}_i + b^{(l)}_j,   a^{(l)}_j = f(z^{(l)}_j),   a^{(0)} = x,
hidden layers use the chosen f, the single output unit always uses the sigmoid (ŷ is a probability).
L is the MEAN loss over the examples used, and δ^{(l)}_j = ∂L/∂z^{(l)}_j (so the 1/N is inside δ).
"""
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch

from core import registry
from core.errors import BadNetwork
from core.text import literal
from core.topics.backprop.latex import num, par


XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])  # (4, 2) the four XOR inputs
XOR_Y = np.array([0.0, 1.0, 1.0, 0.0])                              # (4,) their labels
MAX_LAYERS, MAX_UNITS = 3, 4


@dataclass(frozen=True)
class Activation:
    f: Callable[[np.ndarray], np.ndarray]                   # a = f(z)
    df: Callable[[np.ndarray, np.ndarray], np.ndarray]      # f'(z) from (z, a)
    torch_f: Callable[[torch.Tensor], torch.Tensor]         # the same function in torch (the check)
    tex: str                                                # LaTeX name, e.g. \sigma
    df_tex: Callable[[str, str], str]                       # f'(z) symbolically, from (z symbol, a symbol)
    df_num: Callable[[float, float], str]                   # f'(z) with numbers, from (z, a)
    f_num: Callable[[float], str]                           # f(z) written out with the number z


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1/(1+e^{-z}) without overflow for large |z|


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation(
        _sigmoid, lambda z, a: a * (1.0 - a), torch.sigmoid, r"\sigma",
        lambda z, a: rf"{a}(1-{a})", lambda z, a: rf"{num(a)}\,(1-{num(a)})",
        lambda z: rf"\frac{{1}}{{1+e^{{{num(-z)}}}}}"),
    "tanh": Activation(
        np.tanh, lambda z, a: 1.0 - a * a, torch.tanh, r"\tanh",
        lambda z, a: rf"1-{a}^2", lambda z, a: rf"1-{par(a)}^2",
        lambda z: rf"\tanh({num(z)})"),
    "relu": Activation(
        lambda z: np.maximum(z, 0.0), lambda z, a: (z > 0).astype(float), torch.relu, r"\operatorname{ReLU}",
        lambda z, a: rf"\mathbb{{1}}[{z}>0]", lambda z, a: rf"\mathbb{{1}}[{num(z)}>0]",
        lambda z: rf"\max(0,\,{num(z)})"),
}
OUTPUT = ACTIVATIONS["sigmoid"]  # the output unit is always a sigmoid: ŷ ∈ (0, 1)


@dataclass(frozen=True)
class Loss:
    value: Callable[[np.ndarray, np.ndarray], np.ndarray]  # per-example loss ℓ(ŷ, y)
    grad: Callable[[np.ndarray, np.ndarray], np.ndarray]   # ∂ℓ/∂ŷ per example
    tex: str                                               # ℓ(ŷ, y) in LaTeX
    grad_tex: str                                          # ∂ℓ/∂ŷ in LaTeX
    grad_num: Callable[[str, str], str]                    # ∂ℓ/∂ŷ with (ŷ, y) written in


LOSSES: dict[str, Loss] = {
    "mse": Loss(lambda p, y: (p - y) ** 2, lambda p, y: 2.0 * (p - y),
                r"(\hat y-y)^2", r"2(\hat y-y)", lambda p, y: rf"2({p}-{y})"),
    "bce": Loss(lambda p, y: -(y * np.log(p) + (1 - y) * np.log(1 - p)),
                lambda p, y: -y / p + (1 - y) / (1 - p),
                r"-\left[y\ln\hat y+(1-y)\ln(1-\hat y)\right]", r"-\frac{y}{\hat y}+\frac{1-y}{1-\hat y}",
                lambda p, y: rf"-\frac{{{y}}}{{{p}}}+\frac{{1-{y}}}{{1-{p}}}"),
}


# The weight inits the page offers: keys of core.registry.INITS (biases always start at 0).
INITS = ("zeros", "constant", "normal_0.1", "xavier_uniform", "he_normal")


@dataclass(frozen=True)
class BackpropConfig:
    hidden: tuple[int, ...] = (2,)  # hidden layer widths: 1-3 layers of 1-4 units (2-2-1 is the tutorials' XOR net)
    activation: str = "sigmoid"     # hidden activation, key of ACTIVATIONS (the output is always a sigmoid)
    loss: str = "mse"               # key of LOSSES
    lr: float = 1.0                 # learning rate η of the update w ← w − η ∂L/∂w
    init: str = "xavier_uniform"    # weight init, one of INITS (biases start at 0)
    seed: int = 1                   # seed of the random init (seed 10 of the 2-2-1 net gets stuck: a lesson)
    example: int = -1               # which XOR example (0-3) the step uses; -1 = all four (the batch)

    def validate(self) -> "BackpropConfig":
        """Return self, or raise BadNetwork with a sentence saying what to change."""
        if not 1 <= len(self.hidden) <= MAX_LAYERS or any(not 1 <= h <= MAX_UNITS for h in self.hidden):
            raise BadNetwork("bp_err_sizes", layers=MAX_LAYERS, units=MAX_UNITS, got=str(list(self.hidden)))
        for name, known in (("activation", ACTIVATIONS), ("loss", LOSSES), ("init", INITS)):
            if getattr(self, name) not in known:
                raise BadNetwork(f"bp_err_unknown_{name}", name=literal(getattr(self, name)),
                                 known=literal(", ".join(sorted(known)), 300))
        if not -1 <= self.example <= 3:
            raise BadNetwork("bp_err_example", got=self.example)
        if not (math.isfinite(self.lr) and self.lr >= 0):
            raise BadNetwork("bp_err_lr", got=self.lr)
        return self

    @property
    def sizes(self) -> tuple[int, ...]:
        """Units per layer, inputs to output, e.g. (2, 2, 1)."""
        return (2, *self.hidden, 1)


def parse_hidden(text: str) -> tuple[int, ...]:
    """'2' or '4, 3' or '4-4' → (4, 3); raises BadNetwork for anything else."""
    parts = [p for p in text.replace("-", ",").replace(" ", ",").split(",") if p]
    try:
        sizes = tuple(int(p) for p in parts)
    except ValueError:
        raise BadNetwork("bp_err_hidden_text", got=literal(text)) from None
    BackpropConfig(hidden=sizes).validate()
    return sizes


Params = tuple[list[np.ndarray], list[np.ndarray]]  # (weights W[l] (n_out, n_in), biases b[l] (n_out,))


def init_params(config: BackpropConfig) -> Params:
    """Weights from the config's init and seed, biases at 0. Same config → same numbers."""
    generator = torch.Generator().manual_seed(config.seed)
    sizes = config.sizes
    weights = [registry.INITS[config.init].build(torch.empty(n_out, n_in, dtype=torch.float64), generator).numpy()
               for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    biases = [np.zeros(n_out) for n_out in sizes[1:]]
    return weights, biases


def batch(config: BackpropConfig) -> tuple[np.ndarray, np.ndarray]:
    """The examples one step uses: X (N, 2), y (N,), N = 1 or 4."""
    if config.example < 0:
        return XOR_X.copy(), XOR_Y.copy()
    return XOR_X[config.example:config.example + 1].copy(), XOR_Y[config.example:config.example + 1].copy()


def forward(weights, biases, x: np.ndarray, activation: str) -> np.ndarray:
    """ŷ (N,) for inputs x (N, 2): the same maths as `trace`, one matrix product per layer."""
    a = x
    for l, (W, b) in enumerate(zip(weights, biases), start=1):
        act = OUTPUT if l == len(weights) else ACTIVATIONS[activation]
        a = act.f(a @ W.T + b)  # (N, n_l)
    return a[:, 0]


def mean_loss(weights, biases, x, y, activation: str, loss: str) -> float:
    """The mean loss of the network on (x, y)."""
    return float(LOSSES[loss].value(forward(weights, biases, x, activation), y).mean())


def gradients(weights, biases, x, y, activation: str, loss: str) -> tuple[float, list, list]:
    """(mean loss, ∂L/∂W list, ∂L/∂b list): backprop with matrices (what `train` uses)."""
    zs, acts = [], [x]
    for l, (W, b) in enumerate(zip(weights, biases), start=1):
        act = OUTPUT if l == len(weights) else ACTIVATIONS[activation]
        zs.append(acts[-1] @ W.T + b)   # (N, n_l)
        acts.append(act.f(zs[-1]))
    p, n = acts[-1][:, 0], len(y)
    delta = (LOSSES[loss].grad(p, y) / n)[:, None] * OUTPUT.df(zs[-1], acts[-1])  # (N, 1)
    grad_w, grad_b = [None] * len(weights), [None] * len(weights)
    for l in range(len(weights), 0, -1):
        grad_w[l - 1] = delta.T @ acts[l - 1]  # (n_l, n_{l-1})
        grad_b[l - 1] = delta.sum(0)
        if l > 1:
            delta = (delta @ weights[l - 1]) * ACTIVATIONS[activation].df(zs[l - 2], acts[l - 1])
    return float(LOSSES[loss].value(p, y).mean()), grad_w, grad_b
