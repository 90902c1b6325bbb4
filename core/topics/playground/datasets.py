"""The 2-D playground's datasets: core/toy2d.py's classification sets plus two regression sets.

Every set is returned in playground units: points spread over roughly [-SCALE, SCALE]^2 (TF
Playground's sin(x) and x^2 features need a range wider than [-1, 1] to mean anything).
Classification targets are int64 labels 0..k-1; regression targets are float32 values in [-1, 1].
"""
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch

from core import toy2d

SCALE = 3.0  # toy2d's [-1, 1] points are stretched to [-3, 3]


def regress_plane(n: int, noise: float, classes: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Uniform points; target is a tilted plane (x1 + x2) / 2 in [-1, 1], plus noise on the target."""
    x = rng.uniform(-1, 1, size=(n, 2))
    y = (x[:, 0] + x[:, 1]) / 2
    return x, np.clip(y + rng.normal(0, noise, n), -1, 1)


def regress_gaussian(n: int, noise: float, classes: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Uniform points; target is a sum of signed Gaussian bumps (TF Playground's 'regress Gaussian')."""
    x = rng.uniform(-1, 1, size=(n, 2))
    centres = np.array([[-0.6, 0.6], [0.6, 0.6], [-0.6, -0.6], [0.6, -0.6], [0.0, 0.0]])
    signs = np.array([1.0, -1.0, -1.0, 1.0, 1.0])
    d2 = ((x[:, None, :] - centres[None]) ** 2).sum(-1)  # (n, 5) squared distances
    y = (signs * np.exp(-d2 / (2 * 0.25 ** 2))).sum(1)
    return x, np.clip(y + rng.normal(0, noise, n), -1, 1)


@dataclass(frozen=True)
class PlaygroundDataset:
    generate: Callable                # toy2d-style generator (n, noise, classes, rng) → (x, y)
    task: str                         # "classify" | "regress"
    min_classes: int                  # 1 for regression
    max_classes: int


# name → dataset; the classification sets are core/toy2d.py's, unchanged.
PG_DATASETS: dict[str, PlaygroundDataset] = {
    **{name: PlaygroundDataset(gen, "classify", low, high) for name, (gen, low, high) in toy2d.TOY_DATASETS.items()},
    "reg_plane": PlaygroundDataset(regress_plane, "regress", 1, 1),
    "reg_gauss": PlaygroundDataset(regress_gaussian, "regress", 1, 1),
}


def fixed_classes(name: str) -> bool:
    """True when `name` has one possible class count (XOR, moons, the regression sets): no class slider."""
    info = PG_DATASETS[name]
    return info.min_classes == info.max_classes


def is_regression(name: str) -> bool:
    """True for the regression sets (their loss is always mean squared error)."""
    return PG_DATASETS[name].task == "regress"


def clamp_classes(name: str, classes: int) -> int:
    """The class count actually used for `name` (XOR and moons are always 2; regression 1)."""
    info = PG_DATASETS[name]
    return min(max(classes, info.min_classes), info.max_classes)


def make_dataset(name: str, n: int = 400, noise: float = 0.05, classes: int = 2,
                 seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """X (n, 2) float32 in playground units and y (n,) int64 labels or float32 targets; seeded."""
    info = PG_DATASETS[name]
    if info.task == "classify":
        x, y = toy2d.make_toy(name, n, noise, clamp_classes(name, classes), seed)
        return x * SCALE, y
    rng = np.random.default_rng(seed)
    x, y = info.generate(n, noise, 1, rng)
    order = rng.permutation(n)
    return torch.tensor(x[order], dtype=torch.float32) * SCALE, torch.tensor(y[order], dtype=torch.float32)


def split(x: torch.Tensor, y: torch.Tensor, train_pct: int) -> tuple[torch.Tensor, ...]:
    """(x_train, y_train, x_test, y_test): the first train_pct % (already shuffled) is training data.

    At least one point lands on each side, so a tiny set still has a test set.
    """
    n = len(x)
    cut = min(max(1, math.floor(n * train_pct / 100)), n - 1)
    return x[:cut], y[:cut], x[cut:], y[cut:]
