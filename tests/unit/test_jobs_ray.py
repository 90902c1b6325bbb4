"""The job runner's Ray backend (core.job_backends.RayBackend) against a real local Ray head
started here on 127.0.0.1: a job trains in a Ray worker and gives the in-process run's result,
and Stop / Pause reach it. Skipped with the reason when Ray is not installed."""
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import torch

from core.jobs import JobRunner, load_weights
from tests.unit.jobs_fixture import tiny_run
from tests.unit.test_jobs import TINY, done_view, in_process, wait_until

ray = pytest.importorskip("ray", reason="Ray is not installed here (pip install 'ray>=2.40,<3')")
RAY = str(Path(sys.executable).with_name("ray"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def ray_runner():
    """A Ray head on this machine (2 CPUs, a small object store) and a one-worker runner on it."""
    port = _free_port()
    temp = tempfile.mkdtemp(prefix="ray-", dir="/tmp")  # short: Ray's socket paths have a length limit
    started = subprocess.run(
        [RAY, "start", "--head", "--node-ip-address=127.0.0.1", f"--port={port}", "--num-cpus=2",
         "--include-dashboard=false", "--object-store-memory=200000000", "--disable-usage-stats",
         f"--temp-dir={temp}"], capture_output=True, text=True, timeout=120)
    if started.returncode != 0:
        pytest.skip(f"could not start a local Ray head: {started.stderr[-500:]}")
    runner = JobRunner(workers=1, threads=1, slice_s=0.05, backend=f"ray:127.0.0.1:{port}").start()
    try:
        yield runner
    finally:
        runner.close()
        ray.shutdown()
        subprocess.run([RAY, "stop", "--force"], capture_output=True, timeout=120)
        shutil.rmtree(temp, ignore_errors=True)


@pytest.mark.slow
def test_a_ray_job_gives_the_same_result_as_the_run_in_process(ray_runner):
    job = ray_runner.submit("a", TINY, (3, 2))
    done_view(ray_runner, "a", job)
    weights, history, reason, steps, _ = ray_runner.result("a", job)
    reference = in_process((3, 2))
    assert ray_runner.backend_name.startswith("ray:") and reason == "completed" and steps == reference.steps
    assert history.loss == reference.history.loss
    model = load_weights(tiny_run((3, 2)).model, weights)
    assert all(torch.equal(p, q) for p, q in zip(model.state_dict().values(), reference.model.state_dict().values()))


def test_pause_and_stop_reach_a_ray_worker(ray_runner):
    job = ray_runner.submit("b", TINY, (4, 200), pace=(1, 0.05))  # long and slow: it is still running
    wait_until(lambda: (v := ray_runner.view("b", job)).progress is not None and v.progress.step >= 2)
    ray_runner.control("b", job, "pause")
    paused = ray_runner.wait("b", job, ("paused",), timeout=30)
    time.sleep(0.5)  # the worker's report after the pause has arrived
    held = ray_runner.view("b", job).progress.step
    time.sleep(1.0)
    assert paused.state == "paused" and ray_runner.view("b", job).progress.step == held
    ray_runner.control("b", job, "stop")
    view = ray_runner.wait("b", job, ("done",), timeout=30)
    assert view.state == "done"
    _, history, reason, steps, _ = ray_runner.result("b", job)
    assert reason == "stopped" and 2 <= steps < 200 * 16 and len(history.loss) == steps
