"""core/data.py: datasets from generated files in torchvision's layout, splits, offline fallback."""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

import core.data as data
from core.data import (CIFAR10_NAMES, DIGIT_NAMES, FASHION_NAMES, IMAGE_DATASETS, ImageDataConfig, data_dir,
                       dataset_status, load_images)
from core.errors import DatasetUnavailable
from tests.conftest import ROOT
from tests.unit.datafiles import (CIFAR_BATCHES, cifar_batches, image_ids, write_cifar_bin, write_cifar_py,
                                  write_idx, write_mnist_raw)


@pytest.fixture
def no_shared_mnist(tmp_path, monkeypatch):
    """Point the shared-MNIST fallback at an empty folder."""
    empty = tmp_path / "no_shared_mnist"
    empty.mkdir()
    monkeypatch.setenv("PLAYGROUND_SHARED_MNIST", str(empty))
    return empty


def _check_normalised(d):
    """Train split has mean ≈ 0 and std ≈ 1 per channel; stats are those of the [0, 1] images."""
    mean = d.x_train.mean(dim=(0, 2, 3))
    std = d.x_train.std(dim=(0, 2, 3))
    torch.testing.assert_close(mean, torch.zeros_like(mean), atol=1e-4, rtol=0)
    torch.testing.assert_close(std, torch.ones_like(std), atol=1e-4, rtol=0)
    assert len(d.mean) == len(d.std) == d.x_train.shape[1]
    for x in (x for x in (d.x_train, d.x_val, d.x_test) if len(x)):
        x01 = d.denormalise(x)
        assert x01.min() >= 0 and x01.max() <= 1
        # Denormalised pixels are whole multiples of 1/255 again (the original uint8 values).
        torch.testing.assert_close(x01 * 255, (x01 * 255).round(), atol=2e-3, rtol=0)


@pytest.mark.parametrize("gz", [True, False])
@pytest.mark.parametrize("name,folder,classes", [("mnist", "MNIST", DIGIT_NAMES),
                                                  ("fashion_mnist", "FashionMNIST", FASHION_NAMES)])
def test_load_mnist_style_from_data_dir(name, folder, classes, gz, no_shared_mnist):
    arrays = write_mnist_raw(data_dir() / folder / "raw", n_train=60, n_test=20, gz=gz)
    d = load_images(ImageDataConfig(name=name, val_fraction=0.25, seed=3))
    assert d.x_train.shape == (45, 1, 28, 28) and d.x_val.shape == (15, 1, 28, 28)
    assert d.x_test.shape == (20, 1, 28, 28)
    assert d.x_train.dtype == torch.float32 and d.y_train.dtype == torch.int64
    assert d.image_shape == (1, 28, 28)
    assert d.classes == classes
    assert str(data_dir() / folder / "raw") in d.source
    _check_normalised(d)
    # The test split is the file's own, in order, with its labels and exact pixels.
    x_test = arrays["t10k-images-idx3-ubyte"]
    np.testing.assert_array_equal((d.denormalise(d.x_test)[:, 0] * 255).round().numpy().astype(np.uint8), x_test)
    assert d.y_test.tolist() == arrays["t10k-labels-idx1-ubyte"].tolist()
    # Train + validation images carry their labels along.
    labels = arrays["train-labels-idx1-ubyte"]
    for x, y in ((d.x_train, d.y_train), (d.x_val, d.y_val)):
        ids = image_ids(d.denormalise(x))
        assert y.tolist() == [int(labels[i]) for i in ids]


