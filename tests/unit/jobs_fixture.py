"""A tiny seeded run for the job-runner tests, importable inside a worker process."""
import math

import torch
from torch import nn

from core.live import LiveRun, engine_run, planned_steps
from core.train import TrainConfig

N_TRAIN, BATCH = 256, 16


def blobs(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Two Gaussian blobs, labels 0/1, from a private generator."""
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % 2
    x = torch.tensor([[-1.0, -1.0], [1.0, 1.0]])[y] + 0.8 * torch.randn(n, 2, generator=g)
    return x, y


def tiny_run(setup: tuple[int, int], payload=None) -> LiveRun:
    """(seed, epochs) -> a LiveRun of an MLP with dropout (so the RNG matters); `payload` may carry
    its own (x, y) training data."""
    seed, epochs = setup
    x, y = payload if payload is not None else blobs(N_TRAIN, seed)
    xv, yv = blobs(64, seed + 1)
    config = TrainConfig(epochs=epochs, batch_size=BATCH, optimizer="adam", lr=0.01, channels_last=False, seed=seed)

    def build() -> nn.Module:
        torch.manual_seed(seed)
        return nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Dropout(0.3), nn.Linear(16, 2))

    return LiveRun(engine_run(build, x, y, config, xv, yv), total_steps=planned_steps(len(x), config),
                   epochs=epochs, steps_per_epoch=math.ceil(len(x) / BATCH), one_thread=True, setup=setup)


def broken_run(setup, payload=None) -> LiveRun:
    """A kind whose build fails (the worker must survive it)."""
    raise ValueError("no such model")


def modules_at_first_job(setup, payload=None) -> LiveRun:
    """A kind that fails on purpose, with the modules the worker had loaded before its first job
    in the message (tests of the worker's start-up)."""
    import sys

    raise RuntimeError(f"torch._dynamo loaded: {'torch._dynamo' in sys.modules}")
