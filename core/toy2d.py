"""Toy 2-D classification sets (TensorFlow Playground's and the tutorials'), seeded.

Every generator returns X (n, 2) float32 with points roughly in [-1, 1]^2 and y (n,) int64 class
labels 0..k-1, balanced as evenly as n allows. `noise` is a standard deviation in those units.
"""
import math
from typing import Callable

import numpy as np
import torch


def _split_counts(n: int, k: int) -> list[int]:
    return [n // k + (1 if i < n % k else 0) for i in range(k)]


def xor(n: int, noise: float, classes: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Four quadrants, equally filled; opposite quadrants share a class (always 2 classes)."""
    signs = np.array([[1, 1], [-1, -1], [1, -1], [-1, 1]])  # quadrants of class 0, 0, 1, 1
    quadrant = np.repeat(np.arange(4), _split_counts(n, 4))  # (n,)
    # |coordinate| in [0.05, 1): a thin margin off the axes, as TF Playground keeps
    x = signs[quadrant] * rng.uniform(0.05, 1.0, size=(n, 2))
    y = (quadrant >= 2).astype(np.int64)
    return x + rng.normal(0, noise, x.shape), y


def circles(n: int, noise: float, classes: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Concentric rings, one per class, inner ring = class 0."""
    xs, ys = [], []
    for c, count in enumerate(_split_counts(n, classes)):
        inner, outer = c / classes, (c + 1) / classes
        radius = rng.uniform(inner + 0.05, outer - 0.05, count)
        angle = rng.uniform(0, 2 * math.pi, count)
        xs.append(np.stack([radius * np.cos(angle), radius * np.sin(angle)], 1))
        ys.append(np.full(count, c))
    x = np.concatenate(xs)
    return x + rng.normal(0, noise, x.shape), np.concatenate(ys)


def moons(n: int, noise: float, classes: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (scikit-learn's make_moons), scaled into [-1, 1]."""
    a, b = _split_counts(n, 2)
    t_a, t_b = rng.uniform(0, math.pi, a), rng.uniform(0, math.pi, b)
    upper = np.stack([np.cos(t_a), np.sin(t_a)], 1)
    lower = np.stack([1 - np.cos(t_b), 0.5 - np.sin(t_b)], 1)
    x = (np.concatenate([upper, lower]) - [0.5, 0.25]) / 1.5
    y = np.concatenate([np.zeros(a, np.int64), np.ones(b, np.int64)])
    return x + rng.normal(0, noise, x.shape), y


def blobs(n: int, noise: float, classes: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """One Gaussian blob per class, centres evenly spaced on a circle."""
    xs, ys = [], []
    for c, count in enumerate(_split_counts(n, classes)):
        angle = 2 * math.pi * c / classes + math.pi / 4
        centre = 0.55 * np.array([math.cos(angle), math.sin(angle)])
        xs.append(centre + rng.normal(0, 0.15 + noise, (count, 2)))
        ys.append(np.full(count, c))
    return np.concatenate(xs), np.concatenate(ys)


def spiral(n: int, noise: float, classes: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved spiral arms, one per class (CS231n's and TF Playground's spiral)."""
    xs, ys = [], []
    for c, count in enumerate(_split_counts(n, classes)):
        r = np.linspace(0.05, 1.0, count)
        theta = 1.75 * 2 * math.pi * r + 2 * math.pi * c / classes
        xs.append(np.stack([r * np.sin(theta), r * np.cos(theta)], 1))
        ys.append(np.full(count, c))
    x = np.concatenate(xs)
    return x + rng.normal(0, noise, x.shape), np.concatenate(ys)


# name → (generator, smallest class count, largest class count)
TOY_DATASETS: dict[str, tuple[Callable, int, int]] = {
    "xor": (xor, 2, 2),
    "circles": (circles, 2, 5),
    "moons": (moons, 2, 2),
    "blobs": (blobs, 2, 5),
    "spiral": (spiral, 2, 5),
}


def make_toy(name: str, n: int = 400, noise: float = 0.1, classes: int = 2,
             seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Generate a toy set: X (n, 2) float32, y (n,) int64. Same arguments → same points."""
    generate, low, high = TOY_DATASETS[name]
    classes = min(max(classes, low), high)
    rng = np.random.default_rng(seed)
    x, y = generate(n, noise, classes, rng)
    order = rng.permutation(n)  # shuffle so a prefix is a fair sample of every class
    return torch.tensor(x[order], dtype=torch.float32), torch.tensor(y[order], dtype=torch.int64)