@pytest.mark.parametrize("fmt", ["py", "bin"])
def test_load_cifar10_from_data_dir(fmt):
    batches = cifar_batches(per_batch=8)
    folder = data_dir() / f"cifar-10-batches-{fmt}"
    (write_cifar_bin if fmt == "bin" else write_cifar_py)(folder, batches)
    d = load_images(ImageDataConfig(name="cifar10", val_fraction=0.25, seed=0))
    assert d.x_train.shape == (30, 3, 32, 32) and d.x_val.shape == (10, 3, 32, 32)
    assert d.x_test.shape == (8, 3, 32, 32)
    assert d.image_shape == (3, 32, 32)
    assert d.classes == CIFAR10_NAMES
    assert str(folder) in d.source
    _check_normalised(d)
    x_test, y_test = batches["test_batch"]
    np.testing.assert_array_equal((d.denormalise(d.x_test) * 255).round().numpy().astype(np.uint8), x_test)
    assert d.y_test.tolist() == y_test.tolist()
    all_x = np.concatenate([batches[b][0] for b in CIFAR_BATCHES[:5]])
    all_y = np.concatenate([batches[b][1] for b in CIFAR_BATCHES[:5]])
    ids = image_ids(d.denormalise(d.x_train))
    assert d.y_train.tolist() == all_y[ids].tolist()
    np.testing.assert_array_equal((d.denormalise(d.x_train) * 255).round().numpy().astype(np.uint8), all_x[ids])


def test_normalise_denormalise_round_trip():
    d = load_images(ImageDataConfig(name="digits", train_size=200))
    x01 = torch.rand(5, 1, 28, 28, generator=torch.Generator().manual_seed(0))
    torch.testing.assert_close(d.denormalise(d.normalise(x01)), x01, atol=1e-6, rtol=0)
    # normalise is the same transform load_images applied to the training images.
    torch.testing.assert_close(d.normalise(d.denormalise(d.x_train)), d.x_train, atol=1e-5, rtol=0)


def test_rgb_normalisation_is_per_channel():
    # Channels with very different brightness must each end up at mean 0, std 1.
    batches = cifar_batches(per_batch=6)
    for name, (x, y) in batches.items():
        x[:, 0] //= 4          # dark red
        x[:, 2] = 200 + x[:, 2] // 8  # bright blue
    write_cifar_bin(data_dir() / "cifar-10-batches-bin", batches)
    d = load_images(ImageDataConfig(name="cifar10", val_fraction=0.0))
    assert d.mean[0] < 0.2 and d.mean[2] > 0.75
    _check_normalised(d)


# ---------------------------------------------------------------- splits

@pytest.fixture
def indexed_mnist(no_shared_mnist):
    """200 training images whose pixels encode their index."""
    write_mnist_raw(data_dir() / "MNIST" / "raw", n_train=200, n_test=10)
    return 200


def _ids(d):
    return image_ids(d.denormalise(d.x_train)), image_ids(d.denormalise(d.x_val))


def test_same_config_same_tensors(indexed_mnist):
    config = ImageDataConfig(name="mnist", train_size=100, val_fraction=0.2, seed=5)
    a, b = load_images(config), load_images(config)
    for field in ("x_train", "y_train", "x_val", "y_val", "x_test", "y_test"):
        assert torch.equal(getattr(a, field), getattr(b, field)), field
    assert a.mean == b.mean and a.std == b.std


def test_split_disjoint_and_sized(indexed_mnist):
    d = load_images(ImageDataConfig(name="mnist", val_fraction=0.15, seed=1))
    train, val = _ids(d)
    assert len(val) == round(200 * 0.15)
    assert not set(train) & set(val)
    assert sorted(train + val) == list(range(200))  # every image used exactly once


def test_different_seed_different_validation(indexed_mnist):
    vals = [set(_ids(load_images(ImageDataConfig(name="mnist", val_fraction=0.2, seed=s)))[1]) for s in range(3)]
    assert vals[0] != vals[1] and vals[1] != vals[2] and vals[0] != vals[2]


def test_train_size_respected_and_validation_unchanged(indexed_mnist):
    full = load_images(ImageDataConfig(name="mnist", val_fraction=0.2, seed=2))
    small = load_images(ImageDataConfig(name="mnist", train_size=37, val_fraction=0.2, seed=2))
    train_full, val_full = _ids(full)
    train_small, val_small = _ids(small)
    assert len(train_small) == 37 and len(small.y_train) == 37
    assert val_small == val_full  # shrinking the training set never moves images into validation
    assert set(train_small) <= set(train_full)
    # A train_size beyond the data just keeps everything.
    assert len(load_images(ImageDataConfig(name="mnist", train_size=10_000, val_fraction=0.2)).x_train) == 160


