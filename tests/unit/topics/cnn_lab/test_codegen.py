"""The generated PyTorch script: its model is our model (same weights → same outputs), and it runs."""
import contextlib
import io
import re
import subprocess
import sys
from dataclasses import replace

import pytest
import torch

from core.topics.cnn_lab import lab
from core.augment import AugmentConfig
from core.topics.cnn_lab.codegen import script
from core.data import ImageDataConfig, load_images
from core.models import ARCHITECTURES, default_config
from core.train import DoneEvent, EvalEvent, TrainConfig, evaluate, train


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


@pytest.mark.slow
def test_generated_script_trains_one_short_epoch_on_the_offline_digits(tmp_path):
    setup = _setup("fast_cnn", optimizer="momentum", lr=0.05, scheduler="step", class_weights=True, patience=2,
                   augment=AugmentConfig(crop_padding=2, rotate_deg=10))
    setup = replace(setup, model=replace(setup.model, batchnorm=True, dropout=0.2))
    path = tmp_path / "cnn.py"
    path.write_text(script(setup))
    done = subprocess.run([sys.executable, str(path), "--dry-run"], capture_output=True, text=True, timeout=300,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "(epoch 1):" in done.stdout and "test accuracy" in done.stdout
    accuracy = float(done.stdout.split("test accuracy")[1].strip().rstrip("%")) / 100
    assert 0.0 <= accuracy <= 1.0


def _exec_script(source: str) -> dict:
    """Run a generated script in this process; its validation steps, losses, stop step and test numbers."""
    out = io.StringIO()
    argv = sys.argv
    sys.argv = ["cnn.py"]
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(source, "cnn.py", "exec"), {"__name__": "__main__"})  # noqa: S102
    finally:
        sys.argv = argv
    text = out.getvalue()
    rows = re.findall(r"^step (\d+) \(epoch \d+\): train loss ([\d.]+), val loss ([\d.]+)", text, re.M)
    stop = re.search(r"early stopping at step (\d+)", text)
    test = re.search(r"test loss ([\d.]+), test accuracy ([\d.]+)%", text)
    return {"steps": [int(r[0]) for r in rows], "train": [float(r[1]) for r in rows], "val": [float(r[2]) for r in rows],
            "stop": int(stop.group(1)) if stop else None, "test_loss": float(test.group(1)),
            "test_acc": float(test.group(2)) / 100}


def _engine(setup: lab.LabSetup) -> tuple[list[EvalEvent], DoneEvent, float]:
    data = load_images(setup.data)
    model = lab.new_model(setup)
    events = list(train(model, data.x_train, data.y_train, setup.train, data.x_val, data.y_val))
    return ([e for e in events if isinstance(e, EvalEvent)], events[-1],
            evaluate(model, data.x_test, data.y_test, setup.train)[0])


SCRIPT_VS_ENGINE = {
    # patience 2 with the lab's 4 validations per epoch: the page stops within the first epoch
    "early_stopping": dict(epochs=4, batch_size=32, lr=3e-3, patience=2),
    # every option the script writes out, run to the end; patience still brings back the best weights
    "every_option": dict(epochs=2, batch_size=40, optimizer="momentum", lr=0.05, scheduler="step", gamma=0.5,
                         class_weights=True, label_smoothing=0.1, grad_clip=1.0, l1=1e-4, patience=50, seed=3,
                         augment=AugmentConfig(crop_padding=2, rotate_deg=10)),
}


@pytest.mark.parametrize("case", sorted(SCRIPT_VS_ENGINE))
def test_generated_script_validates_and_stops_where_the_page_does(case):
    train_config = lab.with_eval_every(TrainConfig(**SCRIPT_VS_ENGINE[case]), 200)
    setup = _setup("fast_cnn")
    setup = replace(setup, train=train_config, model=replace(setup.model, batchnorm=case == "every_option",
                                                             dropout=0.2 if case == "every_option" else 0.0))
    printed = _exec_script(script(setup))
    evals, done, test_loss = _engine(setup)
    assert printed["steps"] == [e.step for e in evals]
    assert printed["stop"] == (done.step if done.reason == "early_stopping" else None)
    assert (case == "early_stopping") == (done.reason == "early_stopping")
    # printed to 4 decimals; the same computation in the same order gives the same float32 numbers
    assert printed["val"] == pytest.approx([e.val_loss for e in evals], abs=6e-5)
    assert printed["train"] == pytest.approx([e.train_loss for e in evals], abs=6e-5)
    assert printed["test_loss"] == pytest.approx(test_loss, abs=6e-5)
