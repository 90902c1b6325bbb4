"""Backpropagation one number at a time, in the micrograd spirit: NumPy float64, every step recorded.

`trace(config)` runs ONE gradient-descent step of a tiny MLP on XOR and records every intermediate
number as a `Step` (forward z and a, the loss, dL/dŷ, each delta, each dL/dw and dL/db, each update),
each with its formula in LaTeX with the actual numbers substituted. The checks next to it
(`autograd_gradients`, `finite_difference_gradients`, `check_gradients`) recompute the same
gradients with torch.autograd and central differences, so the page and the tests can prove them.

Notation (the tutorials'): layer l = 1..L, unit j, input i;
    z^{(l)}_j = Σ_i w^{(l)}_{ji} a^{(l-1)}_i + b^{(l)}_j,   a^{(l)}_j = f(z^{(l)}_j),   a^{(0)} = x,
hidden layers use the chosen f, the single output unit always uses the sigmoid (ŷ is a probability).
L is the MEAN loss over the examples used, and δ^{(l)}_j = ∂L/∂z^{(l)}_j (so the 1/N is inside δ).
`train` does plain full-batch gradient descent with the same maths, vectorised.
"""
import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import torch

from core import registry, urlstate
from core.errors import BadNetwork
from core.text import literal

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])  # (4, 2) the four XOR inputs
XOR_Y = np.array([0.0, 1.0, 1.0, 0.0])                              # (4,) their labels
MAX_LAYERS, MAX_UNITS = 3, 4
KINDS = ("forward", "loss", "backward", "update")


# ---------------------------------------------------------------- LaTeX number formatting

def num(x: float, digits: int = 4) -> str:
    """A number for LaTeX: 4 significant digits, scientific notation as 1.2\\times10^{-5}."""
    x = float(x)
    if x == 0:
        return "0"
    if not math.isfinite(x):
        return r"\infty" if x > 0 else r"-\infty"
    text = f"{x:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa}\times10^{{{int(exponent)}}}"
    return text


def par(x: float) -> str:
    """`num(x)`, in parentheses when negative (so products like 0.5 × (-0.2) read right)."""
    return f"({num(x)})" if x < 0 else num(x)


def vec(values) -> str:
    """A row vector of numbers, one per example: [0.1,\\ 0.2, ...]."""
    return r"\left[" + r",\ ".join(num(v) for v in np.ravel(values)) + r"\right]"


def show(values) -> str:
    """One number when there is one example, else a vector."""
    values = np.ravel(values)
    return num(values[0]) if values.size == 1 else vec(values)


# ---------------------------------------------------------------- registries

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


# ---------------------------------------------------------------- config and parameters

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


# ---------------------------------------------------------------- the traced step

@dataclass(frozen=True)
class Step:
    kind: str                  # "forward" | "loss" | "backward" | "update"
    what: str                  # "z" | "a" | "loss" | "dyhat" | "delta" | "grad_w" | "grad_b" | "new_w" | "new_b"
    node: str                  # graph element: "x1", "n{l}.{j}" unit, "w{l}.{j}.{i}" weight, "b{l}.{j}", "loss"
    symbol: str                # LaTeX of the quantity, e.g. z^{(1)}_{2}
    latex: str                 # the whole formula, symbols = numbers substituted = value
    value: tuple[float, ...]   # the value: one per example for z, a, ∂L/∂ŷ, δ; one number otherwise


@dataclass
class Trace:
    config: BackpropConfig
    x: np.ndarray                              # (N, 2) inputs
    y: np.ndarray                              # (N,) targets
    weights: list[np.ndarray]                  # W[l] (n_out, n_in) before the update
    biases: list[np.ndarray]                   # b[l] (n_out,) before the update
    z: list[np.ndarray]                        # z[l] (N, n_l) for l = 1..L (index l-1)
    a: list[np.ndarray]                        # a[l] (N, n_l) for l = 0..L (a[0] = x)
    loss: float                                # mean loss over the N examples
    deltas: list[np.ndarray]                   # δ[l] (N, n_l), index l-1
    grad_w: list[np.ndarray]                   # ∂L/∂W[l], same shapes as weights
    grad_b: list[np.ndarray]                   # ∂L/∂b[l]
    new_weights: list[np.ndarray]              # after w ← w − η ∂L/∂w
    new_biases: list[np.ndarray]
    steps: list[Step] = field(default_factory=list)


