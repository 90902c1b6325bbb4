"""One torch thread count for the whole process, the same in every thread (see core/runtime.py)."""
import subprocess
import sys

import pytest
import torch

from core.runtime import MALLOC_ARENAS, single_thread
from tests.conftest import ROOT

CHECK = """
import threading, torch, core
from core.runtime import torch_threads, usable_cores
seen = []
worker = threading.Thread(target=lambda: seen.append(torch.get_num_threads()))
worker.start(); worker.join()
print(torch.get_num_threads(), seen[0], torch_threads(), usable_cores())
"""


def _counts(env_threads: str | None) -> list[int]:
    import os

    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    if env_threads:
        env["OMP_NUM_THREADS"] = env_threads
    # `import torch` before `import core`, as a page may: the count must still hold in new threads.
    out = subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120, check=True).stdout
    return [int(v) for v in out.split()]


def test_every_thread_gets_the_usable_cores_by_default():
    main, worker, configured, cores = _counts(None)
    assert main == worker == configured == cores


def test_omp_num_threads_sets_the_one_count():
    main, worker, configured, _ = _counts("1")
    assert main == worker == configured == 1


def test_single_thread_restores_the_count():
    before = torch.get_num_threads()
    with single_thread():
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before


TRITON_CHECK = """
import sys, torch, core
model = torch.nn.Linear(3, 2)
optimizer = torch.optim.Adam(model.parameters())
model(torch.randn(4, 3)).sum().backward()
optimizer.step()  # torch.optim imports torch._dynamo here, which would import triton
maps = open("/proc/self/maps").read() if sys.platform.startswith("linux") else ""
print("torch._dynamo" in sys.modules, "triton" in sys.modules and sys.modules["triton"] is not None,
      "libtriton" in maps, torch.cuda.is_available())
"""


@pytest.mark.slow
def test_an_optimizer_step_loads_no_triton_without_a_gpu():
    out = subprocess.run([sys.executable, "-c", TRITON_CHECK], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, check=True).stdout.split()
    dynamo, triton_module, triton_library, cuda = (v == "True" for v in out)
    if cuda:
        pytest.skip("a GPU is present: Triton is wanted there")
    assert dynamo  # the step went through torch._dynamo, the import path that loads Triton
    assert not triton_module and not triton_library


ARENA_CHECK = """
import ctypes, sys, threading
import core  # configure_torch() caps the arenas, unless MALLOC_ARENA_MAX says otherwise
libc = ctypes.CDLL("libc.so.6")
libc.open_memstream.restype = ctypes.c_void_p
libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
libc.fclose.argtypes = [ctypes.c_void_p]
gate = threading.Barrier(6)
def allocate():
    kept = [bytearray(64 * 1024) for _ in range(20)]  # malloc'd (above pymalloc's 512 B, under mmap's 128 KB)
    gate.wait()  # all six threads hold memory at once, so none can hand its arena to the next
workers = [threading.Thread(target=allocate) for _ in range(5)]
for w in workers: w.start()
gate.wait()
for w in workers: w.join()
buf, size = ctypes.c_char_p(), ctypes.c_size_t()
stream = libc.open_memstream(ctypes.byref(buf), ctypes.byref(size))
libc.malloc_info(0, stream)
libc.fclose(stream)
print(ctypes.string_at(buf, size.value).decode().count("<heap nr="))
"""


def _arenas(host_choice: str | None) -> int:
    import os

    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    if host_choice:
        env["MALLOC_ARENA_MAX"] = host_choice  # read by glibc itself at start-up
    return int(subprocess.run([sys.executable, "-c", ARENA_CHECK], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=120, check=True).stdout)


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc arenas (Linux)")
def test_malloc_arenas_are_capped_unless_the_host_chose():
    # Six threads holding memory at once: with room (the host allows 16) they get arenas of their
    # own; after `import core`, they share MALLOC_ARENAS.
    assert _arenas("16") > MALLOC_ARENAS
    assert _arenas(None) == MALLOC_ARENAS


TRIM_CHECK = """
import sys
from core.runtime import release_free_memory
def rss_kb():
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS"))
blocks = [bytearray(100_000) for _ in range(600)]  # ~60 MB of heap chunks, each under malloc's mmap threshold
keep = bytearray(100_000)  # a live block above them, so that free() cannot shrink the heap from the top
del blocks
held = rss_kb()
release_free_memory()
print(held - rss_kb())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim; other systems: a no-op")
def test_release_free_memory_gives_a_freed_burst_back_to_the_os():
    out = subprocess.run([sys.executable, "-c", TRIM_CHECK], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, check=True).stdout
    assert int(out) > 40_000, out  # kB: most of the 60 MB freed in the middle of the heap came back
