"""Steps per second of the 2-D playground's full UI step, minus Streamlit.

    python -m bench.playground2d [--frames 40] [--steps-per-frame 10]

One animation frame of pages/playground.py = `steps-per-frame` training steps through core's engine,
then the decision boundary and every neuron heatmap from ONE forward pass over a 50x50 grid
(forward hooks, inference mode), then the three figures (boundary, network diagram with one PNG per
node, loss curve). Setup: 4 hidden layers x 8 ReLU neurons on the 2-class spiral.

Baseline, same process, same frames: the heatmaps done naively, one forward pass per neuron (the
network truncated after that neuron's layer) plus one for the boundary, with autograd on.
Last line: {"bench": "playground2d", "steps_per_s": ..., "baseline_steps_per_s": ..., "speedup": ...}
"""
import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PLAYGROUND_OFFLINE", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

from core.topics.playground.charts import boundary_figure, chart_labels, loss_figure, network_figure  # noqa: E402
from core.live import LiveRun  # noqa: E402
from core.topics.playground.network import (PlaygroundConfig, PlaygroundData, Snapshot, feature_labels,  # noqa: E402
                                            feature_matrix, grid_points, make_data, new_run, snapshot)
from core.runtime import single_thread  # noqa: E402

CONFIG = PlaygroundConfig(dataset="spiral", hidden=(8, 8, 8, 8), activations=("relu",) * 4, lr=0.01)
LABELS = chart_labels("en")  # the page's labels, computed once per run there too


def naive_snapshot(model: nn.Sequential, features, extent: float, task: str, resolution: int = 50) -> Snapshot:
    """The same pictures without batching: one forward pass per hidden neuron, autograd on."""
    axis, points = grid_points(extent, resolution)
    inputs = feature_matrix(points, features)
    r, layers = resolution, list(model.named_children())
    model.eval()
    hidden = []
    for li, (name, _) in enumerate(layers):
        if not name.startswith("act"):
            continue
        width = layers[li - 1][1].out_features
        columns = []
        for j in range(width):  # a fresh pass through the first li + 1 layers for every neuron
            out = nn.Sequential(*[m for _, m in layers[:li + 1]])(inputs)
            columns.append(out[:, j].detach())
        hidden.append(torch.stack(columns, 1).reshape(r, r, -1).numpy())
    logits = model(inputs).detach()
    model.train()
    probs = logits.softmax(1).reshape(r, r, -1).numpy()
    linears = [m for m in model.children() if isinstance(m, nn.Linear)]
    return Snapshot(axis, probs, inputs.reshape(r, r, -1).numpy(), hidden, logits.reshape(r, r, -1).numpy(),
                    [m.weight.detach().numpy().copy() for m in linears],
                    [m.bias.detach().numpy().copy() for m in linears])


def frame(run: LiveRun, data: PlaygroundData, steps: int, snap_fn) -> None:
    """One UI frame: train, snapshot, build the three figures (the page's live() minus Streamlit)."""
    with single_thread():
        run.step(steps)
        if run.advance() != steps:
            raise RuntimeError(f"the run took fewer than {steps} steps")
        snap = snap_fn(run.model, run.setup.features, data.extent, data.task)
    boundary_figure(snap, data, True, False, LABELS)
    network_figure(snap, feature_labels(run.setup.features), LABELS)
    loss_figure(run.history, LABELS)


def measure(frames: int, steps: int, snap_fn) -> tuple[float, float]:
    """(steps per second, median frame ms) over `frames` frames after one warm-up frame."""
    data = make_data(CONFIG)
    run = new_run(CONFIG, data)
    frame(run, data, steps, snap_fn)
    times = []
    for _ in range(frames):
        start = time.perf_counter()
        frame(run, data, steps, snap_fn)
        times.append(time.perf_counter() - start)
    return steps * frames / sum(times), statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=40)
    parser.add_argument("--steps-per-frame", type=int, default=10)
    args = parser.parse_args()
    print(f"setup: spiral, hidden {list(CONFIG.hidden)} relu, {args.steps_per_frame} steps per frame, "
          f"50x50 grid, frames run on 1 torch thread (process default {torch.get_num_threads()})")
    # Interleave the two so a burst of load from other processes hits both alike.
    fast, slow, fast_ms, slow_ms = [], [], [], []
    for _ in range(2):
        sps, ms = measure(args.frames // 2, args.steps_per_frame, snapshot)
        fast.append(sps)
        fast_ms.append(ms)
        sps, ms = measure(args.frames // 2, args.steps_per_frame, naive_snapshot)
        slow.append(sps)
        slow_ms.append(ms)
    steps_per_s, baseline = float(np.mean(fast)), float(np.mean(slow))
    print(f"one-pass snapshot (hooks):  {steps_per_s:7.1f} steps/s, frame {np.mean(fast_ms):6.1f} ms")
    print(f"per-neuron passes baseline: {baseline:7.1f} steps/s, frame {np.mean(slow_ms):6.1f} ms")
    print(f"speedup {steps_per_s / baseline:.2f}x; target >= 30 steps/s: {'met' if steps_per_s >= 30 else 'MISSED'}")
    print(json.dumps({"bench": "playground2d", "steps_per_s": round(steps_per_s, 1),
                      "frame_ms": round(float(np.mean(fast_ms)), 1), "baseline_steps_per_s": round(baseline, 1),
                      "baseline_frame_ms": round(float(np.mean(slow_ms)), 1),
                      "speedup": round(steps_per_s / baseline, 2), "steps_per_frame": args.steps_per_frame}))


if __name__ == "__main__":
    main()