def _a_sym(l: int, i: int, bold: bool = False) -> str:
    name = (r"\mathbf{x}" if l == 0 else r"\mathbf{a}") if bold else ("x" if l == 0 else "a")
    return f"{name}_{{{i}}}" if l == 0 else rf"{name}^{{({l})}}_{{{i}}}"


def _w_sym(l: int, j: int, i: int) -> str:
    return rf"w^{{({l})}}_{{{j}{i}}}"


def _act_of(config: BackpropConfig, layer: int, n_layers: int) -> Activation:
    return OUTPUT if layer == n_layers else ACTIVATIONS[config.activation]


def trace(config: BackpropConfig) -> Trace:
    """One gradient-descent step, computed one number at a time, every number recorded as a Step."""
    config.validate()
    x, y = batch(config)
    weights, biases = init_params(config)
    n, n_layers, one = len(y), len(weights), len(y) == 1
    steps: list[Step] = []

    def add(kind, what, node, symbol, rhs, value):
        steps.append(Step(kind, what, node, symbol, f"{symbol} = {rhs}", tuple(float(v) for v in np.ravel(value))))

    # ---- forward: z then a, unit by unit
    a_list, z_list = [x], []
    for l in range(1, n_layers + 1):
        W, b, prev = weights[l - 1], biases[l - 1], a_list[-1]
        act = _act_of(config, l, n_layers)
        z, a = np.zeros((n, W.shape[0])), np.zeros((n, W.shape[0]))  # (N, n_l)
        for j in range(W.shape[0]):
            z[:, j] = prev @ W[j] + b[j]
            terms = " + ".join(f"{_w_sym(l, j + 1, i + 1)}{_a_sym(l - 1, i + 1)}" for i in range(W.shape[1]))
            if one:
                nums = " + ".join(f"{par(W[j, i])}\\cdot{par(prev[0, i])}" for i in range(W.shape[1]))
            else:  # the weights are shared by the batch: substitute them, keep the inputs as vectors
                nums = " + ".join(f"{par(W[j, i])}\\,{_a_sym(l - 1, i + 1, bold=True)}" for i in range(W.shape[1]))
            sym = rf"z^{{({l})}}_{{{j + 1}}}"
            add("forward", "z", f"n{l}.{j + 1}", sym,
                rf"{terms} + b^{{({l})}}_{{{j + 1}}} = {nums} + {par(b[j])} = {show(z[:, j])}", z[:, j])
            a[:, j] = act.f(z[:, j])
            a_sym = r"\hat y" if l == n_layers else _a_sym(l, j + 1)
            written = act.f_num(z[0, j]) if one else f"{act.tex}({vec(z[:, j])})"
            add("forward", "a", f"n{l}.{j + 1}", a_sym, rf"{act.tex}({sym}) = {written} = {show(a[:, j])}", a[:, j])
        z_list.append(z)
        a_list.append(a)

    # ---- loss: the mean over the N examples
    loss_fn = LOSSES[config.loss]
    p = a_list[-1][:, 0]  # (N,) predictions ŷ
    per_example = loss_fn.value(p, y)
    loss = float(per_example.mean())
    sum_n = "" if one else rf"\frac{{1}}{{{n}}}\sum_{{n=1}}^{{{n}}}"
    if config.loss == "mse":
        terms = " + ".join(f"({num(pi)}-{num(yi)})^2" for pi, yi in zip(p, y))
        numbers = terms if one else rf"\frac{{1}}{{{n}}}\left[{terms}\right]"
    else:  # only the log of the probability given to the right class survives
        terms = " + ".join(rf"\ln {num(pi)}" if yi == 1 else rf"\ln(1-{num(pi)})" for pi, yi in zip(p, y))
        numbers = rf"-\left[{terms}\right]" if one else rf"-\frac{{1}}{{{n}}}\left[{terms}\right]"
    add("loss", "loss", "loss", "L", rf"{sum_n}{loss_fn.tex} = {numbers} = {num(loss)}", loss)

    # ---- backward: ∂L/∂ŷ, then per layer δ, ∂L/∂w, ∂L/∂b (δ of layer l needs δ of layer l+1)
    dyhat = loss_fn.grad(p, y) / n  # (N,) the mean's 1/N is applied here, once
    scale = "" if one else rf"\frac{{1}}{{{n}}}\cdot "
    written = loss_fn.grad_num(num(p[0]), num(y[0])) if one else loss_fn.grad_num(vec(p), vec(y))
    add("backward", "dyhat", "loss", r"\frac{\partial L}{\partial \hat y}",
        rf"{scale}{loss_fn.grad_tex} = {scale}{written} = {show(dyhat)}", dyhat)
    deltas: list[np.ndarray] = [np.zeros_like(z) for z in z_list]
    grad_w = [np.zeros_like(W) for W in weights]
    grad_b = [np.zeros_like(b) for b in biases]
    for l in range(n_layers, 0, -1):
        act, z, a = _act_of(config, l, n_layers), z_list[l - 1], a_list[l]
        for j in range(z.shape[1]):
            sym = rf"\delta^{{({l})}}_{{{j + 1}}}"
            dfz = act.df(z[:, j], a[:, j])  # (N,) f'(z)
            a_s = r"\hat y" if l == n_layers else _a_sym(l, j + 1)
            if l == n_layers:
                upstream = dyhat
                chain = rf"\frac{{\partial L}}{{\partial \hat y}}\cdot {act.df_tex(f'z^{{({l})}}_{{1}}', a_s)}"
                upstream_num = par(dyhat[0]) if one else r"\frac{\partial L}{\partial \hat y}"
            else:
                W_next, d_next = weights[l], deltas[l]  # (n_{l+1}, n_l), (N, n_{l+1})
                upstream = d_next @ W_next[:, j]
                chain = r"\Big(" + " + ".join(f"{_w_sym(l + 1, k + 1, j + 1)}\\,\\delta^{{({l + 1})}}_{{{k + 1}}}"
                                              for k in range(W_next.shape[0])) + r"\Big)\cdot " \
                    + act.df_tex(rf"z^{{({l})}}_{{{j + 1}}}", a_s)
                if one:
                    upstream_num = r"\big(" + " + ".join(f"{par(W_next[k, j])}\\cdot{par(d_next[0, k])}"
                                                         for k in range(W_next.shape[0])) + r"\big)"
                else:
                    bold_delta = r"\boldsymbol{\delta}"  # the next layer's δ, a vector over the batch
                    upstream_num = r"\big(" + " + ".join(f"{par(W_next[k, j])}\\,{bold_delta}^{{({l + 1})}}_{{{k + 1}}}"
                                                         for k in range(W_next.shape[0])) + r"\big)"
            deltas[l - 1][:, j] = upstream * dfz
            df_written = act.df_num(z[0, j], a[0, j]) if one else f"{act.tex}'({vec(z[:, j])})"
            mul = r"\cdot" if one else r"\odot"
            add("backward", "delta", f"n{l}.{j + 1}", sym,
                rf"{chain} = {upstream_num}{mul}{df_written} = {show(deltas[l - 1][:, j])}", deltas[l - 1][:, j])
        prev = a_list[l - 1]
        for j in range(z.shape[1]):
            d = deltas[l - 1][:, j]  # (N,)
            for i in range(prev.shape[1]):
                grad_w[l - 1][j, i] = float(d @ prev[:, i])  # Σ_n δ_n a_n (δ already holds the 1/N)
                products = " + ".join(f"{par(dn)}\\cdot{par(an)}" for dn, an in zip(d, prev[:, i]))
                sigma = "" if one else r"\sum_n "
                add("backward", "grad_w", f"w{l}.{j + 1}.{i + 1}",
                    rf"\frac{{\partial L}}{{\partial {_w_sym(l, j + 1, i + 1)}}}",
                    rf"{sigma}\delta^{{({l})}}_{{{j + 1}}}\cdot {_a_sym(l - 1, i + 1)} = {products} "
                    rf"= {num(grad_w[l - 1][j, i])}",
                    grad_w[l - 1][j, i])
            grad_b[l - 1][j] = float(d.sum())
            sums = " + ".join(par(dn) for dn in d)
            add("backward", "grad_b", f"b{l}.{j + 1}", rf"\frac{{\partial L}}{{\partial b^{{({l})}}_{{{j + 1}}}}}",
                rf"{sigma}\delta^{{({l})}}_{{{j + 1}}} = {sums} = {num(grad_b[l - 1][j])}",
                grad_b[l - 1][j])

    # ---- update: w ← w − η ∂L/∂w, every parameter
    eta = config.lr
    new_w = [W - eta * g for W, g in zip(weights, grad_w)]
    new_b = [b - eta * g for b, g in zip(biases, grad_b)]
    for l in range(1, n_layers + 1):
        W, g = weights[l - 1], grad_w[l - 1]
        for j in range(W.shape[0]):
            for i in range(W.shape[1]):
                sym = _w_sym(l, j + 1, i + 1)
                add("update", "new_w", f"w{l}.{j + 1}.{i + 1}", rf"{sym}\leftarrow",
                    rf"{sym} - \eta\frac{{\partial L}}{{\partial {sym}}} = {num(W[j, i])} - {num(eta)}\cdot"
                    rf"{par(g[j, i])} = {num(new_w[l - 1][j, i])}", new_w[l - 1][j, i])
            sym = rf"b^{{({l})}}_{{{j + 1}}}"
            add("update", "new_b", f"b{l}.{j + 1}", rf"{sym}\leftarrow",
                rf"{sym} - \eta\frac{{\partial L}}{{\partial {sym}}} = {num(biases[l - 1][j])} - {num(eta)}\cdot"
                rf"{par(grad_b[l - 1][j])} = {num(new_b[l - 1][j])}", new_b[l - 1][j])
    # the symbol of an update is "w ←": drop the "=" that `add` put after it
    steps = [s if s.kind != "update" else Step(s.kind, s.what, s.node, s.symbol,
                                               s.latex.replace(r"\leftarrow = ", r"\leftarrow "), s.value)
             for s in steps]
    return Trace(config, x, y, weights, biases, z_list, a_list, loss, deltas, grad_w, grad_b, new_w, new_b, steps)


