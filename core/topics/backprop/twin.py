"""The seed tutorial's NumPy `SimpleNeuralNetwork` and its PyTorch twin, run side by side.

Both are the classic two-layer sigmoid network (inputs → sigmoid hidden → sigmoid output), trained
with the mean squared error and plain gradient descent. `side_by_side` gives both the same initial
weights and the same data, and records their losses and the largest weight difference step by step:
the hand-written backward pass and autograd must agree to rounding error.
"""
import inspect
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from core.topics.backprop.network import XOR_X, XOR_Y


class SimpleNeuralNetwork:
    """Two-layer sigmoid network in NumPy with forward, backward and train (MSE, plain gradient descent)."""

    def __init__(self, input_size=2, hidden_size=2, output_size=1, seed=0):
        rng = np.random.default_rng(seed)
        self.W1 = rng.standard_normal((input_size, hidden_size))   # (in, hidden)
        self.b1 = np.zeros((1, hidden_size))                       # (1, hidden)
        self.W2 = rng.standard_normal((hidden_size, output_size))  # (hidden, out)
        self.b2 = np.zeros((1, output_size))                       # (1, out)

    def sigmoid(self, x):
        return 1 / (1 + np.exp(-x))

    def sigmoid_derivative(self, a):
        return a * (1 - a)  # σ'(z) written with a = σ(z)

    def forward(self, X):
        self.z1 = X @ self.W1 + self.b1        # (N, hidden)
        self.a1 = self.sigmoid(self.z1)
        self.z2 = self.a1 @ self.W2 + self.b2  # (N, out)
        self.a2 = self.sigmoid(self.z2)
        return self.a2

    def backward(self, X, y, learning_rate):
        # loss = mean((a2 - y)^2) over all N*out entries; chain rule from the output back
        d_a2 = 2 * (self.a2 - y) / y.size
        d_z2 = d_a2 * self.sigmoid_derivative(self.a2)
        d_W2 = self.a1.T @ d_z2
        d_b2 = d_z2.sum(axis=0, keepdims=True)
        d_a1 = d_z2 @ self.W2.T
        d_z1 = d_a1 * self.sigmoid_derivative(self.a1)
        d_W1 = X.T @ d_z1
        d_b1 = d_z1.sum(axis=0, keepdims=True)
        self.W2 -= learning_rate * d_W2
        self.b2 -= learning_rate * d_b2
        self.W1 -= learning_rate * d_W1
        self.b1 -= learning_rate * d_b1

    def train(self, X, y, epochs, learning_rate):
        losses = []
        for _ in range(epochs):
            output = self.forward(X)
            losses.append(float(np.mean((output - y) ** 2)))
            self.backward(X, y, learning_rate)
        return losses


class TorchSimpleNet(nn.Module):
    """The same network in PyTorch: two nn.Linear layers with sigmoids, weights copied from a NumPy net."""

    def __init__(self, numpy_net: SimpleNeuralNetwork):
        super().__init__()
        self.hidden = nn.Linear(*numpy_net.W1.shape).double()
        self.output = nn.Linear(*numpy_net.W2.shape).double()
        with torch.no_grad():  # nn.Linear stores W as (out, in): the transpose of the NumPy layout
            self.hidden.weight.copy_(torch.from_numpy(numpy_net.W1.T))
            self.hidden.bias.copy_(torch.from_numpy(numpy_net.b1[0]))
            self.output.weight.copy_(torch.from_numpy(numpy_net.W2.T))
            self.output.bias.copy_(torch.from_numpy(numpy_net.b2[0]))

    def forward(self, x):
        return torch.sigmoid(self.output(torch.sigmoid(self.hidden(x))))


def train_torch(model, X, y, epochs, learning_rate):
    """The PyTorch training loop: MSELoss, SGD, backward, step."""
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
    loss_fn = nn.MSELoss()
    losses = []
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        losses.append(float(loss.detach()))
        loss.backward()
        optimizer.step()
    return losses


@dataclass(frozen=True)
class TwinStep:
    step: int            # gradient-descent step (0 = before any update)
    numpy_loss: float    # SimpleNeuralNetwork's MSE before this step's update
    torch_loss: float    # the PyTorch twin's
    max_weight_diff: float  # largest |W_numpy − W_torch| over every parameter after this step's update


def side_by_side(hidden_size: int = 2, learning_rate: float = 1.0, steps: int = 5, seed: int = 0) -> list[TwinStep]:
    """Train both nets on XOR from the same initial weights, one step at a time; compare every step."""
    X, y = XOR_X, XOR_Y[:, None]  # (4, 2), (4, 1)
    np_net = SimpleNeuralNetwork(2, hidden_size, 1, seed=seed)
    torch_net = TorchSimpleNet(np_net)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    rows = []
    for step in range(steps):
        np_loss = np_net.train(X, y, 1, learning_rate)[0]
        torch_loss = train_torch(torch_net, Xt, yt, 1, learning_rate)[0]
        diff = max(float(np.abs(a - b.detach().numpy()).max()) for a, b in (
            (np_net.W1, torch_net.hidden.weight.T), (np_net.b1[0], torch_net.hidden.bias),
            (np_net.W2, torch_net.output.weight.T), (np_net.b2[0], torch_net.output.bias)))
        rows.append(TwinStep(step, np_loss, torch_loss, diff))
    return rows


TWIN_TOL = 1e-9  # the twins agree when no weight differs by more (float64 rounding over 20 steps is ~1e-15)


def max_weight_diff(rows: list[TwinStep]) -> float:
    """The largest weight difference between the twins over all the compared steps."""
    return max(r.max_weight_diff for r in rows)


def twin_rows(rows: list[TwinStep]) -> list[dict]:
    """The comparison table: step, both losses, and the weight difference written as 1.2e-16."""
    return [{"step": r.step, "numpy_loss": r.numpy_loss, "torch_loss": r.torch_loss,
             "weight_diff": f"{r.max_weight_diff:.1e}"} for r in rows]


def numpy_source() -> str:
    """The source of the tutorial's NumPy network, to show beside its twin."""
    return inspect.getsource(SimpleNeuralNetwork)


def torch_source() -> str:
    """The source of the PyTorch twin and its training loop."""
    return inspect.getsource(TorchSimpleNet) + "\n\n" + inspect.getsource(train_torch)
