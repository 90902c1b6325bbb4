"""Depth lab: why deep plain networks stop learning, measured on a real PyTorch MLP.

A stack of `depth` hidden layers h ← f(BN(W h + b)) (optionally h ← h + f(...), a residual
connection), then a linear read-out to `classes` logits. One forward and one backward pass of the
cross-entropy on a seeded random batch give, per layer, the gradient norm ‖∂L/∂W‖ and the
distribution of the activations. Sigmoid with tiny weights makes gradients vanish layer by layer;
ReLU with He initialisation keeps them level; residual connections and BatchNorm rescue depth.

Everything runs in float64 so that a gradient of 1e-60 shows as 1e-60 instead of underflowing
to 0 (float32 stops at about 1e-45); the effect on the page is the same, only clearer.
"""
import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from core import registry
from core.topics.activations.functions import ACTIVATIONS
from core.runtime import single_thread

# The weight inits the lab offers: keys of core.registry.INITS (biases always start at 0).
INITS = ("zeros", "normal_0.01", "xavier_normal", "he_normal", "default")

# Classic setups, each a set of DepthConfig fields that tells one part of the story in one click.
PRESETS: dict[str, dict] = {
    "vanish": dict(activation="sigmoid", init="normal_0.01", batchnorm=False, residual=False),
    "healthy": dict(activation="relu", init="he_normal", batchnorm=False, residual=False),
    "residual": dict(activation="sigmoid", init="normal_0.01", batchnorm=False, residual=True),
    "batchnorm": dict(activation="sigmoid", init="normal_0.01", batchnorm=True, residual=False),
    "zeros": dict(activation="relu", init="zeros", batchnorm=False, residual=False),
    "tanh_xavier": dict(activation="tanh", init="xavier_normal", batchnorm=False, residual=False),
}

DEPTH_RANGE = (2, 50)
WIDTH_RANGE = (8, 256)
HIST_BINS = 41


@dataclass(frozen=True)
class DepthConfig:
    depth: int = 20                  # hidden layers (2-50)
    width: int = 64                  # units per hidden layer (also the input size)
    activation: str = "sigmoid"      # key of core.topics.activations.functions.ACTIVATIONS
    init: str = "normal_0.01"        # one of INITS
    batchnorm: bool = False          # BatchNorm1d between each Linear and its activation
    residual: bool = False           # h ← h + f(Wh + b) instead of h ← f(Wh + b)
    batch_size: int = 128            # examples in the one batch
    classes: int = 10                # logits of the read-out layer
    slope: float = 0.01              # Leaky ReLU's negative slope
    seed: int = 0                    # weights, inputs and labels


class DeepMLP(nn.Module):
    """The lab's network. `forward` also returns every hidden layer's pre-activation and output."""

    def __init__(self, config: DepthConfig):
        super().__init__()
        self.config = config
        w, f64 = config.width, torch.float64
        self.hidden = nn.ModuleList(nn.Linear(w, w, dtype=f64) for _ in range(config.depth))
        self.norms = nn.ModuleList(nn.BatchNorm1d(w, dtype=f64) if config.batchnorm else nn.Identity()
                                   for _ in range(config.depth))
        self.out = nn.Linear(w, config.classes, dtype=f64)
        for layer in [*self.hidden, self.out]:
            registry.INITS[config.init].build(layer.weight)
            nn.init.zeros_(layer.bias)
        self._f = ACTIVATIONS[config.activation].f

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor], list[torch.Tensor]]:
        """x (B, width) → logits (B, classes), pre-activations [(B, width)] * depth, outputs [(B, width)] * depth."""
        pre, post = [], []
        h = x
        for linear, norm in zip(self.hidden, self.norms):
            z = norm(linear(h))
            a = self._f(z, self.config.slope)
            h = h + a if self.config.residual else a
            pre.append(z)
            post.append(h)
        return self.out(h), pre, post


def make_batch(config: DepthConfig) -> tuple[torch.Tensor, torch.Tensor]:
    """Seeded inputs x ~ N(0, 1) (B, width) float64 and random labels (B,) int64.

    Random data keep the lab about signal propagation alone (as in the Glorot and He papers'
    analyses): no dataset can make a layer look healthier than its initialisation makes it.
    """
    g = torch.Generator().manual_seed(config.seed + 10_000)
    x = torch.randn(config.batch_size, config.width, generator=g, dtype=torch.float64)
    y = torch.randint(0, config.classes, (config.batch_size,), generator=g)
    return x, y


def build(config: DepthConfig) -> DeepMLP:
    """The network for `config` in float64, weights drawn from `config.seed`."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(config.seed)
        return DeepMLP(config)


@dataclass(frozen=True)
class DepthResult:
    grad_norms: np.ndarray           # (depth + 1,) ‖∂L/∂W‖ per Linear layer, input side first, read-out last
    act_std: np.ndarray              # (depth,) standard deviation of each hidden layer's output
    act_mean: np.ndarray             # (depth,) mean of each hidden layer's output
    flat_share: np.ndarray           # (depth,) share of units whose local slope |f'(z)| < 0.01
    hist: np.ndarray                 # (depth, HIST_BINS) share of a layer's outputs in each bin
    bin_edges: np.ndarray            # (HIST_BINS + 1,) common value bins for every layer
    loss: float                      # cross-entropy of the batch (≈ ln(classes) at a healthy start)
    finite: bool                     # False when something overflowed to inf/nan


# Activations with a bounded output: without residual connections their histograms use that range,
# so a layer collapsed onto one value (sigmoid's 0.5) shows as one bright column, not as noise.
BOUNDED = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "hardsigmoid": (0.0, 1.0), "step": (0.0, 1.0)}


def _common_edges(post: list[torch.Tensor], config: DepthConfig) -> np.ndarray:
    """Common bins: the activation's output range if bounded, else the middle 99% of all outputs."""
    if config.activation in BOUNDED and not config.residual:
        return np.linspace(*BOUNDED[config.activation], HIST_BINS + 1)
    values = torch.cat([p.detach().flatten() for p in post])
    values = values[torch.isfinite(values)]
    if values.numel() == 0:
        return np.linspace(-1, 1, HIST_BINS + 1)
    low, high = torch.quantile(values[:1_000_000], torch.tensor([0.005, 0.995], dtype=values.dtype)).tolist()
    if high - low < 1e-12:  # every value (nearly) equal, e.g. all zeros
        low, high = low - 0.5, high + 0.5
    return np.linspace(low, high, HIST_BINS + 1)


