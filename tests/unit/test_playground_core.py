"""Features, the network builder, the one-pass snapshot, the engine-driven run, learning XOR and circles."""
import math

import pytest
import torch
from torch import nn

from core.playground import (ACTIVATION_CODE, ACTIVATIONS, FEATURES, PlaygroundConfig, PlaygroundRun, build_network,
                             feature_matrix, grid_points, make_data, snapshot, ui_step)


def test_feature_transforms_match_their_formulas():
    x = torch.tensor([[0.5, -2.0], [3.0, 1.5], [-1.0, 0.0]])
    expected = {"x1": x[:, 0], "x2": x[:, 1], "x1sq": x[:, 0] ** 2, "x2sq": x[:, 1] ** 2,
                "x1x2": x[:, 0] * x[:, 1], "sin1": torch.sin(x[:, 0]), "sin2": torch.sin(x[:, 1])}
    assert set(expected) == set(FEATURES)
    m = feature_matrix(x, tuple(FEATURES))
    assert m.shape == (3, len(FEATURES))
    for j, name in enumerate(FEATURES):
        assert torch.allclose(m[:, j], expected[name]), name
    assert torch.equal(feature_matrix(x, ("x2", "x1")), x.flip(1))


def test_activation_code_builds_the_same_modules():
    assert set(ACTIVATION_CODE) == set(ACTIVATIONS)
    for name, code in ACTIVATION_CODE.items():
        assert type(eval(code, {"nn": nn})) is type(ACTIVATIONS[name]()), name  # noqa: S307


def test_network_per_layer_activations_dropout_and_seed():
    net = build_network(3, (5, 4, 2), ("relu", "tanh", "linear"), 0.2, 3, seed=4)
    names = [n for n, _ in net.named_children()]
    assert names == ["fc1", "act1", "drop1", "fc2", "act2", "drop2", "fc3", "act3", "drop3", "out"]
    assert isinstance(net.act1, nn.ReLU) and isinstance(net.act2, nn.Tanh) and isinstance(net.act3, nn.Identity)
    assert net.drop2.p == 0.2 and net.out.out_features == 3 and net.fc1.in_features == 3
    same = build_network(3, (5, 4, 2), ("relu", "tanh", "linear"), 0.2, 3, seed=4)
    other = build_network(3, (5, 4, 2), ("relu", "tanh", "linear"), 0.2, 3, seed=5)
    assert all(torch.equal(a, b) for a, b in zip(net.parameters(), same.parameters()))
    assert not torch.equal(net.fc1.weight, other.fc1.weight)
    assert [type(m) for m in build_network(2, (), (), 0.0, 1, 0)] == [nn.Linear]  # 0 hidden layers


def test_layer_activations_pad_with_the_last():
    config = PlaygroundConfig(hidden=(3, 3, 3), activations=("relu", "tanh"))
    assert config.layer_activations() == ("relu", "tanh", "tanh")


def test_snapshot_matches_a_manual_forward_pass():
    """The hooks' neuron maps equal the layer outputs computed by hand, and the output is the softmax."""
    net = build_network(4, (6, 3), ("tanh", "relu"), 0.5, 3, seed=0)
    feats = ("x1", "x2", "x1x2", "sin1")
    snap = snapshot(net, feats, extent=2.0, task="classify", resolution=12)
    axis, points = grid_points(2.0, 12)
    inputs = feature_matrix(points, feats)
    with torch.no_grad():
        h1 = torch.tanh(net.fc1(inputs))
        h2 = torch.relu(net.fc2(h1))
        z = net.out(h2)
    assert snap.output.shape == (12, 12, 3) and len(snap.hidden) == 2
    assert torch.allclose(torch.from_numpy(snap.hidden[0]), h1.reshape(12, 12, 6), atol=1e-6)
    assert torch.allclose(torch.from_numpy(snap.hidden[1]), h2.reshape(12, 12, 3), atol=1e-6)
    assert torch.allclose(torch.from_numpy(snap.output), z.softmax(1).reshape(12, 12, 3), atol=1e-6)
    # row i is x2 = axis[i], column j is x1 = axis[j]
    assert snap.features[3, 7, 0] == pytest.approx(axis[7]) and snap.features[3, 7, 1] == pytest.approx(axis[3])
    assert [w.shape for w in snap.weights] == [(6, 4), (3, 6), (3, 3)]
    assert net.training  # dropout was switched off only for the snapshot


def test_run_counts_steps_and_epochs_and_losses_match_evaluation():
    config = PlaygroundConfig(dataset="circles", n_points=100, train_pct=50, batch_size=10)
    run = PlaygroundRun(config, make_data(config))
    assert run.steps_per_epoch == 5 and run.step == 0 and len(run.history) == 1
    assert run.advance(12) == 12
    assert run.step == 12 and run.epoch == 2 and run.history[-1].epoch == pytest.approx(2.4)
    logits = run.model.eval()(run.inputs_test)
    expected = torch.nn.functional.cross_entropy(logits, run.data.y_test).item()
    assert run.history[-1].test_loss == pytest.approx(expected, rel=1e-5)


def test_advance_respects_a_time_budget():
    config = PlaygroundConfig(dataset="spiral")
    run = PlaygroundRun(config, make_data(config))
    assert run.advance(10_000, max_seconds=0.0) == 0 and run.step == 0  # no time, no step
    assert run.advance(3, max_seconds=None) == 3 and run.step == 3


def test_regression_run_uses_mse_and_no_accuracy():
    config = PlaygroundConfig(dataset="reg_plane", loss="cross_entropy", hidden=(4,), activations=("tanh",))
    run = PlaygroundRun(config, make_data(config))
    assert run.train_config.loss == "mse" and run.model.out.out_features == 1
    first = run.history[-1].train_loss
    snap = ui_step(run, 200)
    assert run.history[-1].train_acc is None and run.history[-1].train_loss < first
    assert snap.output.shape == (50, 50)


def test_l1_and_l2_reach_the_engine():
    assert PlaygroundConfig(reg="l1", reg_rate=0.01).train_config("classify").l1 == 0.01
    assert PlaygroundConfig(reg="l2", reg_rate=0.03).train_config("classify").weight_decay == 0.03
    cfg = PlaygroundConfig(reg="none", reg_rate=0.5).train_config("classify")
    assert cfg.l1 == 0 and cfg.weight_decay == 0


@pytest.mark.parametrize("dataset", ["xor", "circles"])
def test_learns_to_95_percent_test_accuracy_in_bounded_steps(dataset):
    config = PlaygroundConfig(dataset=dataset, hidden=(8, 8), activations=("tanh",), lr=0.03, noise=0.05, seed=0)
    run = PlaygroundRun(config, make_data(config))
    for _ in range(30):  # at most 30 x 50 = 1500 steps (75 epochs of 200 points)
        ui_step(run, 50, resolution=10)
        if run.history[-1].test_acc >= 0.95:
            break
    assert run.history[-1].test_acc >= 0.95, run.history[-1]


def test_history_is_thinned():
    config = PlaygroundConfig(n_points=50, batch_size=25)
    run = PlaygroundRun(config, make_data(config))
    run.losses = lambda: (1.0, 2.0, None, None)  # thinning is the point here, not evaluation
    for _ in range(1100):
        run.record()
    assert len(run.history) <= 1001 and run.history[0].step == 0
    assert not math.isnan(run.history[-1].train_loss)
