"""Time to 98% held-out accuracy on real MNIST: the playground's engine against the tutorial's recipe.

    python -m bench.train_mnist [--dry-run] [--target 0.98] [--baseline-epochs 12]

Data: the real 10k MNIST test set beside the repo (../shared/data/mnist): first 8,000 images
train, last 2,000 held out (`load_images(ImageDataConfig("mnist", val_fraction=0.0))`).
Both recipes run in this process on the same threads (one per usable core), after a few untimed
warm-up steps each, and are timed by wall clock from building the model to the end of the first
evaluation whose held-out accuracy reaches the target (so evaluation time counts too):

- baseline, the tutorial's own recipe: pytorch/examples' two-conv `MNISTNet`, a Dataset that makes
  a PIL image per sample then `ToTensor` + `Normalize`, a shuffling DataLoader with batch 64,
  Adam 1e-3, held-out accuracy checked once per epoch (its `test()`), at most 12 epochs;
- engine: `core.recipes.MNIST_DEFAULT` trained by `core.train.train` on in-memory tensors,
  held-out accuracy checked every `eval_every` steps.

Human lines first; the last line is one JSON object:
{"bench": "train_mnist", "seconds_to_98": .., "baseline_seconds_to_98": .., "speedup": ..,
 "images_per_s": .., "final_accuracy": .., ...}
`images_per_s` is training images per second of the engine's timed run (evaluations included),
`final_accuracy` its held-out accuracy at the last check; `baseline_*` are the same for the tutorial.
A recipe that misses the target within its cap reports null seconds (and null speedup).
"""
import argparse
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Callable

os.environ.setdefault("PLAYGROUND_OFFLINE", "1")  # the bench never waits on a download
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from PIL import Image  # noqa: E402
from torch import nn  # noqa: E402
from torch.utils.data import DataLoader, Dataset  # noqa: E402
from torchvision import transforms  # noqa: E402

from core.data import SHARED_MNIST_TRAIN, ImageData, ImageDataConfig, load_images, shared_mnist_dir  # noqa: E402
from core.errors import DatasetUnavailable  # noqa: E402
from core.idx import find_file, read_idx  # noqa: E402
from core.models import build_model  # noqa: E402
from core.recipes import MNIST_DEFAULT, Recipe  # noqa: E402
from core.runtime import configure_torch, usable_cores  # noqa: E402
from core.train import EvalEvent, train  # noqa: E402

TARGET = 0.98
BASELINE_EPOCHS = 12   # cap for the tutorial's recipe
DRY_STEPS = 3          # steps per recipe in --dry-run
Log = Callable[[str], None]


# ---------------------------------------------------------------- the tutorial's recipe (baseline)

