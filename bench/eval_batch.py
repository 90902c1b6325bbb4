"""How many images per forward pass an evaluation should take (core.train.EVAL_BATCH): the time of
one test-set pass of the CNN lab's default model, and the pass's peak memory, per batch size.

    python -m bench.eval_batch [--sizes 64,128,256,1024] [--repeats 8] [--threads N]

Data: the CNN lab's default dataset (real MNIST beside the repo, else the offline digits). Time:
the sizes interleaved in one process, median of `repeats`, as a ratio to the largest size. Peak
memory: each size in a fresh process, VmHWM after one pass minus VmRSS before it (what the pass
adds to a process's high-water mark). Last line: {"bench": "eval_batch", "images": n,
"seconds": {size: s}, "ratio_to_largest": {size: r}, "peak_mb": {size: mb}}
"""
import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402

from core.topics.cnn_lab import lab as lab  # noqa: E402
from core.data import ImageDataConfig, dataset_status, load_images  # noqa: E402
from core.recipes import MNIST_DEFAULT  # noqa: E402
from core.train import evaluate_with_probs  # noqa: E402


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field))


def setup_and_data():
    """The CNN lab's default setup, its data and a fresh model (channels-last, as trained)."""
    config = ImageDataConfig(lab.default_dataset(dataset_status()))
    data = load_images(config)
    base = MNIST_DEFAULT.model
    model_config = lab.fit_model(base, data.image_shape, len(data.classes), base.batchnorm, base.dropout)
    setup = lab.LabSetup(config, model_config, MNIST_DEFAULT.train, 0)
    return setup, data, lab.new_model(setup).to(memory_format=torch.channels_last)


def peak_mb(batch: int) -> float:
    """Run in a child: what one pass at `batch` adds to this process's peak memory (MB)."""
    setup, data, model = setup_and_data()
    before = _status_kb("VmRSS")
    evaluate_with_probs(model, data.x_test, data.y_test, setup.train, batch_size=batch)
    return (_status_kb("VmHWM") - before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="64,128,256,1024")
    parser.add_argument("--repeats", type=int, default=8)
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: the app's)")
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.child is not None:
        print(json.dumps({"peak_mb": peak_mb(args.child)}))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    setup, data, model = setup_and_data()
    times: dict[int, list[float]] = {b: [] for b in sizes}
    for _ in range(args.repeats):
        for b in sizes:
            start = time.perf_counter()
            evaluate_with_probs(model, data.x_test, data.y_test, setup.train, batch_size=b)
            times[b].append(time.perf_counter() - start)
    seconds = {b: statistics.median(v) for b, v in times.items()}
    largest = seconds[max(sizes)]
    peaks = {}
    for b in sizes:
        child = [sys.executable, "-m", "bench.eval_batch", "--child", str(b)]
        if args.threads:
            child += ["--threads", str(args.threads)]
        out = subprocess.run(child, capture_output=True, text=True, check=True, cwd=Path(__file__).parent.parent)
        peaks[b] = json.loads(out.stdout.strip().splitlines()[-1])["peak_mb"]
    for b in sizes:
        print(f"batch {b:5d}: {seconds[b]:.3f} s ({seconds[b] / largest:.2f} x batch {max(sizes)}), "
              f"peak +{peaks[b]:.0f} MB")
    print(json.dumps({"bench": "eval_batch", "images": len(data.x_test), "threads": torch.get_num_threads(),
                      "seconds": {b: round(s, 4) for b, s in seconds.items()},
                      "ratio_to_largest": {b: round(s / largest, 3) for b, s in seconds.items()},
                      "peak_mb": {b: round(p, 1) for b, p in peaks.items()}}))


if __name__ == "__main__":
    main()