# ---------------------------------------------------------------- vectorised maths (training, checks)

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


def autograd_gradients(config: BackpropConfig) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
    """The same step's loss and gradients from torch.autograd (float64), as the independent check."""
    x, y = batch(config)
    weights, biases = init_params(config)
    W = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in weights]
    B = [torch.tensor(b, dtype=torch.float64, requires_grad=True) for b in biases]
    a = torch.tensor(x, dtype=torch.float64)  # (N, 2)
    for l, (w, b) in enumerate(zip(W, B), start=1):
        f = torch.sigmoid if l == len(W) else ACTIVATIONS[config.activation].torch_f
        a = f(a @ w.T + b)
    p, target = a[:, 0], torch.tensor(y, dtype=torch.float64)
    if config.loss == "mse":
        loss = torch.nn.functional.mse_loss(p, target)
    else:
        loss = torch.nn.functional.binary_cross_entropy(p, target)
    loss.backward()
    return float(loss.detach()), [w.grad.numpy() for w in W], [b.grad.numpy() for b in B]


def finite_difference_gradients(config: BackpropConfig, h: float = 1e-5) -> tuple[list, list]:
    """Central differences (L(θ+h) − L(θ−h)) / 2h for every parameter, one at a time."""
    x, y = batch(config)
    weights, biases = init_params(config)
    out_w, out_b = [np.zeros_like(w) for w in weights], [np.zeros_like(b) for b in biases]
    for params, out in ((weights, out_w), (biases, out_b)):
        for tensor, result in zip(params, out):
            for index in np.ndindex(tensor.shape):
                keep = tensor[index]
                tensor[index] = keep + h
                up = mean_loss(weights, biases, x, y, config.activation, config.loss)
                tensor[index] = keep - h
                down = mean_loss(weights, biases, x, y, config.activation, config.loss)
                tensor[index] = keep
                result[index] = (up - down) / (2 * h)
    return out_w, out_b


