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


def torch_threads() -> int:
    """The one intra-op thread count for this process: $OMP_NUM_THREADS if set, else the usable cores."""
    try:
        return max(1, int(os.environ.get("OMP_NUM_THREADS", "")))
    except ValueError:
        return usable_cores()


def configure_torch() -> None:
    """Use one thread per usable core (more threads than cores makes small nets much slower).

    Call it once, at start-up, and never change the count around convolutions: oneDNN sizes each
    cached convolution kernel for the thread count at its creation and does not promise to work
    when it runs under another. Sharing the CPU between sessions is core/compute.py's job.
    """
    threads = torch_threads()
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


def device() -> torch.device:
    """CUDA when present, else the CPU (everything here is sized to run well on a CPU)."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


@contextmanager
def single_thread() -> Iterator[None]:
    """Run torch on one intra-op thread in the calling thread, then restore its previous count.

    Only for blocks with no convolution (elementwise maths, small Linear layers): see
    configure_torch for why convolutions must always run at the process's one thread count.

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
