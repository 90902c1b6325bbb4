"""CNN lab core: every model trains, summaries have the right shapes, live runs slice and stop,
finished runs are cached, weights round trip and mismatched weights are refused."""
import math
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from core.topics.cnn_lab import lab
from core.augment import AugmentConfig
from core.checkpoints import checkpoint_bytes, cached_path
from core.data import ImageData, ImageDataConfig
from core.errors import IncompatibleCheckpoint
from core.models import ARCHITECTURES, build_model, count_parameters, default_config
from core.train import TrainConfig
from tests.unit.test_text import assert_literal


def tiny_data(channels: int = 1, side: int = 28, n: int = 160, seed: int = 0, name: str = "digits") -> ImageData:
    """A learnable toy image set: class c lights up a bright square at a class-specific place."""
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % 10
    x = torch.rand(n, channels, side, side, generator=g) * 0.2  # (N, C, H, W) noise
    cell = side // 4
    for i, c in enumerate(y.tolist()):
        r, col = divmod(c, 4)
        x[i, :, r * cell:(r + 1) * cell, col * cell:(col + 1) * cell] += 0.8
    x = (x - x.mean()) / x.std()
    stats = (0.0,) * channels
    return ImageData(name, "toy", [str(c) for c in range(10)], stats, (1.0,) * channels,
                     x[: n * 3 // 4], y[: n * 3 // 4], x[n * 3 // 4: n * 7 // 8], y[n * 3 // 4: n * 7 // 8],
                     x[n * 7 // 8:], y[n * 7 // 8:])


def started(setup: lab.LabSetup, data: ImageData):
    """The setup's live run, started (nothing trained yet)."""
    run = lab.new_run(setup, data)
    run.start()
    return run


def run_to_end(setup: lab.LabSetup, data: ImageData):
    run = started(setup, data)
    while not run.done:
        run.advance(max_seconds=1.0)
    return run


def tiny_setup(arch: str = "fast_cnn", channels: int = 1, side: int = 28, **train) -> lab.LabSetup:
    model = default_config(arch, in_channels=channels, image_size=side, width=8)
    options = {"epochs": 1, "batch_size": 16, "lr": 3e-3, "max_steps": 0, **train}
    return lab.LabSetup(ImageDataConfig("digits", 120), model, TrainConfig(**options), seed=0)


@pytest.mark.parametrize("arch", list(ARCHITECTURES))
def test_every_model_learns_in_a_few_steps(arch):
    channels = 3 if arch in ("cifar10_net", "resnet_small") else 1
    data = tiny_data(channels, side=16, n=96)  # 72 training images: 5 steps of 16 per epoch
    setup = tiny_setup(arch, channels, 16, epochs=3, eval_every=5)
    run = started(setup, data)
    while not run.done:
        run.advance(max_seconds=0.05)
    assert run.done_event.reason == "completed" and run.done_event.step == run.total_steps == 3 * math.ceil(72 / 16)
    losses = run.history.loss
    assert all(math.isfinite(v) for v in losses)
    assert np.mean(losses[-3:]) < np.mean(losses[:3]), (arch, losses)
    assert run.history.eval_step and run.history.val_acc[-1] is not None


def _conv_out(n: int, k: int, p: int, s: int) -> int:
    return (n + 2 * p - k) // s + 1


@pytest.mark.parametrize("arch", list(ARCHITECTURES))
def test_summary_shapes_follow_the_conv_formula_and_params_add_up(arch):
    config = default_config(arch, in_channels=1, image_size=28)
    model = build_model(config)
    rows, total = lab.model_summary(config)
    assert total == count_parameters(model)
    assert sum(r["params"] for r in rows) == total
    assert rows[-1]["shape"] == "10"  # logits for 10 classes
    modules = dict(model.named_modules())
    side = 28
    for row in rows:  # walk the layers in order, predicting each spatial size by hand
        module = modules[row["layer"]]
        if row["kind"] == "Conv2d":
            side = _conv_out(side, module.kernel_size[0], module.padding[0], module.stride[0])
            assert row["shape"] == f"{module.out_channels} × {side} × {side}", row
        elif row["kind"] == "MaxPool2d":
            side = _conv_out(side, module.kernel_size, 0, module.kernel_size)
            assert row["shape"].endswith(f"{side} × {side}"), row
        elif row["kind"] == "ResidualBlock":
            side = _conv_out(side, 3, 1, module.body[0].stride[0])
            assert row["shape"] == f"{module.body[0].out_channels} × {side} × {side}", row


def test_fast_cnn_summary_matches_the_hand_computed_table():
    rows, _ = lab.model_summary(default_config("fast_cnn"))
    shapes = [(r["kind"], r["shape"]) for r in rows]
    assert shapes[:6] == [("Conv2d", "24 × 28 × 28"), ("ReLU", "24 × 28 × 28"), ("MaxPool2d", "24 × 14 × 14"),
                          ("Conv2d", "32 × 14 × 14"), ("ReLU", "32 × 14 × 14"), ("MaxPool2d", "32 × 7 × 7")]
    assert ("Flatten", "1568") in shapes and rows[0]["params"] == 24 * 25 + 24


def test_live_run_advances_in_bounded_slices_and_stops_at_once():
    data = tiny_data(n=800)
    run = started(tiny_setup(epochs=5, batch_size=8), data)
    assert run.advance(max_seconds=0.0) == 1 and not run.done  # a zero budget still does exactly one step
    assert run.last_step.step == 1 and 0 < run.progress().fraction < 1
    run.advance(max_seconds=0.02)
    steps = run.last_step.step
    assert 1 < steps < run.total_steps
    run.stop()  # takes effect at once, without another step
    assert run.done and run.done_event.reason == "stopped" and run.done_event.step == steps
    assert run.advance(max_seconds=10.0) == 0
    record = lab.finish(1, run, data)
    assert record.reason == "stopped" and not cached_path(run.setup.key()).exists()  # stopped: not cached


def test_finished_runs_are_cached_and_reloaded_as_copies():
    data = tiny_data()
    setup = tiny_setup(max_steps=6)
    record = lab.finish(3, run_to_end(setup, data), data)
    assert record.reason == "max_steps" and cached_path(setup.key()).exists()
    assert record.test_probs.shape == (len(data.x_test), 10)
    assert torch.allclose(record.test_probs.sum(1), torch.ones(len(data.x_test)))
    assert record.test_acc == pytest.approx((record.test_pred == data.y_test).float().mean().item())

    state, meta = lab.load_trained(setup)
    again = lab.record_from_cache(4, setup, data, state, meta)
    assert again.reason == "cached" and again.history.loss == record.history.loss
    assert torch.allclose(again.test_probs, record.test_probs, atol=1e-6)
    frozen = {k: v.clone() for k, v in state.items()}
    with torch.no_grad():  # training the reloaded copy further must not touch the cached weights
        for p in again.model.parameters():
            p.add_(1.0)
    assert all(torch.equal(state[k], frozen[k]) for k in state)
    with pytest.raises(KeyError):
        lab.load_trained(replace(setup, seed=1))  # a different seed is a different model


def test_weights_round_trip_through_a_download():
    data = tiny_data()
    setup = tiny_setup(max_steps=3)
    record = lab.finish(1, run_to_end(setup, data), data)
    blob = lab.weights_download(record)
    restored_setup = lab.setup_from_upload(blob)
    assert restored_setup == setup and restored_setup.key() == setup.key()
    model = lab.model_from_upload(blob, restored_setup)
    with torch.no_grad():
        assert torch.allclose(model(data.x_test), record.model.eval()(data.x_test), atol=1e-6)


def test_mismatched_or_unsafe_weights_are_refused_with_a_sentence():
    setup = tiny_setup("fast_cnn")
    mlp = build_model(default_config("mlp"))
    wrong = checkpoint_bytes(mlp, {"setup": setup.to_dict()})  # says fast_cnn, holds an MLP
    with pytest.raises(IncompatibleCheckpoint, match="do not fit"):
        lab.model_from_upload(wrong, lab.setup_from_upload(wrong))
    with pytest.raises(IncompatibleCheckpoint, match="no CNN-lab setup"):
        lab.setup_from_upload(checkpoint_bytes(mlp, {"other": 1}))
    with pytest.raises(IncompatibleCheckpoint, match="pickle"):
        lab.setup_from_upload(b"\x80\x04\x95" + b"\x00" * 64)


@pytest.mark.parametrize("where,field", [("data", "name"), ("model", "arch"), ("model", "activation"),
                                         ("train", "optimizer"), ("train", "scheduler")])
def test_unknown_names_in_an_uploaded_setup_are_refused_as_text(where, field):
    setup = tiny_setup("fast_cnn")
    meta = setup.to_dict()
    meta[where][field] = "[x](http://evil.example/)"
    blob = checkpoint_bytes(build_model(setup.model), {"setup": meta})
    with pytest.raises(IncompatibleCheckpoint, match="unknown") as caught:
        lab.setup_from_upload(blob)
    assert_literal(str(caught.value), "[x](http://evil.example/)")


def test_setup_dict_round_trip_key_and_diff():
    setup = tiny_setup()
    assert lab.LabSetup.from_dict(setup.to_dict()) == setup
    other = replace(setup, seed=5, train=replace(setup.train, lr=0.1))
    assert other.key() != setup.key() and setup.key() == tiny_setup().key()
    assert lab.settings_diff(setup, other) == [("seed", 0, 5), ("train.lr", 0.003, 0.1)]
    assert lab.settings_diff(setup, setup) == []


def test_eval_every_gives_a_few_validations_per_epoch():
    config = lab.with_eval_every(TrainConfig(batch_size=100), n_train=8000)
    assert config.eval_every == 80 // lab.EVALS_PER_EPOCH


@pytest.mark.parametrize("dataset, shape", [("digits", (1, 28, 28)), ("fashion_mnist", (1, 28, 28)),
                                            ("cifar10", (3, 32, 32))])
def test_prepare_input_matches_the_dataset_and_predicts_a_distribution(dataset, shape):
    rng = np.random.default_rng(0)
    image = np.zeros((60, 40, 3), dtype=np.float32)
    image[10:50, 15:25] = 1.0  # a bright bar on black: a "1"
    image += rng.random(image.shape, dtype=np.float32) * 0.05
    prepared = lab.prepare_input(image.clip(0, 1), dataset, shape)
    assert tuple(prepared.tensor.shape) == shape
    data = tiny_data(*shape[:2]) if shape[0] == 3 else tiny_data()
    arch = "fast_cnn" if shape[0] == 1 else "resnet_small"
    setup = tiny_setup(arch, shape[0], shape[1])
    record = lab.make_record(1, setup, data, lab.new_model(setup), lab.History(), "completed", 0, 0.0)
    probs = lab.predict_image(record, data, prepared)
    assert probs.shape == (10,) and float(probs.sum()) == pytest.approx(1.0, abs=1e-5)


def test_a_dark_item_on_a_light_background_is_inverted_for_fashion_mnist():
    photo = np.ones((50, 50, 3), dtype=np.float32)  # white table ...
    photo[10:40, 15:35] = 0.2                         # ... with a dark shirt on it
    prepared = lab.prepare_input(photo, "fashion_mnist", (1, 28, 28))
    x = prepared.tensor[0]
    assert prepared.inverted and prepared.steps[-1][0] == "inverted_item"
    assert float(x[0, 0]) < 0.05 and float(x[14, 14]) > 0.7  # black background, light item (like the dataset)
    on_black = lab.prepare_input(1.0 - photo, "fashion_mnist", (1, 28, 28))
    assert not on_black.inverted
    torch.testing.assert_close(on_black.tensor, prepared.tensor, atol=1e-5, rtol=0)


# ------------------------------------------------------------------ helpers the page's tabs call

def test_live_run_progress_reports_the_last_step_and_the_plan():
    run = started(tiny_setup(epochs=2, batch_size=8), tiny_data(n=400))
    before = run.progress()
    assert before.step == 0 and before.eta is None and before.state == "running"  # nothing trained yet
    run.advance(max_seconds=0.0)
    p = run.progress()
    assert p.step == run.last_step.step == 1 and p.total == run.total_steps == 2 * 38
    assert p.epoch == run.last_step.epoch and p.epochs == 2
    assert p.elapsed == run.last_step.elapsed and p.eta == pytest.approx(run.last_step.eta)


def test_keep_run_keeps_only_the_newest_and_copies_the_list():
    runs = []
    for i in range(lab.MAX_RUNS + 3):
        runs = lab.keep_run(runs, i)
    assert runs == list(range(3, lab.MAX_RUNS + 3))
    original = [1, 2, 3]
    assert lab.keep_run(original, 4, limit=2) == [3, 4] and original == [1, 2, 3]


def test_settings_rows_are_the_diff_under_the_run_ids():
    setup = tiny_setup()
    other = replace(setup, train=replace(setup.train, lr=0.1, epochs=3))
    a, b = SimpleNamespace(run_id=2, setup=setup), SimpleNamespace(run_id=5, setup=other)
    rows = lab.settings_rows(a, b, "setting")
    assert rows == [{"setting": k, "#2": str(va), "#5": str(vb)} for k, va, vb in lab.settings_diff(setup, other)]
    assert [r["setting"] for r in rows] == ["train.epochs", "train.lr"]
    assert lab.settings_rows(a, a, "setting") == []


def test_model_choice_follows_the_recipe_and_fits_the_data():
    from core.recipes import MNIST_DEFAULT

    assert lab.base_model(MNIST_DEFAULT.model.arch) == MNIST_DEFAULT.model
    assert lab.base_model("mlp") == default_config("mlp")
    config = lab.fit_model(lab.base_model("simple_cnn"), (3, 32, 32), 7, batchnorm=True, dropout=0.3)
    assert (config.in_channels, config.image_size, config.num_classes) == (3, 32, 7)
    assert config.batchnorm and config.dropout == 0.3 and config.arch == "simple_cnn"
    with torch.no_grad():
        assert build_model(config).eval()(torch.zeros(2, 3, 32, 32)).shape == (2, 7)


def test_dataset_default_and_flip_warning():
    assert lab.default_dataset({"mnist": True}) == "mnist"
    assert lab.default_dataset({"mnist": False}) == lab.default_dataset({}) == "digits"
    digits, clothes = [str(i) for i in range(10)], ["T-shirt", "Trouser", "Pullover"]
    flip = AugmentConfig(hflip=True)
    assert lab.flip_mirrors_digits(flip, digits) and not lab.flip_mirrors_digits(flip, clothes)
    assert not lab.flip_mirrors_digits(AugmentConfig(crop_padding=2), digits)


def test_classify_image_prepares_like_the_dataset_and_matches_predict_image():
    data = tiny_data()
    setup = tiny_setup()
    record = lab.make_record(1, setup, data, lab.new_model(setup), lab.History(), "completed", 0, 0.0)
    image = np.zeros((60, 40, 3), dtype=np.float32)
    image[10:50, 15:25] = 1.0
    prepared, probs = lab.classify_image(record, data, image)
    assert tuple(prepared.tensor.shape) == data.image_shape
    np.testing.assert_allclose(probs, lab.predict_image(record, data, prepared).numpy())
    assert probs.shape == (10,) and probs.sum() == pytest.approx(1.0, abs=1e-5)


def test_normalise_latex_shows_the_dataset_statistics():
    text = lab.normalise_latex(0.1307, 0.3081)
    assert r"\mu = 0.131" in text and r"\sigma = 0.308" in text


def test_settings_diff_leaves_out_what_the_lab_derives():
    setup = tiny_setup()
    other = replace(setup, train=replace(setup.train, batch_size=32, eval_every=7))
    assert lab.settings_diff(setup, other) == [("train.batch_size", 16, 32)]
