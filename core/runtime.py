"""Where computation runs: device choice and a sane torch thread count."""
import ctypes
import os
import sys
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
    skip_triton()
    limit_malloc_arenas()


MALLOC_ARENAS = 2   # glibc malloc arenas per process (its default: 8 per core)
_M_ARENA_MAX = -8   # mallopt's parameter number for it (glibc's malloc.h)


def limit_malloc_arenas(arenas: int = MALLOC_ARENAS) -> None:
    """Cap glibc's malloc arenas for threads created from now on (unless MALLOC_ARENA_MAX is set).

    Why: every thread that allocates may get an arena of its own, up to 8 per core, and an arena
    keeps what its threads freed for them. Streamlit starts a thread per script run; on
    bench.workshop's twenty learners the app process's arenas held 16-64 MB each. Python threads
    take turns on the GIL anyway, so sharing two arenas costs them little. Arenas made before this
    call (Streamlit's own threads start before `import core`) stay; MALLOC_ARENA_MAX in the
    environment caps those too. Not glibc (macOS, musl): nothing to do.
    """
    if os.environ.get("MALLOC_ARENA_MAX"):
        return  # the host chose
    try:
        ctypes.CDLL("libc.so.6").mallopt(_M_ARENA_MAX, arenas)
    except (OSError, AttributeError):
        pass


def release_free_memory() -> None:
    """Give the C heap's free pages back to the OS now (glibc's malloc_trim; elsewhere nothing).

    Why: glibc keeps what a process freed for its next allocations, so a one-off burst (loading a
    dataset: ~23 MB of temporaries left in a job worker's heap after MNIST, measured with VmRSS)
    stays in its memory for good. Cheap (milliseconds), so call it after such bursts, not per step.
    """
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def skip_triton() -> None:
    """Without a GPU, keep torch from loading Triton (its GPU kernel compiler).

    Why: torch's CUDA build imports Triton the first time an optimizer steps (torch.optim wraps
    step() in torch._disable_dynamo, which imports torch._dynamo, which imports triton when it is
    installed): libtriton.so and its data, ~140 MB of memory in every process that trains, for
    kernels that can only run on a GPU. A workshop server has three such processes (the app and
    two job workers). `None` in sys.modules is Python's way of saying "this module cannot be
    imported": torch then takes Triton as absent, as on a CPU-only install.
    """
    if "triton" not in sys.modules and not torch.cuda.is_available():
        sys.modules["triton"] = None


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