def test_digits_always_load_and_split_deterministically():
    a = load_images(ImageDataConfig(name="digits", seed=0))
    b = load_images(ImageDataConfig(name="digits", seed=1))
    assert a.x_train.shape[1:] == (1, 28, 28) and a.classes == DIGIT_NAMES
    assert len(a.x_train) + len(a.x_val) + len(a.x_test) == 1797
    assert torch.equal(a.y_test, b.y_test)  # the test set does not depend on the seed
    assert not torch.equal(a.y_val, b.y_val)
    assert set(a.y_train.tolist()) == set(range(10))
    _check_normalised(a)


def test_shared_mnist_fallback_real_files(monkeypatch):
    shared = data.shared_mnist_dir()
    if not (shared / "t10k-images-idx3-ubyte.gz").is_file():  # used when present (a clone elsewhere has none)
        pytest.skip(f"no shared MNIST in {shared}")
    d = load_images(ImageDataConfig(name="mnist", val_fraction=0.1, seed=0))
    assert len(d.x_train) + len(d.x_val) == 8000 and len(d.x_val) == 800
    assert d.x_test.shape == (2000, 1, 28, 28)
    assert str(shared) in d.source and "8,000" in d.source and "2,000" in d.source
    assert set(d.y_test.tolist()) == set(range(10))
    _check_normalised(d)
    status = dataset_status()
    assert status["mnist"] == str(shared)


def test_shared_mnist_fallback_generated(tmp_path, monkeypatch):
    shared = tmp_path / "shared_mnist"
    arrays = write_mnist_raw(shared, n_train=1, n_test=8010)  # only t10k-* are used from here
    for stem in ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"):
        (shared / stem).unlink()
    monkeypatch.setenv("PLAYGROUND_SHARED_MNIST", str(shared))
    d = load_images(ImageDataConfig(name="mnist", val_fraction=0.0))
    assert len(d.x_train) == 8000 and len(d.x_test) == 10
    # First 8,000 train, last ones held out, in file order.
    assert image_ids(d.denormalise(d.x_test)) == list(range(10_000 + 8000, 10_000 + 8010))
    assert d.y_test.tolist() == arrays["t10k-labels-idx1-ubyte"][8000:].tolist()


# ---------------------------------------------------------------- offline

@pytest.mark.parametrize("name,where", [("mnist", "MNIST/raw"), ("fashion_mnist", "FashionMNIST/raw"),
                                        ("cifar10", "cifar-10-batches-py")])
def test_offline_missing_dataset_says_where_and_offers_digits(name, where, no_shared_mnist):
    assert os.environ["PLAYGROUND_OFFLINE"] == "1"
    with pytest.raises(DatasetUnavailable) as info:
        load_images(ImageDataConfig(name=name))
    message = str(info.value)
    assert str(data_dir() / where) in message
    assert "digits" in message and "offline" in message.lower()
    assert "PLAYGROUND_OFFLINE" in message  # why no download was tried
    if name == "mnist":
        assert str(no_shared_mnist) in message


def test_download_failure_is_reported_and_not_retried_at_once(monkeypatch, no_shared_mnist):
    import torchvision.datasets as tvd

    calls = []

    class FailingFashion:
        def __init__(self, *args, **kwargs):
            calls.append(kwargs)
            raise OSError("no route to host")

    monkeypatch.delenv("PLAYGROUND_OFFLINE")
    monkeypatch.setattr(tvd, "FashionMNIST", FailingFashion)
    monkeypatch.setattr(data, "_download_failures", {})
    for attempt in range(2):
        with pytest.raises(DatasetUnavailable) as info:
            load_images(ImageDataConfig(name="fashion_mnist"))
        assert "digits" in str(info.value)
    assert "no route to host" not in str(info.value)  # second time: the cool-down message
    assert len(calls) == 1


