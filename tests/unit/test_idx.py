"""core/idx.py: IDX and CIFAR-10 readers on files written here in the real formats."""
import gzip
import os
import pickle

import numpy as np
import pytest

from core.errors import DatasetUnavailable
from core.idx import find_file, read_cifar10, read_idx
from tests.unit.datafiles import (CIFAR_BATCHES, CIFAR_LABEL_NAMES, cifar_batches, idx_bytes, write_bytes,
                                  write_cifar_bin, write_cifar_py, write_idx)


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("dtype", [np.uint8, np.int8, ">i2", ">i4", ">f4", ">f8"])
def test_read_idx_round_trips_every_type(tmp_path, gz, dtype):
    rng = np.random.default_rng(0)
    array = (rng.normal(0, 50, size=(3, 5, 4))).astype(dtype)
    path = write_idx(tmp_path / ("a.idx" + (".gz" if gz else "")), array)
    out = read_idx(path)
    assert out.shape == (3, 5, 4)
    assert out.dtype.isnative  # callers get native byte order
    np.testing.assert_array_equal(out, array)


def test_read_idx_labels_one_dimensional(tmp_path):
    labels = np.arange(10, dtype=np.uint8)
    np.testing.assert_array_equal(read_idx(write_idx(tmp_path / "l", labels)), labels)


def _assert_refused(path, *words):
    with pytest.raises(DatasetUnavailable) as info:
        read_idx(path)
    message = str(info.value)
    assert str(path) in message, "the message must name the file"
    for word in words:
        assert word in message
    return message


@pytest.mark.parametrize("gz", [False, True])
def test_read_idx_wrong_magic(tmp_path, gz):
    raw = bytearray(idx_bytes(np.zeros((2, 2), np.uint8)))
    raw[0] = 0x1F  # not 0, 0
    _assert_refused(write_bytes(tmp_path / ("m" + (".gz" if gz else "")), bytes(raw)), "magic")
    raw = bytearray(idx_bytes(np.zeros((2, 2), np.uint8)))
    raw[2] = 0x42  # unknown type byte
    _assert_refused(write_bytes(tmp_path / "t", bytes(raw)), "magic")


@pytest.mark.parametrize("gz", [False, True])
def test_read_idx_truncated_data(tmp_path, gz):
    raw = idx_bytes(np.ones((4, 3, 3), np.uint8))
    _assert_refused(write_bytes(tmp_path / ("x" + (".gz" if gz else "")), raw[:-5]), "truncated")


def test_read_idx_truncated_header_and_empty_file(tmp_path):
    raw = idx_bytes(np.ones((4, 3, 3), np.uint8))
    _assert_refused(write_bytes(tmp_path / "h", raw[:9]))  # dims cut in the middle
    _assert_refused(write_bytes(tmp_path / "e", b""))


def test_read_idx_header_size_mismatch(tmp_path):
    raw = idx_bytes(np.ones((4, 3, 3), np.uint8))
    message = _assert_refused(write_bytes(tmp_path / "padded", raw + b"\0" * 7))
    assert "(4, 3, 3)" in message
    # Header promising more images than the file holds.
    bigger = bytearray(raw)
    bigger[4:8] = (5).to_bytes(4, "big")
    _assert_refused(write_bytes(tmp_path / "more", bytes(bigger)))


def test_read_idx_header_whose_size_overflows_int64(tmp_path):
    # (2**16)^4 elements = 2**64: a product that wraps to 0 in int64 must still be refused cleanly.
    raw = bytes([0, 0, 0x08, 4]) + b"".join((2 ** 16).to_bytes(4, "big") for _ in range(4))
    _assert_refused(write_bytes(tmp_path / "huge", raw))


