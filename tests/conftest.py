"""Shared test set-up: repo root importable, no downloads, a private model cache per run."""
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["PLAYGROUND_OFFLINE"] = "1"  # never try the network from tests
os.environ["PLAYGROUND_STRICT_I18N"] = "1"  # a missing i18n key fails the test (core/i18n.py)


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    """Each test gets empty data and model-cache dirs, so nothing leaks between tests."""
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PLAYGROUND_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="session")
def shared_mnist_available() -> bool:
    """True when the real MNIST test set lies beside the repo (see ../shared/data/README.md)."""
    from core.data import shared_mnist_dir

    return (shared_mnist_dir() / "t10k-images-idx3-ubyte.gz").is_file()
