"""Image datasets as in-memory tensors, with class names, normalisation stats and seeded splits.

Where each dataset comes from, in order:
- MNIST / Fashion-MNIST / CIFAR-10: torchvision's layout under the data dir
  (`$PLAYGROUND_DATA_DIR`, default `./data`); if missing, torchvision downloads it there when a
  network exists (set `PLAYGROUND_OFFLINE=1` to never try).
- MNIST only: the real 10k test set in `../shared/data/mnist/` (`$PLAYGROUND_SHARED_MNIST`), split
  as its README suggests: first 8,000 images train, last 2,000 test.
- "digits": scikit-learn's bundled 8x8 digits upscaled to 28x28: always there, the offline default.
A dataset that cannot be found raises `DatasetUnavailable` saying where it looked and what to do.
"""
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import torch
import torch.nn.functional as F

from core.errors import DatasetUnavailable, Phrase
from core.idx import find_file, read_cifar10, read_idx
from core.text import literal, shown_path

REPO_ROOT = Path(__file__).resolve().parent.parent
DIGIT_NAMES = [str(d) for d in range(10)]
FASHION_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                 "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
CIFAR10_NAMES = ["airplane", "automobile", "bird", "cat", "deer",
                 "dog", "frog", "horse", "ship", "truck"]
SHARED_MNIST_TRAIN = 8000  # the shared 10k set: first 8,000 train, last 2,000 held out


def data_dir() -> Path:
    """Where torchvision-style datasets live (and are downloaded to)."""
    return Path(os.environ.get("PLAYGROUND_DATA_DIR", "data")).expanduser()


def shared_mnist_dir() -> Path:
    """The real MNIST test set beside the repo (see ../shared/data/README.md)."""
    default = REPO_ROOT.parent / "shared" / "data" / "mnist"
    return Path(os.environ.get("PLAYGROUND_SHARED_MNIST", default)).expanduser()


def downloads_allowed() -> bool:
    """False when `PLAYGROUND_OFFLINE` is set (tests, offline workshops)."""
    return os.environ.get("PLAYGROUND_OFFLINE", "").lower() not in ("1", "true", "yes")


@dataclass(frozen=True)
class ImageDataConfig:
    name: str = "digits"            # key of IMAGE_DATASETS
    train_size: int | None = None   # keep at most this many training images (None: all)
    val_fraction: float = 0.1       # share of the training images held out for validation
    seed: int = 0                   # drives the validation split and the subset


@dataclass
class ImageData:
    """A dataset split into normalised float tensors (N, C, H, W) and int64 labels (N,)."""
    name: str
    source: str                      # human sentence: where the images came from
    classes: list[str]
    mean: tuple[float, ...]          # per channel, of the training split in [0, 1] units
    std: tuple[float, ...]
    x_train: torch.Tensor
    y_train: torch.Tensor
    x_val: torch.Tensor
    y_val: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor

    @property
    def image_shape(self) -> tuple[int, int, int]:
        """(C, H, W) of one image."""
        return tuple(self.x_train.shape[1:])

    def normalise(self, x01: torch.Tensor) -> torch.Tensor:
        """Images in [0, 1] → the units the models are trained on."""
        mean = torch.tensor(self.mean).view(1, -1, 1, 1)
        std = torch.tensor(self.std).view(1, -1, 1, 1)
        return (x01 - mean) / std

    def denormalise(self, x: torch.Tensor) -> torch.Tensor:
        """Model units → images in [0, 1] (for display)."""
        mean = torch.tensor(self.mean).view(1, -1, 1, 1)
        std = torch.tensor(self.std).view(1, -1, 1, 1)
        return (x * std + mean).clamp(0, 1)


# Raw loaders return uint8 arrays (N, H, W) or (N, C, H, W), labels, and a source sentence.
RawSplits = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, str]
_download_failures: dict[str, float] = {}  # dataset → time of the last failed download
_RETRY_DOWNLOAD_AFTER_S = 600


def _torchvision_datasets():
    """torchvision.datasets, imported only to download: the import alone costs a process ~165 MB
    (measured: RSS 615 -> 780 MB), and every training worker loads its data through here."""
    import torchvision.datasets

    return torchvision.datasets


