"""A separate process that keeps every core busy, for testing the live controls on a loaded machine.

    with cpu_burner():
        ...  # both cores spin in another process; it is killed on exit

The burner is its own process (not threads of the test), so the app server competes with it the
way it would with other learners' work; its threads hash large buffers, which releases the GIL, so
two threads really load two cores.
"""
import contextlib
import subprocess
import sys

from core.runtime import usable_cores

_SPIN = """
import hashlib, threading
block = bytes(1 << 20)
def spin():
    while True:
        hashlib.sha256(block).digest()
threads = [threading.Thread(target=spin, daemon=True) for _ in range({n})]
for t in threads:
    t.start()
print("spinning", flush=True)
for t in threads:
    t.join()
"""


@contextlib.contextmanager
def cpu_burner(threads: int | None = None):
    """Spin `threads` (default: every usable core) busy threads in a child process until the block ends."""
    proc = subprocess.Popen([sys.executable, "-c", _SPIN.format(n=threads or usable_cores())],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "spinning"
        yield proc
    finally:
        proc.kill()
        proc.wait(10)
