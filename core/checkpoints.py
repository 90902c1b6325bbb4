"""Weights on disk as safetensors: atomic writes, a cache keyed by config + seed, safe loading.

Nothing here ever unpickles: safetensors is a flat tensor format with a JSON header, and the config
travels as JSON in that header's metadata.
"""
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, is_dataclass
from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import load as load_bytes
from safetensors.torch import save as save_bytes
from torch import nn

from core.errors import IncompatibleCheckpoint, Phrase
from core.text import literal

CODE_VERSION = "2"  # bump when a change to models or training makes old cached weights wrong
MAX_CHECKPOINT_BYTES = 200 * 1024 * 1024


def _plain(obj):
    if is_dataclass(obj):
        return _plain(asdict(obj))
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in sorted(obj.items())}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    return obj


def config_key(*configs, seed: int = 0) -> str:
    """A stable 16-hex-digit name for configs (dataclasses or dicts) + seed + code version."""
    payload = json.dumps({"configs": _plain(list(configs)), "seed": seed, "code": CODE_VERSION},
                         sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def checkpoint_bytes(model: nn.Module, metadata: dict | None = None) -> bytes:
    """Serialise a model's state_dict (and JSON metadata) to safetensors bytes."""
    tensors = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    meta = {"playground": json.dumps(_plain(metadata or {}))}
    return save_bytes(tensors, metadata=meta)


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)  # atomic: readers see the old file or the new one, never half
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_checkpoint(path: str | Path, model: nn.Module, metadata: dict | None = None) -> Path:
    """Write the model's weights (+ metadata) to `path` atomically."""
    path = Path(path)
    _atomic_write(path, checkpoint_bytes(model, metadata))
    return path


def read_checkpoint(data: bytes) -> tuple[dict[str, torch.Tensor], dict]:
    """Parse safetensors bytes into (tensors, metadata). Refuses anything else with a clear message."""
    if len(data) > MAX_CHECKPOINT_BYTES:
        raise IncompatibleCheckpoint("ckpt_err_too_big", size=f"{len(data) / 1e6:.0f}", limit=MAX_CHECKPOINT_BYTES // 10**6)
    if data[:2] == b"\x80\x02" or data[:2] in (b"\x80\x03", b"\x80\x04", b"\x80\x05") or data[:2] == b"PK":
        raise IncompatibleCheckpoint("ckpt_err_pickle")
    try:
        tensors = load_bytes(data)
        header_len = int.from_bytes(data[:8], "little")
        header = json.loads(data[8:8 + header_len])
    except (SafetensorError, ValueError, UnicodeDecodeError) as exc:
        raise IncompatibleCheckpoint("ckpt_err_not_safetensors", reason=literal(exc, 120)) from exc
    raw_meta = (header.get("__metadata__") or {}).get("playground", "{}")
    try:
        metadata = json.loads(raw_meta)
    except ValueError:
        metadata = {}
    return tensors, metadata if isinstance(metadata, dict) else {}


def check_compatible(model: nn.Module, tensors: dict[str, torch.Tensor]) -> None:
    """Raise IncompatibleCheckpoint naming missing, unexpected and wrongly shaped tensors."""
    expected = model.state_dict()
    missing = [literal(k) for k in sorted(set(expected) - set(tensors))]
    unexpected = [literal(k) for k in sorted(set(tensors) - set(expected))]  # names from the file: outside text
    wrong = [Phrase("ckpt_shape", name=literal(k), file=str(tuple(tensors[k].shape)), model=str(tuple(expected[k].shape)))
             for k in sorted(set(expected) & set(tensors)) if tensors[k].shape != expected[k].shape]
    if missing or unexpected or wrong:
        def first(names: list) -> list:
            return [*names[:5], "..."] if len(names) > 5 else names
        parts = [Phrase(key, names=first(names)) for key, names in
                 (("ckpt_part_wrong_shape", wrong), ("ckpt_part_missing", missing), ("ckpt_part_unexpected", unexpected))
                 if names]
        raise IncompatibleCheckpoint("ckpt_err_mismatch", parts=parts)


def load_into(model: nn.Module, data: bytes) -> dict:
    """Load safetensors bytes into `model` after checking every name and shape; returns the metadata."""
    tensors, metadata = read_checkpoint(data)
    check_compatible(model, tensors)
    model.load_state_dict({k: v.to(model.state_dict()[k].dtype) for k, v in tensors.items()})
    return metadata


def load_checkpoint(path: str | Path, model: nn.Module) -> dict:
    """Load a .safetensors file from disk into `model`; returns its metadata."""
    return load_into(model, Path(path).read_bytes())


def cache_dir() -> Path:
    """Disk cache of trained models (`$PLAYGROUND_CACHE_DIR`, default `./.cache/models`)."""
    return Path(os.environ.get("PLAYGROUND_CACHE_DIR", ".cache/models")).expanduser()


def cached_path(key: str) -> Path:
    """Where the model trained under `key` lives in the disk cache."""
    return cache_dir() / f"{key}.safetensors"


def load_cached(key: str, model: nn.Module) -> dict | None:
    """Fill `model` from the disk cache; None when absent or unusable (the caller trains instead)."""
    path = cached_path(key)
    if not path.is_file():
        return None
    try:
        return load_checkpoint(path, model)
    except IncompatibleCheckpoint:
        return None


def store_cached(key: str, model: nn.Module, metadata: dict | None = None) -> Path:
    """Put a trained model into the disk cache under `key`."""
    return save_checkpoint(cached_path(key), model, metadata)