def _try_download(name: str, download: Callable[[], object]) -> Phrase | None:
    """Run a torchvision download; return None on success or the reason it failed."""
    if not downloads_allowed():
        return Phrase("err_download_off")
    if time.time() - _download_failures.get(name, 0) < _RETRY_DOWNLOAD_AFTER_S:
        return Phrase("err_download_recent")
    try:
        download()
        return None
    except Exception as exc:  # torchvision raises URLError, RuntimeError, OSError...
        _download_failures[name] = time.time()
        return Phrase("err_download_failed", reason=literal(f"{type(exc).__name__}: {exc}", 120))


def _looked_download(folder: Path, why: Phrase | None) -> Phrase:
    """Where a download was tried and why it gave nothing."""
    return Phrase("err_looked_download", folder=shown_path(folder), why=why or Phrase("err_download_no_files"))


def _idx_pair(folder: Path, images: str, labels: str) -> tuple[np.ndarray, np.ndarray] | None:
    image_file, label_file = find_file(folder, images), find_file(folder, labels)
    if image_file is None or label_file is None:
        return None
    x, y = read_idx(image_file), read_idx(label_file).astype(np.int64)
    if x.ndim != 3 or len(x) != len(y):
        raise DatasetUnavailable("err_idx_mismatch", images=shown_path(image_file), labels=shown_path(label_file),
                                 x_shape=str(tuple(x.shape)), y_shape=str(tuple(y.shape)))
    return x, y