def test_read_idx_corrupt_gzip(tmp_path):
    data = gzip.compress(idx_bytes(np.ones((50, 28, 28), np.uint8)))
    path = tmp_path / "cut.gz"
    path.write_bytes(data[: len(data) // 2])
    _assert_refused(path)
    path.write_bytes(b"not gzip at all")
    _assert_refused(path)


def test_find_file_prefers_plain_then_gz(tmp_path):
    assert find_file(tmp_path, "a") is None
    (tmp_path / "a.gz").write_bytes(b"")
    assert find_file(tmp_path, "a") == tmp_path / "a.gz"
    (tmp_path / "a").write_bytes(b"")
    assert find_file(tmp_path, "a") == tmp_path / "a"


# ---------------------------------------------------------------- CIFAR-10

@pytest.mark.parametrize("fmt", ["py", "py-bytes-keys", "bin"])
def test_read_cifar10_both_formats(tmp_path, fmt):
    batches = cifar_batches(per_batch=3)
    if fmt == "bin":
        folder = write_cifar_bin(tmp_path / "cifar-10-batches-bin", batches)
    else:
        folder = write_cifar_py(tmp_path / "cifar-10-batches-py", batches, bytes_keys=fmt.endswith("keys"))
    x_train, y_train, x_test, y_test, names = read_cifar10(folder)
    assert x_train.shape == (15, 3, 32, 32) and x_train.dtype == np.uint8
    assert x_test.shape == (3, 3, 32, 32)
    np.testing.assert_array_equal(x_train, np.concatenate([batches[b][0] for b in CIFAR_BATCHES[:5]]))
    np.testing.assert_array_equal(y_train, np.concatenate([batches[b][1] for b in CIFAR_BATCHES[:5]]))
    np.testing.assert_array_equal(x_test, batches["test_batch"][0])
    np.testing.assert_array_equal(y_test, batches["test_batch"][1])
    assert y_train.dtype == np.int64
    assert names == CIFAR_LABEL_NAMES


def test_cifar_channel_layout_is_red_green_blue_planes(tmp_path):
    # One image: red plane all 10, green 20, blue 30 (the documented 1024 + 1024 + 1024 order).
    x = np.concatenate([np.full(1024, v, np.uint8) for v in (10, 20, 30)]).reshape(1, 3, 32, 32)
    batches = {name: (x, np.array([7], np.uint8)) for name in CIFAR_BATCHES}
    for folder in (write_cifar_bin(tmp_path / "cifar-10-batches-bin", batches),
                   write_cifar_py(tmp_path / "cifar-10-batches-py", batches)):
        x_train, y_train, *_ = read_cifar10(folder)
        assert x_train[0, :, 5, 7].tolist() == [10, 20, 30]
        assert y_train.tolist() == [7] * 5


@pytest.mark.parametrize("fmt", ["py", "bin"])
def test_cifar_missing_batch_is_dataset_unavailable(tmp_path, fmt):
    batches = cifar_batches(per_batch=2)
    folder = (write_cifar_bin if fmt == "bin" else write_cifar_py)(tmp_path / f"cifar-10-batches-{fmt}", batches)
    victim = folder / ("data_batch_3" + (".bin" if fmt == "bin" else ""))
    os.remove(victim)
    with pytest.raises(DatasetUnavailable) as info:
        read_cifar10(folder)
    assert "data_batch_3" in str(info.value)


def test_cifar_binary_wrong_record_size(tmp_path):
    batches = cifar_batches(per_batch=2)
    folder = write_cifar_bin(tmp_path / "cifar-10-batches-bin", batches)
    path = folder / "data_batch_2.bin"
    path.write_bytes(path.read_bytes()[:-1])
    with pytest.raises(DatasetUnavailable) as info:
        read_cifar10(folder)
    assert str(path) in str(info.value)


def test_cifar_python_label_count_mismatch(tmp_path):
    batches = cifar_batches(per_batch=2)
    folder = write_cifar_py(tmp_path / "cifar-10-batches-py", batches)
    (folder / "test_batch").write_bytes(pickle.dumps(
        {"data": np.zeros((2, 3072), np.uint8), "labels": [1, 2, 3]}, protocol=2))
    with pytest.raises(DatasetUnavailable, match="test_batch"):
        read_cifar10(folder)


class _Marker:
    """Unpickling this would create a file: proof that code ran."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


@pytest.mark.parametrize("protocol", [0, 2, 5])
def test_cifar_pickle_with_code_is_refused_without_running_it(tmp_path, protocol):
    batches = cifar_batches(per_batch=2)
    folder = write_cifar_py(tmp_path / "cifar-10-batches-py", batches)
    marker = tmp_path / "pwned"
    payload = {"data": np.zeros((2, 3072), np.uint8), "labels": [0, 1], "evil": _Marker(str(marker))}
    (folder / "data_batch_1").write_bytes(pickle.dumps(payload, protocol=protocol))
    with pytest.raises(DatasetUnavailable) as info:
        read_cifar10(folder)
    assert "data_batch_1" in str(info.value)
    assert not marker.exists()


def test_cifar_pickle_that_is_not_a_dict(tmp_path):
    folder = write_cifar_py(tmp_path / "cifar-10-batches-py", cifar_batches(per_batch=2))
    (folder / "data_batch_4").write_bytes(pickle.dumps([1, 2, 3], protocol=2))
    with pytest.raises(DatasetUnavailable, match="data_batch_4"):
        read_cifar10(folder)
    (folder / "data_batch_4").write_bytes(b"\x80\x02garbage")
    with pytest.raises(DatasetUnavailable, match="data_batch_4"):
        read_cifar10(folder)