def relative_error(a: float, b: float, floor: float = 1e-8) -> float:
    """|a − b| / max(|a|, |b|, floor): relative, but two near-zero gradients count as agreeing."""
    return abs(a - b) / max(abs(a), abs(b), floor)


@dataclass(frozen=True)
class GradCheck:
    name: str          # LaTeX name, e.g. \partial L/\partial w^{(1)}_{12}
    node: str          # graph element id (as in Step.node)
    ours: float        # the traced value (NumPy, by hand)
    autograd: float    # torch.autograd's
    finite_diff: float # central finite difference
    err_autograd: float  # relative error ours vs autograd
    err_fd: float        # relative error ours vs finite difference
    kink: bool           # FD disagrees because a ReLU input sits at 0 (its kink: no derivative)
    ok: bool             # autograd within 1e-6, and finite differences within 1e-4 (unless at a kink)


AUTOGRAD_TOL, FD_TOL = 1e-6, 1e-4
FD_FLOOR = 1e-6  # a central difference with h = 1e-5 carries ~1e-11 of rounding: compare tiny gradients absolutely


def check_gradients(tr: Trace) -> list[GradCheck]:
    """Every traced gradient beside autograd's and a finite difference, with relative errors."""
    config = tr.config
    _, auto_w, auto_b = autograd_gradients(config)
    fd_w, fd_b = finite_difference_gradients(config)
    # a ReLU unit whose input is (almost) exactly 0 has a kink: FD straddles it, autograd takes 0
    kink = config.activation == "relu" and any(np.abs(z).min() < 1e-3 for z in tr.z[:-1])
    rows = []
    for l in range(1, len(tr.weights) + 1):
        for kind, ours, auto, fd in (("w", tr.grad_w, auto_w, fd_w), ("b", tr.grad_b, auto_b, fd_b)):
            for index in np.ndindex(ours[l - 1].shape):
                o, a, f = float(ours[l - 1][index]), float(auto[l - 1][index]), float(fd[l - 1][index])
                sub = "".join(str(i + 1) for i in index)
                name = rf"\partial L/\partial {kind}^{{({l})}}_{{{sub}}}"
                node = f"{kind}{l}." + ".".join(str(i + 1) for i in index)
                ea, ef = relative_error(o, a), relative_error(o, f, floor=FD_FLOOR)
                at_kink = kink and ef >= FD_TOL  # only where the finite difference actually disagrees
                rows.append(GradCheck(name, node, o, a, f, ea, ef, at_kink,
                                      ea < AUTOGRAD_TOL and (ef < FD_TOL or at_kink)))
    return rows


