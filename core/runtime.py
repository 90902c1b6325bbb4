"""Where computation runs: device choice and a sane torch thread count."""
import os
from contextlib import contextmanager
from typing import Iterator

import torch


def usable_cores() -> int:
    """CPU cores this process may run on (torch ignores container quotas, so ask the OS)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS / Windows
        return max(1, os.cpu_count() or 1)


def configure_torch() -> None:
    """Use one thread per usable core: more threads than cores makes small nets much slower."""
    cores = usable_cores()
    if torch.get_num_threads() != cores:
        torch.set_num_threads(cores)


def device() -> torch.device:
    """CUDA when present, else the CPU (everything here is sized to run well on a CPU)."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


@contextmanager
def single_thread() -> Iterator[None]:
    """Run torch on one intra-op thread in the calling thread, then restore its previous count.

    torch's thread count is per thread, so other sessions keep theirs. For small tensors (page
    reruns: curves, one neuron, a 256-wide MLP) a second thread saves nothing, and on a busy
    2-core machine two OpenMP threads spin against each other: a 401-point curve took 80 ms
    instead of 0.1 ms.
    """
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)
