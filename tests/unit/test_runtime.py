"""One torch thread count for the whole process, the same in every thread (see core/runtime.py)."""
import subprocess
import sys

import torch

from core.runtime import single_thread
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
