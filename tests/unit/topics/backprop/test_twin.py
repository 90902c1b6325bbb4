"""core/topics/backprop/twin.py: the tutorial's NumPy network and its PyTorch twin give the same numbers."""
import numpy as np
import pytest

from core.topics.backprop import twin as simple_nn
from core.topics.backprop import XOR_X, XOR_Y


@pytest.mark.parametrize("hidden,lr,seed", [(2, 1.0, 0), (3, 0.5, 7), (4, 2.0, 42)])
def test_numpy_and_torch_twins_agree_step_by_step(hidden, lr, seed):
    rows = simple_nn.side_by_side(hidden, lr, steps=8, seed=seed)
    assert len(rows) == 8
    for r in rows:
        assert r.numpy_loss == pytest.approx(r.torch_loss, rel=1e-12)
        assert r.max_weight_diff < 1e-12
    assert rows[-1].numpy_loss < rows[0].numpy_loss  # and they are learning, not standing still


def test_hand_written_backward_is_the_mse_gradient():
    net = simple_nn.SimpleNeuralNetwork(2, 3, 1, seed=1)
    X, y = XOR_X, XOR_Y[:, None]
    before = [p.copy() for p in (net.W1, net.b1, net.W2, net.b2)]

    def loss_at(params):
        probe = simple_nn.SimpleNeuralNetwork(2, 3, 1)
        probe.W1, probe.b1, probe.W2, probe.b2 = params
        return float(np.mean((probe.forward(X) - y) ** 2))

    net.forward(X)
    net.backward(X, y, learning_rate=1.0)  # with η = 1, before − after is the gradient
    after = [net.W1, net.b1, net.W2, net.b2]
    h = 1e-6
    for k, (b, a) in enumerate(zip(before, after)):
        for index in np.ndindex(b.shape):
            up = [p.copy() for p in before]
            down = [p.copy() for p in before]
            up[k][index] += h
            down[k][index] -= h
            fd = (loss_at(up) - loss_at(down)) / (2 * h)
            assert b[index] - a[index] == pytest.approx(fd, rel=1e-5, abs=1e-9)


def test_the_tutorial_net_learns_xor():
    net = simple_nn.SimpleNeuralNetwork(2, 2, 1, seed=0)
    history = net.train(XOR_X, XOR_Y[:, None], epochs=5000, learning_rate=1.0)
    assert history[-1] < 0.01 < history[0]
    assert np.array_equal(net.forward(XOR_X)[:, 0] > 0.5, XOR_Y > 0.5)


def test_twin_table_and_verdict():
    rows = simple_nn.side_by_side(2, 1.0, steps=4, seed=3)
    table = simple_nn.twin_rows(rows)
    assert [r["step"] for r in table] == [0, 1, 2, 3]
    assert [r["numpy_loss"] for r in table] == [r.numpy_loss for r in rows]
    assert all(float(r["weight_diff"]) == pytest.approx(s.max_weight_diff, rel=0.05, abs=1e-300)
               for r, s in zip(table, rows))
    assert simple_nn.max_weight_diff(rows) == max(r.max_weight_diff for r in rows) < simple_nn.TWIN_TOL


def test_the_shown_sources_run_and_give_the_same_numbers():
    import torch
    from torch import nn

    scope = {"np": np, "torch": torch, "nn": nn}
    exec(simple_nn.numpy_source(), scope)  # the code shown on the page, executed as a learner would paste it
    exec(simple_nn.torch_source(), scope)
    shown_np = scope["SimpleNeuralNetwork"](2, 2, 1, seed=5)
    shown_torch = scope["TorchSimpleNet"](shown_np)
    X, y = XOR_X, XOR_Y[:, None]
    np_losses = shown_np.train(X, y, 3, 1.0)
    torch_losses = scope["train_torch"](shown_torch, torch.from_numpy(X), torch.from_numpy(y), 3, 1.0)
    assert np_losses == pytest.approx(torch_losses, rel=1e-12)
    assert np_losses == pytest.approx([r.numpy_loss for r in simple_nn.side_by_side(2, 1.0, 3, seed=5)], rel=1e-12)
