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
        started = time.perf_counter()
        with limiter.slot() as second:
            assert not second
        assert time.perf_counter() - started < 1.0  # non-blocking: the page never hangs on it
    with limiter.slot() as again:
        assert again


def test_slot_shares_torch_threads_and_restores_them():
    before = torch.get_num_threads()
    limiter = ComputeLimiter(2)
    with limiter.slot() as ok:
        assert ok and torch.get_num_threads() == max(1, usable_cores())
        with limiter.slot() as ok2:  # a second slice in flight: each gets half the cores
            assert ok2 and torch.get_num_threads() == max(1, usable_cores() // 2)
    assert torch.get_num_threads() == before


def test_the_shared_limiter_has_one_slot_per_usable_core():
    assert LIMITER.slots == usable_cores()
    with compute_slot() as ok:
        assert ok
