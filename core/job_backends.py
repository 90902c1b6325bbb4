"""Where the job runner's workers live: local processes (the default) or a Ray cluster.

    PLAYGROUND_JOBS=local                      # worker processes on this server (default)
    PLAYGROUND_JOBS=ray:auto                   # Ray workers on the cluster this machine has joined
    PLAYGROUND_JOBS=ray:10.0.0.5:6379          # ... or on the cluster at that address (ray.init's address)

The runner (core.jobs.JobRunner) keeps the fair queue, the records and the reader thread in the
app process whatever the backend; a backend only makes message queues and starts, checks and ends
workers, each running core.jobs.worker_main. So a hosted playground keeps its sessions' jobs in
turn per app replica, while the training itself runs on the cluster's CPUs (or GPUs).

Why Ray: an existing, maintained engine for Python tasks on many machines, with a queue type
(ray.util.queue.Queue, actor-backed) that has the multiprocessing queue's put / get / empty, so the
worker loop is the same code on both. A cluster's nodes run the same requirements.txt; this
repository is shipped to them as the job's working directory (runtime_env), without the venv,
data or caches.
"""
import contextlib
import multiprocessing as mp
import os
import sys
import types
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
# Not shipped to a Ray cluster: the venv, data, caches, VCS and test output.
RAY_EXCLUDES = [".venv", ".git", ".cache", "data", "**/__pycache__", ".pytest_cache", "*.log"]
# Local workers run at a lower CPU priority than the app process that started them. On one server
# the app's threads (every session's page runs, the websocket) and the workers' torch threads share
# the cores; at equal priority twenty learners' training kept the pages waiting (a slider moved on
# another page took over 1 s at p95, one learner's refreshes stalled for minutes: issue 15's bench).
# Niced, training takes every cycle the pages leave and gives them back at once when a page runs.
LOCAL_WORKER_NICE = 10


def backend_from_env() -> str:
    """The configured backend: PLAYGROUND_JOBS, "local" when unset."""
    return os.environ.get("PLAYGROUND_JOBS", "").strip() or "local"


def workers_from_env() -> int | None:
    """PLAYGROUND_WORKERS, the number of worker processes; None when unset (one per usable core).

    A host short of memory can run one: each worker is a torch process (~0.7 GB with the pinned
    CUDA build of torch, even on a CPU-only machine). ValueError for anything but a positive integer.
    """
    value = os.environ.get("PLAYGROUND_WORKERS", "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"PLAYGROUND_WORKERS must be a positive integer, not {value!r}")
    return int(value)


def make_backend(name: str):
    """A backend for `name` ("local", or "ray:<address>"); ValueError for anything else."""
    if name == "local":
        return ProcessBackend()
    if name.startswith("ray:") and name[4:]:
        return RayBackend(name[4:])
    raise ValueError(f"PLAYGROUND_JOBS must be 'local' or 'ray:<address>', not {name!r}")


class ProcessBackend:
    """Worker processes on this machine (multiprocessing, spawned: the server has threads)."""
    name = "local"

    def __init__(self):
        self.ctx = mp.get_context("spawn")

    def queue(self):
        return self.ctx.Queue()

    def spawn(self, target: Callable, args: tuple, name: str, threads: int):
        proc = self.ctx.Process(target=target, args=(*args, os.getpid(), LOCAL_WORKER_NICE), name=name,
                                daemon=True)
        with _plain_main():
            proc.start()
        return proc

    def alive(self, proc) -> bool:
        return proc.is_alive()

    def end(self, proc, timeout: float = 5.0) -> None:
        proc.join(timeout)
        if proc.is_alive():
            proc.kill()


class RayBackend:
    """Workers as long-running Ray tasks, one CPU slot per torch thread, talking through Ray queues."""
    name = "ray"

    def __init__(self, address: str):
        import ray  # only when configured: the default backend does not need Ray installed

        self.ray = ray
        if not ray.is_initialized():
            ray.init(address=address, log_to_driver=False, configure_logging=False,
                     runtime_env={"working_dir": str(ROOT), "excludes": RAY_EXCLUDES})

    def queue(self):
        from ray.util.queue import Queue
        return Queue()

    def spawn(self, target: Callable, args: tuple, name: str, threads: int):
        # parent=None: a Ray worker has no parent process to watch; when the app goes, the queues
        # it owns go with it and the worker's next read fails, which ends the task.
        task = self.ray.remote(num_cpus=threads, max_retries=0)(target)
        return task.options(name=name).remote(*args, None)

    def alive(self, ref) -> bool:
        done, _ = self.ray.wait([ref], timeout=0)
        return not done

    def end(self, ref, timeout: float = 5.0) -> None:
        done, _ = self.ray.wait([ref], timeout=timeout)
        if not done:
            self.ray.cancel(ref, force=True)


@contextlib.contextmanager
def _plain_main():
    """Hide the parent's __main__ while a worker is spawned. A spawned child first re-imports the
    parent's __main__; under Streamlit that is the page script being run (Streamlit installs it as
    __main__), which would then run, widgets and all, inside the worker. A bare module has no file
    and no spec, so multiprocessing imports nothing."""
    saved: Any = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if saved is not None:
            sys.modules["__main__"] = saved
