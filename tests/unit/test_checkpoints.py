"""core/checkpoints.py: safetensors round trips, atomic writes, refusals that never unpickle, cache keys."""
import io
import os
import pickle
import struct

import pytest
import torch
from safetensors.torch import save as safetensors_save
from torch import nn

import core.checkpoints as ckpt
from core.checkpoints import (cached_path, check_compatible, checkpoint_bytes, config_key, load_cached,
                              load_checkpoint, load_into, read_checkpoint, save_checkpoint, store_cached)
from core.errors import IncompatibleCheckpoint
from core.text import literal
from core.models import build_model, default_config
from core.train import TrainConfig


def small_cnn(seed=0, **overrides):
    return build_model(default_config("simple_cnn", width=4, **overrides), seed=seed)


def outputs(model, seed=0):
    model.eval()
    with torch.no_grad():
        return model(torch.randn(3, 1, 28, 28, generator=torch.Generator().manual_seed(seed)))


@pytest.mark.parametrize("overrides", [{}, {"batchnorm": True}])
def test_round_trip_identical_outputs(tmp_path, overrides):
    model = small_cnn(seed=1, **overrides)
    if overrides:  # give BatchNorm running stats something other than their defaults
        model.train()
        model(torch.randn(8, 1, 28, 28))
    path = save_checkpoint(tmp_path / "m.safetensors", model, {"arch": "simple_cnn", "epochs": 3})
    fresh = small_cnn(seed=2, **overrides)
    assert not torch.equal(outputs(fresh), outputs(model))
    meta = load_checkpoint(path, fresh)
    assert meta == {"arch": "simple_cnn", "epochs": 3}
    assert torch.equal(outputs(fresh), outputs(model))
    for (name, a), b in zip(model.state_dict().items(), fresh.state_dict().values()):
        assert torch.equal(a, b) and a.dtype == b.dtype, name


def test_metadata_with_dataclasses_round_trips():
    model = small_cnn()
    config = TrainConfig(epochs=2, lr=0.01)
    _, meta = read_checkpoint(checkpoint_bytes(model, {"train": config, "nested": {"b": 1, "a": (1, 2)}}))
    assert meta["train"]["lr"] == 0.01 and meta["train"]["augment"]["crop_padding"] == 0
    assert meta["nested"] == {"a": [1, 2], "b": 1}


def test_atomic_write_leaves_no_temp_files(tmp_path):
    folder = tmp_path / "deep" / "er"
    model = small_cnn()
    for _ in range(3):
        save_checkpoint(folder / "a.safetensors", model)
    save_checkpoint(folder / "b.safetensors", model)
    assert sorted(p.name for p in folder.iterdir()) == ["a.safetensors", "b.safetensors"]