# ---------------------------------------------------------------- training and symmetry

@dataclass
class TrainResult:
    losses: np.ndarray              # (steps + 1,) full-batch mean loss before each step and after the last
    snapshot_steps: list[int]       # the steps at which parameters were kept
    snapshots: list[Params]         # parameters at those steps (for the evolving decision boundary)
    weights: list[np.ndarray]       # final weights
    biases: list[np.ndarray]        # final biases
    predictions: np.ndarray         # (4,) final ŷ on the XOR points
    symmetric: list[bool]           # per hidden layer: are all its units still identical?

    @property
    def correct(self) -> np.ndarray:
        """(4,) bool: is each XOR point on the right side of 0.5 after training?"""
        return (self.predictions > 0.5) == (XOR_Y > 0.5)

    @property
    def stuck_layers(self) -> list[int]:
        """The hidden layers (numbered from 1) whose units are still identical: the symmetry problem."""
        return [k + 1 for k, same in enumerate(self.symmetric) if same]


def train(config: BackpropConfig, steps: int, n_snapshots: int = 16) -> TrainResult:
    """Full-batch gradient descent on all four XOR points for `steps` steps (vectorised NumPy)."""
    config.validate()
    weights, biases = init_params(config)
    keep = sorted(set(np.unique(np.geomspace(1, steps + 1, n_snapshots).astype(int) - 1).tolist()) | {0, steps})
    losses, snapshots = np.zeros(steps + 1), []
    for step in range(steps + 1):
        if step in keep:
            snapshots.append(([w.copy() for w in weights], [b.copy() for b in biases]))
        loss, gw, gb = gradients(weights, biases, XOR_X, XOR_Y, config.activation, config.loss)
        losses[step] = loss
        if step == steps:
            break
        weights = [w - config.lr * g for w, g in zip(weights, gw)]
        biases = [b - config.lr * g for b, g in zip(biases, gb)]
    return TrainResult(losses, keep, snapshots, weights, biases,
                       forward(weights, biases, XOR_X, config.activation), hidden_symmetry(weights, biases))


