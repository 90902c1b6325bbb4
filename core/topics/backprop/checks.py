"""The same gradients three ways: our backward pass, torch.autograd and central finite differences."""
from dataclasses import dataclass

import numpy as np
import torch

from core.topics.backprop.network import ACTIVATIONS, BackpropConfig, batch, init_params, mean_loss
from core.topics.backprop.trace import Trace


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