class MNISTNet(nn.Module):
    """pytorch/examples mnist `Net`, verbatim: conv 32, conv 64, max-pool, dropout, fc 128, fc 10."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (B, 1, 28, 28) → (B, 10) log-probabilities
        x = F.relu(self.conv1(x))            # (B, 32, 26, 26)
        x = F.relu(self.conv2(x))            # (B, 64, 24, 24)
        x = F.max_pool2d(x, 2)               # (B, 64, 12, 12)
        x = torch.flatten(self.dropout1(x), 1)  # (B, 9216)
        x = self.dropout2(F.relu(self.fc1(x)))  # (B, 128)
        return F.log_softmax(self.fc2(x), dim=1)


class PerSampleMNIST(Dataset):
    """What torchvision's `datasets.MNIST.__getitem__` does: a PIL image per sample, then transforms.

    (torchvision's class itself insists on all four raw files; only the test files are here.)
    """

    def __init__(self, images: np.ndarray, labels: np.ndarray, transform: Callable):
        self.images, self.labels, self.transform = images, labels, transform  # (N, 28, 28) uint8, (N,)

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, int]:
        img = Image.fromarray(self.images[i], mode="L")
        return self.transform(img), int(self.labels[i])


def tutorial_transform() -> Callable:
    """The tutorial's per-sample transform with MNIST's usual mean/std."""
    return transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])


def load_raw() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """uint8 images and labels of the shared set: first 8,000 train, last 2,000 held out."""
    folder = shared_mnist_dir()
    images, labels = find_file(folder, "t10k-images-idx3-ubyte"), find_file(folder, "t10k-labels-idx1-ubyte")
    if images is None or labels is None:
        raise DatasetUnavailable(f"The real MNIST test set is not in {folder} (t10k-*-idx*-ubyte.gz); "
                                 f"set PLAYGROUND_SHARED_MNIST to the folder that holds it.")
    x, y = read_idx(images), read_idx(labels).astype(np.int64)  # (10000, 28, 28) uint8, (10000,)
    n = SHARED_MNIST_TRAIN
    return x[:n], y[:n], x[n:], y[n:]


def _tutorial_test(model: nn.Module, loader: DataLoader) -> float:
    """The tutorial's `test()`: held-out accuracy in eval mode without autograd."""
    model.eval()
    correct = 0
    with torch.no_grad():
        for data, target in loader:
            correct += (model(data).argmax(1) == target).sum().item()
    model.train()
    return correct / len(loader.dataset)


def run_baseline(raw: tuple[np.ndarray, ...], target: float = TARGET, max_epochs: int = BASELINE_EPOCHS,
                 max_steps: int = 0, seed: int = 0, log: Log = print) -> dict:
    """Train the tutorial's recipe until held-out accuracy reaches `target` (checked once per epoch).

    `max_steps` > 0 stops each epoch after that many steps (dry runs). Returns seconds (None if the
    target was not reached), epochs, accuracy history, images trained per second of the whole run
    (evaluations included) and the last held-out accuracy.
    """
    x_train, y_train, x_test, y_test = raw
    torch.manual_seed(seed)
    transform = tutorial_transform()
    train_loader = DataLoader(PerSampleMNIST(x_train, y_train, transform), batch_size=64, shuffle=True)
    test_loader = DataLoader(PerSampleMNIST(x_test, y_test, transform), batch_size=1000)
    start = time.perf_counter()
    model = MNISTNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    history, seen, reached = [], 0, None
    model.train()
    for epoch in range(1, max_epochs + 1):
        for step, (data, labels) in enumerate(train_loader, 1):
            optimizer.zero_grad()
            loss = F.nll_loss(model(data), labels)
            loss.backward()
            optimizer.step()
            seen += len(labels)
            if max_steps and step >= max_steps:
                break
        acc = _tutorial_test(model, test_loader)
        elapsed = time.perf_counter() - start
        history.append({"epoch": epoch, "seconds": round(elapsed, 3), "accuracy": round(acc, 4)})
        log(f"  baseline epoch {epoch:2d}: held-out accuracy {acc:.2%} at {elapsed:6.2f} s")
        if acc >= target:
            reached = elapsed
            break
        if max_steps:  # a dry run checks the loop, not the accuracy
            break
    return {"seconds": reached, "epochs": len(history), "history": history,
            "images_per_s": seen / max(history[-1]["seconds"], 1e-9), "final_accuracy": history[-1]["accuracy"]}


# ---------------------------------------------------------------- the playground's engine

def load_tensors() -> ImageData:
    """The shared set as normalised tensors; refuses another MNIST (e.g. a full download in the data dir)."""
    data = load_images(ImageDataConfig("mnist", val_fraction=0.0))
    if (len(data.x_train), len(data.x_test)) != (SHARED_MNIST_TRAIN, 2000):
        raise DatasetUnavailable(
            f"bench.train_mnist times the shared 10k set (8,000 train / 2,000 held out) but got {data.source} "
            f"({len(data.x_train)} / {len(data.x_test)}); point PLAYGROUND_DATA_DIR at a folder without MNIST/raw.")
    return data


def run_engine(data: ImageData, recipe: Recipe = MNIST_DEFAULT, target: float = TARGET,
               max_steps: int = 0, log: Log = print) -> dict:
    """Train `recipe` with core's engine until held-out accuracy reaches `target` (or the recipe ends).

    The 2,000 held-out images are the engine's validation set, so it checks them every
    `eval_every` steps. Returns the same fields as `run_baseline`.
    """
    config = recipe.train if not max_steps else replace(recipe.train, max_steps=max_steps)
    start = time.perf_counter()
    model = build_model(recipe.model, seed=config.seed)
    history, reached, steps = [], None, 0
    n, per_epoch = len(data.x_train), -(-len(data.x_train) // config.batch_size)  # steps per epoch
    events = train(model, data.x_train, data.y_train, config, x_val=data.x_test, y_val=data.y_test)
    for event in events:
        if not isinstance(event, EvalEvent):
            continue
        elapsed = time.perf_counter() - start
        steps = event.step
        history.append({"step": event.step, "epoch": round(event.step / per_epoch, 2),
                        "seconds": round(elapsed, 3), "accuracy": round(event.val_acc, 4)})
        log(f"  engine step {event.step:4d} (epoch {history[-1]['epoch']:.2f}): held-out accuracy "
            f"{event.val_acc:.2%} at {elapsed:6.2f} s, lr {event.lr:.2e}")
        if event.val_acc >= target:
            reached = elapsed
            events.close()
            break
    seen = steps // per_epoch * n + min(steps % per_epoch * config.batch_size, n)  # the last batch is short
    return {"seconds": reached, "steps": steps, "history": history,
            "images_per_s": seen / max(history[-1]["seconds"] if history else 0, 1e-9),
            "final_accuracy": history[-1]["accuracy"] if history else None}


# ---------------------------------------------------------------- both, and the JSON line

def describe(recipe: Recipe) -> str:
    """One line naming the engine's setup."""
    m, t = recipe.model, recipe.train
    return (f"{m.arch} (batchnorm={m.batchnorm}, dropout={m.dropout}), {t.optimizer} lr {t.lr:g}, {t.scheduler} "
            f"over {t.epochs} epochs, batch {t.batch_size}, eval every {t.eval_every or 'epoch'} steps, "
            f"channels_last={t.channels_last}")


def run(dry_run: bool = False, target: float = TARGET, baseline_epochs: int = BASELINE_EPOCHS,
        recipe: Recipe = MNIST_DEFAULT, log: Log = print) -> dict:
    """Run both recipes (a few steps each when `dry_run`) and return the figures of the JSON line."""
    configure_torch()
    max_steps = DRY_STEPS if dry_run else 0
    data, raw = load_tensors(), load_raw()
    log(f"data: {data.source}")
    log(f"threads: {torch.get_num_threads()} (usable cores: {usable_cores()}); target {target:.1%} held-out accuracy")
    if not dry_run:  # untimed warm-up of both paths (first calls build oneDNN kernels, import lazily...)
        run_baseline(raw, target, 1, max_steps=2, log=lambda s: None)
        run_engine(data, recipe, target, max_steps=2, log=lambda s: None)

    log(f"baseline (tutorial): MNISTNet, per-sample PIL DataLoader, batch 64, Adam 1e-3, at most {baseline_epochs} epochs")
    base = run_baseline(raw, target, baseline_epochs, max_steps=max_steps, log=log)
    if base["seconds"] is None and not dry_run:
        log(f"  baseline did NOT reach {target:.1%} within {baseline_epochs} epochs")
    log(f"engine (core.recipes.MNIST_DEFAULT): {describe(recipe)}")
    eng = run_engine(data, recipe, target, max_steps=max_steps, log=log)
    if eng["seconds"] is None and not dry_run:
        log(f"  engine did NOT reach {target:.1%} within its {recipe.train.epochs} epochs")

    speedup = base["seconds"] / eng["seconds"] if base["seconds"] and eng["seconds"] else None
    if speedup:
        log(f"time to {target:.0%}: engine {eng['seconds']:.2f} s, tutorial {base['seconds']:.2f} s → {speedup:.1f}x faster")
    result = {
        "bench": "train_mnist", "dry_run": dry_run, "target": target,
        "seconds_to_98": _round(eng["seconds"]), "baseline_seconds_to_98": _round(base["seconds"]),
        "speedup": _round(speedup), "images_per_s": round(eng["images_per_s"]),
        "final_accuracy": eng["final_accuracy"],
        "engine_steps": eng["steps"], "engine_evals": len(eng["history"]),
        "baseline_epochs": base["epochs"], "baseline_images_per_s": round(base["images_per_s"]),
        "baseline_final_accuracy": base["final_accuracy"], "threads": torch.get_num_threads(),
    }
    return result


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def main(argv: list[str] | None = None) -> dict:
    """Parse arguments, run, print human lines then the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help=f"{DRY_STEPS} steps of each recipe (seconds)")
    parser.add_argument("--target", type=float, default=TARGET, help="held-out accuracy to reach (0-1)")
    parser.add_argument("--baseline-epochs", type=int, default=BASELINE_EPOCHS, help="cap for the tutorial's recipe")
    args = parser.parse_args(argv)
    result = run(dry_run=args.dry_run, target=args.target, baseline_epochs=args.baseline_epochs)
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
