"""A process-wide limiter so many sessions (a workshop) share the CPU fairly.

Streamlit runs each session's script in its own thread. Training advances in short slices; each
slice must hold a *slot*, so however many learners press Start, at most `slots` slices compute at
once. A session that finds no free slot does not wait (that would block its script thread): it
shows "waiting for a free CPU core" and tries on its next rerun.

There is one slot, and the slice holding it uses every core: torch's thread count is fixed for the
process (core/runtime.py: oneDNN's convolutions are not safe under a changing count), so two slices
at once would run 2 x cores threads on the cores. One slice at a time on all cores keeps the CPU
exactly full; sessions take turns slice by slice (0.4 s each), so each still sees its curve move.
"""
import threading
from contextlib import contextmanager
from typing import Iterator


class ComputeLimiter:
    """At most `slots` holders at a time (a non-blocking semaphore that counts its peak use)."""

    def __init__(self, slots: int):
        self.slots = max(1, slots)
        self._semaphore = threading.BoundedSemaphore(self.slots)
        self._lock = threading.Lock()
        self.active = 0          # slices computing right now
        self.peak = 0            # the most ever computing at once (for tests and monitoring)

    @contextmanager
    def slot(self, timeout: float = 0.0) -> Iterator[bool]:
        """Yield True while holding a slot, or False at once (after `timeout` s) if none is free."""
        got = self._semaphore.acquire(timeout=timeout) if timeout > 0 else self._semaphore.acquire(blocking=False)
        if not got:
            yield False
            return
        with self._lock:
            self.active += 1
            self.peak = max(self.peak, self.active)
        try:
            yield True
        finally:
            with self._lock:
                self.active -= 1
            self._semaphore.release()


# The one limiter every page shares: one slice at a time, on all the process's torch threads.
LIMITER = ComputeLimiter(1)


def compute_slot(timeout: float = 0.0):
    """`with compute_slot() as ok:` — True if this thread may compute a slice now."""
    return LIMITER.slot(timeout)
