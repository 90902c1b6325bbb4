"""The Neural Playground's engine: models, data, training, maths and charts.

Nothing in this package imports Streamlit, so every piece can be imported and tested alone.
Importing it fixes torch's thread count, once for the whole process, at the CPU cores this process
may actually use (see core/runtime.py for why it is never changed afterwards).
"""
import os

# OpenMP reads this when torch loads it: every thread (Streamlit runs each session in its own)
# then starts with the same count, not just the thread that called torch.set_num_threads.
if "OMP_NUM_THREADS" not in os.environ and hasattr(os, "sched_getaffinity"):
    os.environ["OMP_NUM_THREADS"] = str(max(1, len(os.sched_getaffinity(0))))

from core.runtime import configure_torch  # noqa: E402  (after OMP_NUM_THREADS)

configure_torch()