def hidden_symmetry(weights, biases, tol: float = 1e-12) -> list[bool]:
    """Per hidden layer with 2+ units: True when every unit has the same incoming and outgoing weights.

    Identical units get identical gradients, so gradient descent can never tell them apart: this is
    the symmetry problem of initialising every weight to the same value (e.g. zero).
    """
    out = []
    for l in range(len(weights) - 1):
        W_in, b, W_out = weights[l], biases[l], weights[l + 1]
        if W_in.shape[0] < 2:
            continue
        same = (np.abs(W_in - W_in[0]).max() <= tol and np.abs(b - b[0]).max() <= tol
                and np.abs(W_out - W_out[:, :1]).max() <= tol)
        out.append(bool(same))
    return out


def decision_grid(params: Params, activation: str, resolution: int = 41,
                  low: float = -0.25, high: float = 1.25) -> tuple[np.ndarray, np.ndarray]:
    """Axis values (R,) and ŷ on an R×R grid over the XOR square, shape (R, R) indexed [y, x]."""
    axis = np.linspace(low, high, resolution)
    gx, gy = np.meshgrid(axis, axis)  # (R, R) each
    points = np.stack([gx.ravel(), gy.ravel()], 1)  # (R*R, 2)
    return axis, forward(params[0], params[1], points, activation).reshape(resolution, resolution)


def train_with_boundaries(config: BackpropConfig, steps: int) -> tuple[TrainResult, np.ndarray, list[np.ndarray]]:
    """`train`, plus ŷ over the input square at every snapshot: (result, axis (R,), grids [(R, R), ...])."""
    result = train(config, steps)
    grids = [decision_grid(params, config.activation) for params in result.snapshots]
    return result, grids[0][0], [grid for _, grid in grids]


def prediction_rows(result: TrainResult) -> list[dict]:
    """One row per XOR point after training: inputs x1, x2, target, prediction (4 decimals), correct."""
    return [{"x1": x[0], "x2": x[1], "target": y, "pred": round(float(p), 4), "correct": bool(c)}
            for x, y, p, c in zip(XOR_X, XOR_Y, result.predictions, result.correct)]


_SUP = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def node_label(node: str) -> str:
    """Plain-text name of a graph element for tables.

    'w1.2.1' → 'w⁽¹⁾₂₁', 'b2.1' → 'b⁽²⁾₁', 'n1.2' → 'a⁽¹⁾₂'.
    """
    if node == "loss" or node[0] == "x":
        return {"loss": "L"}.get(node, "x" + node[1:].translate(_SUB))
    layer, *index = node[1:].split(".")
    letter = "a" if node[0] == "n" else node[0]
    return letter + f"({layer})".translate(_SUP) + "".join(index).translate(_SUB)


def _wrap(part: str, width: int) -> str:
    """Break a long stage at a top-level " + " near its middle (never inside \\left ... \\right)."""
    if len(part) <= width:
        return part
    cuts = [k for k in range(len(part)) if part.startswith(" + ", k)
            and part.count(r"\left", 0, k) == part.count(r"\right", 0, k)]
    if not cuts:
        return part
    k = min(cuts, key=lambda c: abs(c - len(part) / 2))
    return _wrap(part[:k], width) + r" \\ &\quad + " + _wrap(part[k + 3:], width)


