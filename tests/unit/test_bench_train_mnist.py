"""bench.train_mnist in dry mode: both recipes run a few steps and the JSON line has sane fields."""
import json

import numpy as np
import pytest
import torch

from bench import train_mnist as bench


@pytest.fixture
def needs_mnist(shared_mnist_available):
    if not shared_mnist_available:
        pytest.skip("the real MNIST test set is not beside the repo (../shared/data/mnist)")


def test_mnistnet_is_the_tutorial_network():
    model = bench.MNISTNet()
    n_params = sum(p.numel() for p in model.parameters())
    # conv1 1→32 3x3, conv2 32→64 3x3, fc1 9216→128, fc2 128→10 (pytorch/examples mnist).
    assert n_params == (32 * 9 + 32) + (64 * 32 * 9 + 64) + (9216 * 128 + 128) + (128 * 10 + 10)
    out = model.eval()(torch.randn(5, 1, 28, 28))
    assert out.shape == (5, 10)
    assert torch.allclose(out.exp().sum(1), torch.ones(5), atol=1e-5)  # log-probabilities


def test_per_sample_dataset_matches_to_tensor_normalize():
    images = np.random.default_rng(0).integers(0, 256, (3, 28, 28), dtype=np.uint8)
    ds = bench.PerSampleMNIST(images, np.array([4, 1, 7]), bench.tutorial_transform())
    x, y = ds[2]
    assert len(ds) == 3 and y == 7 and x.shape == (1, 28, 28)
    expected = (torch.from_numpy(images[2]).float() / 255 - 0.1307) / 0.3081
    assert torch.allclose(x[0], expected, atol=1e-5)


def test_dry_run_json_has_the_fields(needs_mnist, capsys):
    result = bench.main(["--dry-run"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) > 3  # human lines come first
    last = json.loads(lines[-1])
    assert last == json.loads(json.dumps(result))
    for key in ("seconds_to_98", "baseline_seconds_to_98", "speedup", "images_per_s", "final_accuracy"):
        assert key in last
    assert last["bench"] == "train_mnist" and last["dry_run"] is True
    assert last["engine_steps"] == bench.DRY_STEPS and last["engine_evals"] == 1
    assert last["images_per_s"] > 0 and last["baseline_images_per_s"] > 0
    # A few steps learn something but cannot reach 98%: the bench must say so with nulls, not a time.
    assert 0.0 <= last["final_accuracy"] < bench.TARGET and 0.0 <= last["baseline_final_accuracy"] < bench.TARGET
    assert last["seconds_to_98"] is None and last["baseline_seconds_to_98"] is None and last["speedup"] is None


def test_reached_target_gives_seconds_and_ratio(needs_mnist, capsys):
    # A target of 0 is met at the first check: both report a time and the speedup is their ratio.
    result = bench.main(["--dry-run", "--target", "0"])
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["speedup"] == result["speedup"]
    assert result["seconds_to_98"] > 0 and result["baseline_seconds_to_98"] > 0
    assert result["speedup"] == pytest.approx(result["baseline_seconds_to_98"] / result["seconds_to_98"], rel=0.05)
    assert result["engine_evals"] == 1 and result["baseline_epochs"] == 1
