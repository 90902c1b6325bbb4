"""Features, the network builder, the one-pass snapshot, the engine-driven run, learning XOR and circles."""
import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from core.live import MAX_POINTS
from core.topics.playground.network import (FEATURES, PlaygroundConfig, build_network, epochs_done, feature_matrix,
                                            grid_points, make_data, new_run, snapshot, ui_step)


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


def _whole_set_losses(run, data, x, y):
    """Loss and accuracy of the run's network over (x, y), computed here with plain torch (eval mode)."""
    inputs = feature_matrix(x, run.setup.features)
    was_training = run.model.training
    run.model.eval()
    try:
        with torch.no_grad():
            logits = run.model(inputs)
    finally:
        run.model.train(was_training)
    if data.task == "regress":
        return F.mse_loss(logits[:, 0], y).item(), None
    return F.cross_entropy(logits, y).item(), (logits.argmax(1) == y).float().mean().item()


def test_run_counts_steps_and_epochs_and_losses_match_evaluation():
    config = PlaygroundConfig(dataset="circles", n_points=100, train_pct=50, batch_size=10)
    data = make_data(config)
    run = new_run(config, data)
    assert run.steps_per_epoch == 5 and run.progress().step == 0
    assert run.history.eval_step == [0] and run.history.eval_epoch == [0.0]  # one evaluation before training
    run.step(12)
    assert run.advance() == 12 and run.state == "paused"  # exactly the steps asked for, then a pause
    assert run.progress().step == 12 and epochs_done(run) == 2
    assert run.history.eval_step[-1] == 12 and run.history.eval_epoch[-1] == pytest.approx(2.4)
    test_loss, test_acc = _whole_set_losses(run, data, data.x_test, data.y_test)
    train_loss, train_acc = _whole_set_losses(run, data, data.x_train, data.y_train)
    assert run.history.val_loss[-1] == pytest.approx(test_loss, rel=1e-5)   # val = the test set
    assert run.history.train_loss[-1] == pytest.approx(train_loss, rel=1e-5)
    assert run.history.val_acc[-1] == pytest.approx(test_acc) and run.history.train_acc[-1] == pytest.approx(train_acc)
    assert run.advance() == 0 and run.progress().step == 12  # paused: nothing more until asked


def test_advance_respects_a_time_budget():
    config = PlaygroundConfig(dataset="spiral")
    run = new_run(config, make_data(config))
    run.start()
    assert run.advance(10_000, max_seconds=0.0) == 1 and run.progress().step == 1  # no time: one step only
    assert run.advance(max_steps=3) == 3 and run.progress().step == 4             # max_steps bounds the slice
    taken = run.advance(10 ** 7, max_seconds=0.2)
    assert 1 <= taken < 10 ** 7  # the budget, not max_steps, ended it
    assert run.progress().step == 4 + taken and run.history.eval_step[-1] == 4 + taken


def test_regression_run_uses_mse_and_no_accuracy():
    config = PlaygroundConfig(dataset="reg_plane", loss="cross_entropy", hidden=(4,), activations=("tanh",))
    data = make_data(config)
    run = new_run(config, data)
    assert config.train_config(data.task).loss == "mse" and run.model.out.out_features == 1
    first = run.history.train_loss[-1]
    assert first == pytest.approx(_whole_set_losses(run, data, data.x_train, data.y_train)[0], rel=1e-5)
    snap = ui_step(run, data, 200)
    assert run.progress().step == 200
    assert run.history.train_acc[-1] is None and run.history.val_acc[-1] is None
    assert run.history.train_loss[-1] < first
    assert run.history.val_loss[-1] == pytest.approx(_whole_set_losses(run, data, data.x_test, data.y_test)[0],
                                                     rel=1e-5)
    assert snap.output.shape == (50, 50)


def test_l1_and_l2_reach_the_engine():
    assert PlaygroundConfig(reg="l1", reg_rate=0.01).train_config("classify").l1 == 0.01
    assert PlaygroundConfig(reg="l2", reg_rate=0.03).train_config("classify").weight_decay == 0.03
    cfg = PlaygroundConfig(reg="none", reg_rate=0.5).train_config("classify")
    assert cfg.l1 == 0 and cfg.weight_decay == 0


@pytest.mark.parametrize("dataset", ["xor", "circles"])
def test_learns_to_95_percent_test_accuracy_in_bounded_steps(dataset):
    config = PlaygroundConfig(dataset=dataset, hidden=(8, 8), activations=("tanh",), lr=0.03, noise=0.05, seed=0)
    data = make_data(config)
    run = new_run(config, data)
    for _ in range(30):  # at most 30 x 50 = 1500 steps (75 epochs of 200 points)
        ui_step(run, data, 50, resolution=10)
        if run.history.val_acc[-1] >= 0.95:
            break
    assert run.progress().step <= 1500
    assert run.history.val_acc[-1] >= 0.95, (run.progress().step, run.history.val_acc[-1])
    assert _whole_set_losses(run, data, data.x_test, data.y_test)[1] >= 0.95  # the test set, re-evaluated


def test_history_is_thinned():
    config = PlaygroundConfig(n_points=50, batch_size=25)
    run = new_run(config, make_data(config))
    history = run.history  # the playground's curves are a core.live.History: one point at step 0 so far
    first_loss = history.train_loss[0]
    n = MAX_POINTS + 100
    for i in range(1, n):  # thinning is the point here, not evaluation
        history.add_eval(i, i / 2, 1.0 + i, None, 2.0 + i, None)
    series = [history.eval_step, history.eval_epoch, history.train_loss, history.train_acc, history.val_loss,
              history.val_acc]
    assert MAX_POINTS // 2 <= len(history.eval_step) <= MAX_POINTS + 1
    assert len({len(s) for s in series}) == 1  # the series stay aligned
    assert history.eval_step[0] == 0 and history.train_loss[0] == first_loss  # the start is kept
    assert history.eval_step[-1] == n - 1 and history.train_loss[-1] == n  # and the newest point
    assert history.eval_step == sorted(set(history.eval_step))
    kept = history.eval_step[1:]
    assert history.train_loss[1:] == [1.0 + i for i in kept] and history.val_loss[1:] == [2.0 + i for i in kept]
    assert not math.isnan(history.train_loss[0])
