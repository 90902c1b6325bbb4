"""The generated PyTorch script: its model is our model (same weights → same outputs), and it runs."""
import subprocess
import sys
from dataclasses import replace

import pytest
import torch

from core import cnn_lab as lab
from core.augment import AugmentConfig
from core.codegen_cnn import script
from core.data import ImageDataConfig
from core.models import ARCHITECTURES, default_config
from core.train import TrainConfig


def _setup(arch: str, channels: int = 1, side: int = 28, **train) -> lab.LabSetup:
    model = default_config(arch, in_channels=channels, image_size=side)
    return lab.LabSetup(ImageDataConfig("digits", 200), model, TrainConfig(**train), seed=0)


@pytest.mark.parametrize("arch", list(ARCHITECTURES))
def test_generated_model_matches_ours(arch):
    channels, side = (3, 32) if arch == "resnet_small" else (1, 28)
    setup = _setup(arch, channels, side)
    namespace: dict = {"__name__": "generated"}
    exec(compile(script(setup), "generated.py", "exec"), namespace)  # defines build_model, not main()
    theirs, ours = namespace["build_model"](), lab.new_model(setup)
    theirs.load_state_dict(ours.state_dict())  # same names and shapes, or this raises
    x = torch.randn(2, channels, side, side)
    with torch.no_grad():
        assert torch.allclose(theirs.eval()(x), ours.eval()(x), atol=1e-5)


def test_generated_script_trains_one_short_epoch_on_the_offline_digits(tmp_path):
    setup = _setup("fast_cnn", optimizer="momentum", lr=0.05, scheduler="step", class_weights=True, patience=2,
                   augment=AugmentConfig(crop_padding=2, rotate_deg=10))
    setup = replace(setup, model=replace(setup.model, batchnorm=True, dropout=0.2))
    path = tmp_path / "cnn.py"
    path.write_text(script(setup))
    done = subprocess.run([sys.executable, str(path), "--dry-run"], capture_output=True, text=True, timeout=300,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "epoch 1:" in done.stdout and "test accuracy" in done.stdout
    accuracy = float(done.stdout.split("test accuracy")[1].strip().rstrip("%")) / 100
    assert 0.0 <= accuracy <= 1.0


def test_generated_script_learns_the_offline_digits_and_early_stopping_keeps_the_best_weights(tmp_path):
    setup = _setup("fast_cnn", optimizer="adam", lr=3e-3, batch_size=16, epochs=4, patience=1)
    path = tmp_path / "cnn.py"
    path.write_text(script(setup))
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    val_losses = [float(line.split("val loss ")[1].split(",")[0]) for line in done.stdout.splitlines()
                  if line.startswith("epoch ")]
    assert val_losses[-1] < val_losses[0] or "early stopping" in done.stdout
    if "early stopping" in done.stdout:  # it went back to the best epoch's weights
        assert f"val loss {min(val_losses):.4f}" in done.stdout.split("early stopping")[1]
    accuracy = float(done.stdout.split("test accuracy")[1].strip().rstrip("%")) / 100
    assert accuracy > 0.6, done.stdout  # 10 classes: chance is 0.1
