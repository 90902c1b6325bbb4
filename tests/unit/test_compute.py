"""The process-wide compute limiter: never more than N slices at once, never blocks when full."""
import threading
import time

import torch

from core.compute import LIMITER, ComputeLimiter, compute_slot
from core.runtime import usable_cores


def test_limiter_never_runs_more_than_n_slices_at_once():
    limiter = ComputeLimiter(2)
    inside, most, ran, refused = 0, 0, 0, 0
    lock = threading.Lock()
    start = threading.Barrier(8)

    def session():
        nonlocal inside, most, ran, refused
        start.wait()
        for _ in range(30):
            with limiter.slot(timeout=0.001) as ok:
                if not ok:
                    with lock:
                        refused += 1
                    continue
                with lock:
                    inside += 1
                    most = max(most, inside)
                time.sleep(0.0005)  # a "slice" of work, long enough for threads to overlap
                with lock:
                    inside -= 1
                    ran += 1

    threads = [threading.Thread(target=session) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert most <= 2 and limiter.peak <= 2
    assert most == 2, "eight contending threads should have filled both slots at some point"
    assert refused > 0 and ran > 0 and ran + refused == 8 * 30
    assert limiter.active == 0


def test_a_full_limiter_says_no_at_once_and_frees_the_slot_after_use():
    limiter = ComputeLimiter(1)
    with limiter.slot() as first:
        assert first
        answers: list[bool] = []

        def ask() -> None:
            with limiter.slot() as second:
                answers.append(second)

        asker = threading.Thread(target=ask)
        asker.start()
        asker.join(timeout=30)  # a hang guard, not a timing claim: a blocking slot() never answers
        assert answers == [False]  # non-blocking: the page never hangs on it
    with limiter.slot() as again:
        assert again


def test_a_slot_never_changes_the_torch_thread_count():
    # the count is fixed for the process: oneDNN convolutions are not safe under a changing one (core/runtime.py).
    before = torch.get_num_threads()
    limiter = ComputeLimiter(2)
    with limiter.slot() as ok, limiter.slot() as ok2:
        assert ok and ok2 and torch.get_num_threads() == before
    assert torch.get_num_threads() == before


def test_the_shared_limiter_runs_one_slice_at_a_time_on_every_core():
    assert LIMITER.slots == 1  # one slice at once, never more slices than cores
    assert torch.get_num_threads() == min(usable_cores(), torch.get_num_threads()) >= 1
    with compute_slot() as ok:
        assert ok
        with compute_slot() as other_session:
            assert not other_session