def test_download_that_writes_files_is_used(monkeypatch, no_shared_mnist):
    import torchvision.datasets as tvd

    class FakeMNIST:
        def __init__(self, root, train, download):
            write_mnist_raw(Path(root) / "MNIST" / "raw", n_train=30, n_test=5, gz=False)

    monkeypatch.delenv("PLAYGROUND_OFFLINE")
    monkeypatch.setattr(tvd, "MNIST", FakeMNIST)
    monkeypatch.setattr(data, "_download_failures", {})
    d = load_images(ImageDataConfig(name="mnist", val_fraction=0.0))
    assert d.x_train.shape == (30, 1, 28, 28)


def test_corrupt_file_in_data_dir_names_it(no_shared_mnist):
    raw = data_dir() / "MNIST" / "raw"
    write_mnist_raw(raw, n_train=20, n_test=5)
    bad = raw / "train-images-idx3-ubyte.gz"
    bad.write_bytes(bad.read_bytes()[:40])
    with pytest.raises(DatasetUnavailable) as info:
        load_images(ImageDataConfig(name="mnist"))
    assert str(bad) in str(info.value)


def test_mismatched_image_and_label_counts(no_shared_mnist):
    raw = data_dir() / "MNIST" / "raw"
    write_mnist_raw(raw, n_train=20, n_test=5)
    write_idx(raw / "train-labels-idx1-ubyte.gz", np.zeros(19, np.uint8))
    with pytest.raises(DatasetUnavailable, match="train-labels"):
        load_images(ImageDataConfig(name="mnist"))


def test_unknown_dataset_is_key_error():
    with pytest.raises(KeyError):
        load_images(ImageDataConfig(name="imagenet"))


def test_dataset_status(no_shared_mnist, tmp_path, monkeypatch):
    status = dataset_status()
    assert set(status) == set(IMAGE_DATASETS)
    assert status["digits"] and status["mnist"] is None
    assert status["fashion_mnist"] is None and status["cifar10"] is None

    write_mnist_raw(data_dir() / "FashionMNIST" / "raw", n_train=5, n_test=5)
    write_cifar_bin(data_dir() / "cifar-10-batches-bin", cifar_batches(per_batch=1))
    status = dataset_status()
    assert status["fashion_mnist"] == str(data_dir() / "FashionMNIST" / "raw")
    assert status["cifar10"] == str(data_dir() / "cifar-10-batches-bin")
    assert status["mnist"] is None

    shared = tmp_path / "shared"
    write_mnist_raw(shared, n_train=5, n_test=5)
    monkeypatch.setenv("PLAYGROUND_SHARED_MNIST", str(shared))
    assert dataset_status()["mnist"] == str(shared)
    write_mnist_raw(data_dir() / "MNIST" / "raw", n_train=5, n_test=5)
    assert dataset_status()["mnist"] == str(data_dir() / "MNIST" / "raw")  # the full set wins
    # Half the MNIST files is not "available".
    (data_dir() / "FashionMNIST" / "raw" / "t10k-labels-idx1-ubyte.gz").unlink()
    assert dataset_status()["fashion_mnist"] is None
    # Every status that says "available" really loads.
    for name, where in dataset_status().items():
        if where is not None:
            load_images(ImageDataConfig(name=name, val_fraction=0.0))


OFFLINE_IMPORTS = """
import sys
from core.data import ImageDataConfig, load_images
from core.errors import DatasetUnavailable
for name in ("mnist", "fashion_mnist", "cifar10"):
    try:
        load_images(ImageDataConfig(name))
    except DatasetUnavailable:
        pass
print("torchvision" in sys.modules)
"""


def test_offline_loading_never_imports_torchvision(tmp_path, no_shared_mnist):
    # torchvision is only for downloading; importing it costs every training worker ~165 MB.
    env = {**os.environ, "PLAYGROUND_OFFLINE": "1", "PLAYGROUND_DATA_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", OFFLINE_IMPORTS], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120, check=True).stdout
    assert out.strip() == "False"
