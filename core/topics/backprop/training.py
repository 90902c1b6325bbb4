"""Plain full-batch gradient descent with the same maths, vectorised: losses, snapshots of the decision
boundary, hidden-unit symmetry, the predictions per XOR point."""
from dataclasses import dataclass

import numpy as np

from core.topics.backprop.network import XOR_X, XOR_Y, BackpropConfig, Params, forward, gradients, init_params


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
