"""A process-wide limiter so many sessions (a workshop) share the CPU fairly.

Streamlit runs each session's script in its own thread. Training advances in short slices; each
slice must hold a *slot*, and there is one slot per usable core, so at most N slices compute at
once however many learners press Start. A session that finds no free slot does not wait (that
would block its script thread): it shows "waiting for a free CPU core" and tries on its next rerun.
"""
import threading
from contextlib import contextmanager
from typing import Iterator

import torch

from core.runtime import usable_cores


class ComputeLimiter:
    """At most `slots` holders at a time; the holder's torch thread count shares the cores."""

    def __init__(self, slots: int):
        self.slots = max(1, slots)
        self._semaphore = threading.BoundedSemaphore(self.slots)
        self._lock = threading.Lock()
        self.active = 0          # slices computing right now
        self.peak = 0            # the most ever computing at once (for tests and monitoring)

    @contextmanager
    def slot(self, timeout: float = 0.0) -> Iterator[bool]:
        """Yield True while holding a slot, or False at once (after `timeout` s) if none is free.

        While held, torch in the calling thread uses cores // active-slices threads (torch's
        thread count is per thread), so two slices on two cores do not oversubscribe the CPU.
        """
        got = self._semaphore.acquire(timeout=timeout) if timeout > 0 else self._semaphore.acquire(blocking=False)
        if not got:
            yield False
            return
        with self._lock:
            self.active += 1
            self.peak = max(self.peak, self.active)
            share = max(1, usable_cores() // self.active)
        before = torch.get_num_threads()
        torch.set_num_threads(share)
        try:
            yield True
        finally:
            torch.set_num_threads(before)
            with self._lock:
                self.active -= 1
            self._semaphore.release()


# The one limiter every page shares (sized once, when the server process starts).
LIMITER = ComputeLimiter(usable_cores())


def compute_slot(timeout: float = 0.0):
    """`with compute_slot() as ok:` — True if this thread may compute a slice now."""
    return LIMITER.slot(timeout)