def _torchvision_idx(name: str, folder_name: str, tv_class: str) -> tuple[RawSplits | None, list[Phrase]]:
    """MNIST-style files in `<data dir>/<folder_name>/raw`, downloading them when possible."""
    raw = data_dir() / folder_name / "raw"
    looked = [Phrase("err_looked_files", folder=shown_path(f"{raw}/"),
                     files=literal("train-*-idx*-ubyte, t10k-*-idx*-ubyte[.gz]"))]

    def read() -> RawSplits | None:
        train = _idx_pair(raw, "train-images-idx3-ubyte", "train-labels-idx1-ubyte")
        test = _idx_pair(raw, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
        if train is None or test is None:
            return None
        return (*train, *test, f"{folder_name} from {raw}")

    found = read()
    if found is None:
        why = _try_download(name, lambda: [getattr(_torchvision_datasets(), tv_class)(str(data_dir()), train=t,
                                                                                      download=True)
                                           for t in (True, False)])
        found = read() if why is None else None
        looked.append(_looked_download(data_dir(), why))
    return found, looked


def _load_mnist() -> RawSplits:
    found, looked = _torchvision_idx("mnist", "MNIST", "MNIST")
    if found:
        return found
    shared = shared_mnist_dir()
    test = _idx_pair(shared, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
    if test is not None:
        x, y = test
        n = SHARED_MNIST_TRAIN
        return x[:n], y[:n], x[n:], y[n:], (
            f"the real MNIST test set in {shared}: first {n:,} images to train, last {len(x) - n:,} held out")
    looked.append(Phrase("err_looked_files", folder=shown_path(f"{shared}/"),
                         files=literal("t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz")))
    raise _unavailable("MNIST", looked)


def _load_fashion() -> RawSplits:
    found, looked = _torchvision_idx("fashion", "FashionMNIST", "FashionMNIST")
    if found:
        return found
    raise _unavailable("Fashion-MNIST", looked)


def _load_cifar10() -> RawSplits:
    root = data_dir()
    folders = [root / "cifar-10-batches-py", root / "cifar-10-batches-bin"]
    looked = [Phrase("err_looked_folder", folder=shown_path(f"{f}/")) for f in folders]

    def read() -> RawSplits | None:
        for folder in folders:
            if (folder / "data_batch_1").is_file() or (folder / "data_batch_1.bin").is_file():
                x_train, y_train, x_test, y_test, _ = read_cifar10(folder)
                return x_train, y_train, x_test, y_test, f"CIFAR-10 from {folder}"
        return None

    found = read()
    if found is None:
        why = _try_download("cifar10", lambda: _torchvision_datasets().CIFAR10(str(root), train=True, download=True))
        found = read() if why is None else None
        looked.append(_looked_download(root, why))
    if found:
        return found
    raise _unavailable("CIFAR-10", looked)


def _load_digits() -> RawSplits:
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16.0  # (1797, 1, 8, 8)
    # MNIST digits are ~20x20 centred in 28x28: upscale to 20x20 and pad 4 pixels a side.
    x = F.pad(F.interpolate(x, size=(20, 20), mode="bilinear", align_corners=False), (4, 4, 4, 4))
    x = (x.clamp(0, 1) * 255).round().to(torch.uint8).squeeze(1).numpy()  # (1797, 28, 28)
    y = digits.target.astype(np.int64)
    order = np.random.default_rng(1234).permutation(len(x))  # a fixed test set, whatever the seed
    test, train = order[:360], order[360:]
    return x[train], y[train], x[test], y[test], "scikit-learn's bundled 8x8 digits, upscaled to 28x28"


def _unavailable(title: str, looked: list[Phrase]) -> DatasetUnavailable:
    return DatasetUnavailable("err_dataset_missing", title=title, where=looked)


@dataclass(frozen=True)
class DatasetSpec:
    title: str                       # shown in menus
    classes: list[str]
    load: Callable[[], RawSplits]


IMAGE_DATASETS: dict[str, DatasetSpec] = {
    "digits": DatasetSpec("Digits 8x8 (offline)", DIGIT_NAMES, _load_digits),
    "mnist": DatasetSpec("MNIST", DIGIT_NAMES, _load_mnist),
    "fashion_mnist": DatasetSpec("Fashion-MNIST", FASHION_NAMES, _load_fashion),
    "cifar10": DatasetSpec("CIFAR-10", CIFAR10_NAMES, _load_cifar10),
}


def _as_float_nchw(x: np.ndarray) -> torch.Tensor:
    t = torch.from_numpy(np.ascontiguousarray(x)).float().div_(255.0)
    return t.unsqueeze(1) if t.ndim == 3 else t  # (N, C, H, W) in [0, 1]


def load_images(config: ImageDataConfig) -> ImageData:
    """Load a dataset as normalised tensors with a seeded train/validation split.

    The test split is the dataset's own; validation is `val_fraction` of the training images.
    Raises `DatasetUnavailable` (with where it looked) or `KeyError` for an unknown name.
    """
    spec = IMAGE_DATASETS[config.name]
    x_train, y_train, x_test, y_test, source = spec.load()
    x_train, x_test = _as_float_nchw(x_train), _as_float_nchw(x_test)
    y_train, y_test = torch.as_tensor(y_train, dtype=torch.int64), torch.as_tensor(y_test, dtype=torch.int64)

    generator = torch.Generator().manual_seed(config.seed)
    order = torch.randperm(len(x_train), generator=generator)
    n_val = int(round(len(order) * config.val_fraction))
    val_idx, train_idx = order[:n_val], order[n_val:]
    if config.train_size is not None:
        train_idx = train_idx[: config.train_size]
    x_val, y_val = x_train[val_idx], y_train[val_idx]
    x_train, y_train = x_train[train_idx], y_train[train_idx]

    dims = (0, 2, 3)
    mean = x_train.mean(dim=dims)  # (C,)
    std = x_train.std(dim=dims).clamp_min(1e-6)
    norm = lambda x: (x - mean.view(1, -1, 1, 1)) / std.view(1, -1, 1, 1)
    return ImageData(
        name=config.name, source=source, classes=list(spec.classes),
        mean=tuple(mean.tolist()), std=tuple(std.tolist()),
        x_train=norm(x_train), y_train=y_train, x_val=norm(x_val), y_val=y_val,
        x_test=norm(x_test), y_test=y_test)


def available_datasets() -> dict[str, str]:
    """Dataset key → title, for menus (every registered set; loading says if one is missing)."""
    return {key: spec.title for key, spec in IMAGE_DATASETS.items()}


def _idx_present(folder: Path, *stems: str) -> bool:
    return all(find_file(folder, stem) is not None for stem in stems)


_MNIST_STEMS = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


def dataset_status() -> dict[str, str | None]:
    """Dataset key → where it would load from right now without downloading, or None if missing.

    Only checks that files exist (cheap enough for every page view); loading may still fail on a
    corrupt file, with its own message.
    """
    root, shared = data_dir(), shared_mnist_dir()
    status: dict[str, str | None] = {"digits": "scikit-learn"}
    if _idx_present(root / "MNIST" / "raw", *_MNIST_STEMS):
        status["mnist"] = str(root / "MNIST" / "raw")
    elif _idx_present(shared, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"):
        status["mnist"] = str(shared)
    else:
        status["mnist"] = None
    fashion = root / "FashionMNIST" / "raw"
    status["fashion_mnist"] = str(fashion) if _idx_present(fashion, *_MNIST_STEMS) else None
    cifar = [f for f in (root / "cifar-10-batches-py", root / "cifar-10-batches-bin")
             if (f / "data_batch_1").is_file() or (f / "data_batch_1.bin").is_file()]
    status["cifar10"] = str(cifar[0]) if cifar else None
    return status
