"""Readers for the real on-disk formats of MNIST-style (IDX) and CIFAR-10 files.

Both readers refuse anything that is not exactly the documented format, with a message naming the
file. The CIFAR-10 "python version" is a pickle; it is read with an unpickler that can build
numpy arrays and nothing else, so a crafted file cannot run code.
"""
import gzip
import math
import pickle
from pathlib import Path

import numpy as np

from core.errors import DatasetUnavailable
from core.text import literal, shown_path


# IDX type byte → numpy dtype (big-endian where it matters), from LeCun's format description.
_IDX_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def _read_bytes(path: Path) -> bytes:
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as f:
            return f.read()
    except (OSError, EOFError) as exc:  # gzip raises BadGzipFile (an OSError) or EOFError
        raise DatasetUnavailable("err_file_unreadable", path=shown_path(path), reason=literal(exc, 120)) from exc


def read_idx(path: str | Path) -> np.ndarray:
    """Read an IDX file (optionally gzipped) into an array of its declared shape and type."""
    path = Path(path)
    raw = _read_bytes(path)
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_DTYPES:
        raise DatasetUnavailable("err_idx_magic", path=shown_path(path))
    ndim = raw[3]
    header = 4 + 4 * ndim
    if ndim == 0 or len(raw) < header:
        raise DatasetUnavailable("err_idx_header", path=shown_path(path))
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    dtype = np.dtype(_IDX_DTYPES[raw[2]])
    expected = math.prod(shape) * dtype.itemsize  # Python ints: np.prod would wrap around in int64
    if len(raw) - header != expected:
        raise DatasetUnavailable("err_idx_size", path=shown_path(path), shape=str(shape), expected=expected,
                                 actual=len(raw) - header)
    return np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))


def find_file(folder: Path, stem: str) -> Path | None:
    """`folder/stem` or `folder/stem.gz`, whichever exists."""
    for candidate in (folder / stem, folder / f"{stem}.gz"):
        if candidate.is_file():
            return candidate
    return None


class _ArrayOnlyUnpickler(pickle.Unpickler):
    """Builds dicts, lists, strings and numpy arrays; refuses every other global (no code runs)."""

    _ALLOWED = {
        ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
        ("numpy", "ndarray"), ("numpy", "dtype"),
        ("numpy.core.multiarray", "scalar"), ("numpy._core.multiarray", "scalar"),
        ("_codecs", "encode"),  # how protocol 2 stores bytes (an array's raw data) under Python 3
    }

    def find_class(self, module, name):
        if (module, name) in self._ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing to load {module}.{name}")


def _load_cifar_pickle(path: Path) -> dict:
    try:
        with open(path, "rb") as f:
            # CIFAR-10 was pickled by Python 2: latin1 maps its byte strings 1:1 (as torchvision does).
            batch = _ArrayOnlyUnpickler(f, encoding="latin1").load()
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError) as exc:
        raise DatasetUnavailable("err_cifar_batch", path=shown_path(path), reason=literal(exc, 120)) from exc
    if not isinstance(batch, dict):
        raise DatasetUnavailable("err_cifar_not_dict", path=shown_path(path))
    return {k.decode("latin1") if isinstance(k, bytes) else k: v for k, v in batch.items()}


def _cifar_python_batch(path: Path) -> tuple[np.ndarray, np.ndarray]:
    batch = _load_cifar_pickle(path)
    try:
        data = np.asarray(batch["data"], dtype=np.uint8).reshape(-1, 3, 32, 32)
        labels = np.asarray(batch.get("labels", batch.get("fine_labels")), dtype=np.int64)
    except (KeyError, ValueError, TypeError) as exc:
        raise DatasetUnavailable("err_cifar_batch", path=shown_path(path), reason=literal(exc, 120)) from exc
    if len(labels) != len(data):
        raise DatasetUnavailable("err_cifar_counts", path=shown_path(path), images=len(data), labels=len(labels))
    return data, labels


def _cifar_binary_batch(path: Path) -> tuple[np.ndarray, np.ndarray]:
    try:
        raw = np.fromfile(path, dtype=np.uint8)
    except OSError as exc:  # a missing batch file
        raise DatasetUnavailable("err_file_missing", path=shown_path(path), reason=literal(exc, 120)) from exc
    record = 1 + 3 * 32 * 32  # one label byte, then 1024 red, 1024 green, 1024 blue bytes
    if raw.size == 0 or raw.size % record:
        raise DatasetUnavailable("err_cifar_binary_size", path=shown_path(path), size=raw.size)
    rows = raw.reshape(-1, record)
    return rows[:, 1:].reshape(-1, 3, 32, 32), rows[:, 0].astype(np.int64)


CIFAR_TRAIN_BATCHES = [f"data_batch_{i}" for i in range(1, 6)]


def read_cifar10(folder: str | Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Read `cifar-10-batches-py` (torchvision's download) or `cifar-10-batches-bin`.

    Returns x_train (N, 3, 32, 32) uint8, y_train (N,), x_test, y_test, class names.
    """
    folder = Path(folder)
    binary = folder.name.endswith("-bin")
    reader, ext = (_cifar_binary_batch, ".bin") if binary else (_cifar_python_batch, "")
    train = [reader(folder / f"{name}{ext}") for name in CIFAR_TRAIN_BATCHES]
    x_test, y_test = reader(folder / f"test_batch{ext}")
    if binary:
        meta = folder / "batches.meta.txt"
        names = [n for n in meta.read_text().split() if n] if meta.is_file() else []
    else:
        meta = folder / "batches.meta"
        names = list(_load_cifar_pickle(meta).get("label_names", [])) if meta.is_file() else []
    x_train = np.concatenate([x for x, _ in train])
    y_train = np.concatenate([y for _, y in train])
    return x_train, y_train, x_test, y_test, names
