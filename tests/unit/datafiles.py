"""Writers for small dataset files in the real on-disk formats (IDX, CIFAR-10 python and binary).

The tests build their own datasets with these, so the readers are checked against the formats
themselves (LeCun's IDX description, the CIFAR-10 page), not against files of unknown content.
"""
import gzip
import pickle
from pathlib import Path

import numpy as np

# numpy dtype → IDX type byte (LeCun: 0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double)
IDX_TYPE = {np.dtype(np.uint8): 0x08, np.dtype(np.int8): 0x09, np.dtype(">i2"): 0x0B,
            np.dtype(">i4"): 0x0C, np.dtype(">f4"): 0x0D, np.dtype(">f8"): 0x0E}


def idx_bytes(array: np.ndarray) -> bytes:
    """The IDX encoding of `array`: 0, 0, type byte, ndim, big-endian uint32 dims, big-endian data."""
    array = np.asarray(array)
    if array.dtype.itemsize > 1:
        array = array.astype(array.dtype.newbyteorder(">"))
    header = bytes([0, 0, IDX_TYPE[array.dtype], array.ndim])
    header += b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    return header + array.tobytes()


def write_bytes(path: Path, data: bytes) -> Path:
    """Write `data`, gzipped when the name ends in .gz."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    return path


def write_idx(path: Path, array: np.ndarray) -> Path:
    """Write `array` as an IDX file (gzipped when the name ends in .gz)."""
    return write_bytes(path, idx_bytes(array))


def indexed_images(n: int, offset: int = 0, size: int = 28, channels: int = 0,
                   seed: int = 0) -> np.ndarray:
    """Random uint8 images whose first two pixels encode their index (offset + i).

    Shape (n, size, size) when channels == 0 (MNIST-like) else (n, channels, size, size).
    """
    rng = np.random.default_rng(seed)
    shape = (n, size, size) if channels == 0 else (n, channels, size, size)
    x = rng.integers(0, 256, size=shape, dtype=np.uint8)
    flat = x.reshape(n, -1)
    ids = np.arange(offset, offset + n)
    flat[:, 0], flat[:, 1] = ids % 256, ids // 256
    return x


def image_ids(x01) -> list[int]:
    """Recover the indices written by `indexed_images` from images in [0, 1] units (N, C, H, W)."""
    flat = (np.asarray(x01).reshape(len(x01), -1) * 255).round().astype(np.int64)
    return (flat[:, 0] + 256 * flat[:, 1]).tolist()


def write_mnist_raw(folder: Path, n_train: int = 60, n_test: int = 20, gz: bool = True,
                    seed: int = 0) -> dict[str, np.ndarray]:
    """torchvision's MNIST/raw layout with small indexed images; returns the arrays written."""
    rng = np.random.default_rng(seed + 1)
    arrays = {
        "train-images-idx3-ubyte": indexed_images(n_train, 0, seed=seed),
        "train-labels-idx1-ubyte": rng.integers(0, 10, n_train).astype(np.uint8),
        "t10k-images-idx3-ubyte": indexed_images(n_test, 10_000, seed=seed + 2),
        "t10k-labels-idx1-ubyte": rng.integers(0, 10, n_test).astype(np.uint8),
    }
    for stem, array in arrays.items():
        write_idx(folder / (stem + (".gz" if gz else "")), array)
    return arrays


CIFAR_LABEL_NAMES = ["airplane", "automobile", "bird", "cat", "deer",
                     "dog", "frog", "horse", "ship", "truck"]
CIFAR_BATCHES = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]


def cifar_batches(per_batch: int = 4, seed: int = 0) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per batch name: images (n, 3, 32, 32) uint8 (indexed) and labels (n,) in 0..9."""
    rng = np.random.default_rng(seed)
    out = {}
    for b, name in enumerate(CIFAR_BATCHES):
        x = indexed_images(per_batch, b * per_batch, size=32, channels=3, seed=seed + b)
        out[name] = (x, rng.integers(0, 10, per_batch).astype(np.uint8))
    return out


def write_cifar_py(folder: Path, batches: dict, bytes_keys: bool = False) -> Path:
    """`cifar-10-batches-py`: protocol-2 pickles of {'data': (N, 3072) uint8, 'labels': list}."""
    folder.mkdir(parents=True, exist_ok=True)
    key = (lambda k: k.encode()) if bytes_keys else (lambda k: k)
    for name, (x, y) in batches.items():
        batch = {key("batch_label"): f"{name} of 6", key("labels"): [int(v) for v in y],
                 key("data"): x.reshape(len(x), 3072), key("filenames"): [f"img_{i}.png" for i in range(len(x))]}
        (folder / name).write_bytes(pickle.dumps(batch, protocol=2))
    meta = {key("label_names"): CIFAR_LABEL_NAMES, key("num_cases_per_batch"): 4, key("num_vis"): 3072}
    (folder / "batches.meta").write_bytes(pickle.dumps(meta, protocol=2))
    return folder


def write_cifar_bin(folder: Path, batches: dict) -> Path:
    """`cifar-10-batches-bin`: records of 1 label byte + 1024 red + 1024 green + 1024 blue bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (x, y) in batches.items():
        records = np.concatenate([y.reshape(-1, 1).astype(np.uint8), x.reshape(len(x), 3072)], axis=1)
        (folder / f"{name}.bin").write_bytes(records.tobytes())
    (folder / "batches.meta.txt").write_text("\n".join(CIFAR_LABEL_NAMES) + "\n\n")
    return folder