def test_failed_write_keeps_old_file_and_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "m.safetensors"
    old = small_cnn(seed=0)
    save_checkpoint(path, old)
    before = path.read_bytes()

    def broken_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(ckpt.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        save_checkpoint(path, small_cnn(seed=5))
    assert path.read_bytes() == before  # readers still see the old, complete file
    assert [p.name for p in tmp_path.iterdir()] == ["m.safetensors"]


def test_wrong_shape_names_the_tensor(tmp_path):
    path = save_checkpoint(tmp_path / "wide.safetensors", build_model(default_config("simple_cnn", width=8)))
    target = small_cnn()  # width 4
    before = {k: v.clone() for k, v in target.state_dict().items()}
    with pytest.raises(IncompatibleCheckpoint) as info:
        load_checkpoint(path, target)
    message = str(info.value)
    assert literal("features.0.weight") in message and "(8, 1, 3, 3)" in message and "(4, 1, 3, 3)" in message
    assert all(torch.equal(before[k], v) for k, v in target.state_dict().items()), "nothing half-loaded"


def test_missing_and_unexpected_keys_named():
    model = small_cnn()
    tensors = {k: v.clone() for k, v in model.state_dict().items()}
    last = list(tensors)[-1]  # the output layer's bias
    del tensors[last]
    tensors["extra.layer.weight"] = torch.zeros(2)
    with pytest.raises(IncompatibleCheckpoint) as info:
        load_into(model, safetensors_save(tensors))
    message = str(info.value)
    assert f"missing: {literal(last)}" in message  # names from the file are shown as literal text
    assert literal("extra.layer.weight") in message


def test_check_compatible_accepts_a_match():
    model = small_cnn()
    check_compatible(model, {k: v.clone() for k, v in model.state_dict().items()})


def test_dtype_is_converted_to_the_model_dtype():
    model = small_cnn()
    half = {k: (v.half() if v.is_floating_point() else v) for k, v in model.state_dict().items()}
    fresh = small_cnn(seed=3)
    load_into(fresh, safetensors_save(half))
    assert all(v.dtype == w.dtype for v, w in zip(fresh.state_dict().values(), model.state_dict().values()))
    torch.testing.assert_close(outputs(fresh), outputs(model), atol=2e-2, rtol=2e-2)


class Marker:
    """Unpickling this object creates a file: if the file exists, code from the upload ran."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def _pickle_payloads(marker):
    payloads = {f"pickle protocol {p}": pickle.dumps({"weight": Marker(marker)}, protocol=p) for p in range(6)}
    buffer = io.BytesIO()
    torch.save({"state": Marker(marker), "w": torch.zeros(2)}, buffer)  # zip-based torch.save
    payloads["torch.save"] = buffer.getvalue()
    buffer = io.BytesIO()
    torch.save({"state": Marker(marker)}, buffer, _use_new_zipfile_serialization=False)  # legacy
    payloads["torch.save legacy"] = buffer.getvalue()
    return payloads


def test_pickle_payloads_refused_without_running(tmp_path):
    marker = tmp_path / "pwned"
    payloads = _pickle_payloads(marker)
    # Sanity: these payloads really would run code when unpickled.
    pickle.loads(payloads["pickle protocol 2"])
    assert marker.exists()
    marker.unlink()
    model = small_cnn()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    for name, data in payloads.items():
        with pytest.raises(IncompatibleCheckpoint):
            load_into(model, data)
        path = tmp_path / f"{name.replace(' ', '_')}.pt"
        path.write_bytes(data)
        with pytest.raises(IncompatibleCheckpoint):
            load_checkpoint(path, model)
        assert not marker.exists(), f"{name} was executed"
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())


def test_pickle_refusal_message_says_why():
    buffer = io.BytesIO()
    torch.save({"w": torch.zeros(2)}, buffer)
    with pytest.raises(IncompatibleCheckpoint, match="safetensors"):
        read_checkpoint(buffer.getvalue())


@pytest.mark.parametrize("data", [
    b"", b"\x00", b"hello world, not weights", os.urandom(4096),
    struct.pack("<Q", 10 ** 12) + b"{}",                      # header length far beyond the file
    struct.pack("<Q", 5) + b"{oops",                           # header that is not JSON
    struct.pack("<Q", 2) + b"[]",                              # JSON, but not an object
])
def test_garbage_refused(data):
    with pytest.raises(IncompatibleCheckpoint):
        load_into(small_cnn(), data)


def test_truncated_safetensors_refused():
    data = checkpoint_bytes(small_cnn())
    with pytest.raises(IncompatibleCheckpoint):
        load_into(small_cnn(), data[:-100])


def test_oversized_refused(monkeypatch):
    monkeypatch.setattr(ckpt, "MAX_CHECKPOINT_BYTES", 1000)
    with pytest.raises(IncompatibleCheckpoint, match="MB"):
        read_checkpoint(checkpoint_bytes(small_cnn()))


def test_bad_metadata_is_ignored_not_fatal():
    model = small_cnn()
    tensors = {k: v.clone() for k, v in model.state_dict().items()}
    assert load_into(small_cnn(seed=1), safetensors_save(tensors, metadata={"playground": "{not json"})) == {}
    assert load_into(small_cnn(seed=1), safetensors_save(tensors)) == {}


# ---------------------------------------------------------------- keys and the disk cache

def test_config_key_stable_and_distinct():
    model_config = default_config("fast_cnn")
    train_config = TrainConfig(epochs=2)
    key = config_key(model_config, train_config, seed=1)
    assert len(key) == 16 and int(key, 16) >= 0
    assert key == config_key(model_config, train_config, seed=1)
    assert key == config_key(default_config("fast_cnn"), TrainConfig(epochs=2), seed=1)  # equal, not identical
    assert key != config_key(model_config, train_config, seed=2)
    assert key != config_key(model_config, TrainConfig(epochs=3), seed=1)
    assert key != config_key(default_config("fast_cnn", width=16), train_config, seed=1)
    assert key != config_key(train_config, model_config, seed=1)
    assert config_key({"a": 1, "b": 2}) == config_key({"b": 2, "a": 1})  # dict order does not matter


def test_config_key_stable_across_processes():
    import subprocess
    import sys

    from tests.conftest import ROOT

    code = ("from core.checkpoints import config_key; from core.models import default_config; "
            "from core.train import TrainConfig; print(config_key(default_config('mlp'), TrainConfig(), seed=3))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PYTHONHASHSEED": "123"}, check=True)
    assert out.stdout.strip() == config_key(default_config("mlp"), TrainConfig(), seed=3)


def test_config_key_changes_with_code_version(monkeypatch):
    key = config_key(TrainConfig())
    monkeypatch.setattr(ckpt, "CODE_VERSION", ckpt.CODE_VERSION + "-next")
    assert config_key(TrainConfig()) != key


def test_disk_cache_store_and_load(tmp_path):
    assert ckpt.cache_dir() == tmp_path / "cache"  # conftest's private cache dir
    model = small_cnn(seed=4)
    key = config_key(default_config("simple_cnn", width=4), seed=4)
    assert load_cached(key, small_cnn()) is None  # nothing cached yet
    path = store_cached(key, model, {"val_acc": 0.5})
    assert path == cached_path(key) and path.is_file() and path.parent == tmp_path / "cache"
    fresh = small_cnn(seed=0)
    assert load_cached(key, fresh) == {"val_acc": 0.5}
    assert torch.equal(outputs(fresh), outputs(model))
    assert load_cached(config_key(default_config("simple_cnn", width=4), seed=5), small_cnn()) is None


def test_disk_cache_unusable_entry_means_retrain(tmp_path):
    key = "0123456789abcdef"
    cached_path(key).parent.mkdir(parents=True)
    cached_path(key).write_bytes(b"garbage")
    assert load_cached(key, small_cnn()) is None
    store_cached(key, build_model(default_config("simple_cnn", width=8)))
    assert load_cached(key, small_cnn()) is None  # wrong shapes: ignore, do not crash


def test_non_tensor_state_survives(tmp_path):
    model = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
    model.train()
    model(torch.randn(5, 3))
    fresh = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
    load_checkpoint(save_checkpoint(tmp_path / "bn.safetensors", model), fresh)
    assert fresh[1].num_batches_tracked.item() == 1 and fresh[1].num_batches_tracked.dtype == torch.int64