def run(config: DepthConfig) -> DepthResult:
    """One forward and backward pass of the config's network on its batch; per-layer statistics."""
    with single_thread():  # at most 256 wide: one thread is as fast, and immune to a busy machine
        return _run(config)


def _run(config: DepthConfig) -> DepthResult:
    model = build(config)
    model.train()  # BatchNorm normalises with the batch's own statistics
    x, y = make_batch(config)
    logits, pre, post = model(x)
    loss = F.cross_entropy(logits, y)
    weights = [layer.weight for layer in model.hidden] + [model.out.weight]
    # allow_unused: with the step activation nothing upstream of the last layer gets a gradient.
    grads = torch.autograd.grad(loss, weights, allow_unused=True)
    grad_norms = np.array([0.0 if g is None else float(g.norm()) for g in grads])
    act = ACTIVATIONS[config.activation]
    edges = _common_edges(post, config)
    hist = np.zeros((config.depth, HIST_BINS))
    for i, h in enumerate(post):
        values = np.clip(h.detach().numpy().ravel(), edges[0], edges[-1])
        counts, _ = np.histogram(values[np.isfinite(values)], bins=edges)
        hist[i] = counts / max(1, values.size)
    with torch.no_grad():
        flat = [float((act.df(z, config.slope).abs() < 0.01).double().mean()) for z in pre]
        std = [float(h.std()) for h in post]
        mean = [float(h.mean()) for h in post]
    loss_value = loss.item()
    finite = bool(math.isfinite(loss_value) and np.all(np.isfinite(grad_norms)))
    return DepthResult(grad_norms, np.array(std), np.array(mean), np.array(flat), hist, edges, loss_value, finite)


# Why depth hurts, as the page writes it: the gradient reaching layer 1 is a product of one factor per
# layer above it, so factors a bit below 1 vanish and factors a bit above 1 explode; the two
# initialisations pick Var(W) so that the factors stay near 1.
BACKPROP_LATEX = (r"\frac{\partial L}{\partial \mathbf h_1} = \Bigl(\prod_{k=2}^{L} W_k^{\top}\,"
                  r"\mathrm{diag}\,f'(\mathbf z_k)\Bigr)\frac{\partial L}{\partial \mathbf h_L},\qquad"
                  r"\mathrm{Var}_{\text{Xavier}}(W) = \frac{2}{n_\text{in} + n_\text{out}},\quad"
                  r"\mathrm{Var}_{\text{He}}(W) = \frac{2}{n_\text{in}}")


def gradient_ratio(grad_norms: np.ndarray) -> float | None:
    """‖∂L/∂W‖ of the first layer over that of the read-out: ≪ 1 vanishing, ≫ 1 exploding, ≈ 1 healthy.

    None when the read-out's gradient is 0 (e.g. zero initialisation), where no ratio makes sense.
    """
    last = float(grad_norms[-1])
    return float(grad_norms[0]) / last if last > 0 else None


def pytorch_code(config: DepthConfig) -> str:
    """Plain PyTorch that builds the same kind of network and prints each layer's gradient norm."""
    if config.activation == "step":  # the perceptron's step has no nn layer
        act_code = "lambda z: (z >= 0).double()"
    elif config.activation == "leaky_relu":
        act_code = f"nn.LeakyReLU({config.slope})"
    else:
        act_code = registry.ACTIVATIONS[config.activation].code
    init_code = registry.code_text(registry.INITS[config.init], w="layer.weight")
    norm_code = "nn.BatchNorm1d(width, dtype=f64)" if config.batchnorm else "nn.Identity()"
    update = "h = h + a" if config.residual else "h = a"
    return f'''import math

import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed({config.seed})
f64 = torch.float64  # float64, so that tiny gradients do not underflow to 0
depth, width, classes = {config.depth}, {config.width}, {config.classes}
hidden = nn.ModuleList(nn.Linear(width, width, dtype=f64) for _ in range(depth))
norms = nn.ModuleList({norm_code} for _ in range(depth))
out = nn.Linear(width, classes, dtype=f64)
act = {act_code}
for layer in [*hidden, out]:
    {init_code}
    nn.init.zeros_(layer.bias)

g = torch.Generator().manual_seed({config.seed + 10_000})
x = torch.randn({config.batch_size}, width, generator=g, dtype=f64)  # a batch of random inputs
y = torch.randint(0, classes, ({config.batch_size},), generator=g)    # random labels
h = x
for linear, norm in zip(hidden, norms):
    z = norm(linear(h))
    a = act(z)
    {update}
loss = F.cross_entropy(out(h), y)
loss.backward()
for i, layer in enumerate([*hidden, out], start=1):
    grad = layer.weight.grad  # None when no gradient reaches this layer (the step function)
    print(f"layer {{i:2d}}  |dL/dW| = {{0.0 if grad is None else grad.norm().item():.6e}}")
'''