def display_latex(latex: str, width: int = 120) -> str:
    """A step's formula for display: one line if short, else an aligned block with one "= …" stage a line
    (and a very long stage broken at a "+")."""
    parts = latex.split(" = ")
    if len(latex) <= width or len(parts) < 3:
        return latex
    return (r"\begin{aligned}" + parts[0] + " &= " + _wrap(parts[1], width)
            + "".join(r" \\ &= " + _wrap(part, width) for part in parts[2:]) + r"\end{aligned}")


# ---------------------------------------------------------------- what the page shows (no Streamlit here)

LR_MAX, SEED_MAX = 10.0, 9999          # the range of the learning-rate and seed inputs (and of a link)
EXAMPLE_CHOICES = (-1, 0, 1, 2, 3)     # the training-example choices: -1 = all four, else one XOR point
_DEFAULT = BackpropConfig()
# link parameter → its spec: a link reproduces a setup, e.g. ?hidden=4,4&act=tanh&loss=bce
URL_SPEC: dict[str, urlstate.Param] = {
    "hidden": urlstate.IntList(1, MAX_UNITS, MAX_LAYERS, _DEFAULT.hidden),
    "act": urlstate.Choice(tuple(ACTIVATIONS), _DEFAULT.activation),
    "loss": urlstate.Choice(tuple(LOSSES), _DEFAULT.loss),
    "lr": urlstate.Float(0.0, LR_MAX, _DEFAULT.lr),
    "init": urlstate.Choice(tuple(INITS), _DEFAULT.init),
    "seed": urlstate.Int(0, SEED_MAX, _DEFAULT.seed),
    "example": urlstate.Int(-1, len(XOR_Y) - 1, _DEFAULT.example),
}


def url_values(config: BackpropConfig) -> dict:
    """The config as link parameters (the names of URL_SPEC)."""
    return {"hidden": config.hidden, "act": config.activation, "loss": config.loss, "lr": config.lr,
            "init": config.init, "seed": config.seed, "example": config.example}


def hidden_text(sizes: tuple[int, ...]) -> str:
    """Hidden sizes as the text box holds them, (4, 3) → '4,3' (empty → the default); `parse_hidden` reads it."""
    return ",".join(str(v) for v in sizes) or hidden_text(_DEFAULT.hidden)


def widget_values(link: dict) -> dict:
    """Decoded link parameters as the widgets hold them: the same values, the hidden sizes as text."""
    return {name: hidden_text(value) if name == "hidden" else value for name, value in link.items()}


def example_fields(example: int) -> dict[str, int]:
    """x1, x2 and y of one XOR example, to name it in a label."""
    return {"x1": int(XOR_X[example, 0]), "x2": int(XOR_X[example, 1]), "y": int(XOR_Y[example])}


def move_step(step: int, delta: int, n_steps: int) -> int:
    """The step number after Next (+1) or Previous (−1), or re-clamped (0) when the step count shrank: 1..n_steps."""
    return min(max(step + delta, 1), n_steps)


def check_for(checks: list[GradCheck], step: Step) -> GradCheck | None:
    """The proof of the gradient a step computes (None when the step is not a gradient)."""
    if not step.what.startswith("grad"):
        return None
    return next((c for c in checks if c.node == step.node), None)


PROOF_COLUMNS = ("param", "ours", "autograd", "fd", "err_auto", "err_fd", "ok")  # keys of a proof_rows row


def proof_rows(checks: list[GradCheck], current_node: str) -> list[dict]:
    """The proof table: one row per gradient (keys PROOF_COLUMNS), the current step's parameter marked ▶."""
    return [{"param": ("▶ " if c.node == current_node else "") + node_label(c.node), "ours": c.ours,
             "autograd": c.autograd, "fd": c.finite_diff, "err_auto": c.err_autograd, "err_fd": c.err_fd,
             "ok": c.ok} for c in checks]
