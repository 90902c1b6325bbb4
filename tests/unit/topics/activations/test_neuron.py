"""One neuron: forward pass against torch, the perceptron rule and sigmoid gradient descent by their formulas."""
import re

import pytest
import torch
import torch.nn.functional as F

from core.topics.activations.neuron import (TRAINERS, TUTORIAL_BIAS, TUTORIAL_INPUTS, TUTORIAL_WEIGHTS,
                                            NeuronTrainConfig, PerceptronTrainer, epochs_per_tick, equation_latex,
                                            forward, line_latex, make_trainer, neuron_run, output_surface)


def test_tutorial_example_by_hand():
    out = forward(TUTORIAL_INPUTS, TUTORIAL_WEIGHTS, TUTORIAL_BIAS, "sigmoid")
    assert out.z == pytest.approx(0.5 * 0.2 + 0.3 * 0.4 + 0.8 * -0.1 + 0.1)  # 0.24
    assert out.a == pytest.approx(1 / (1 + torch.exp(torch.tensor(-0.24, dtype=torch.float64)).item()))
    assert forward(TUTORIAL_INPUTS, TUTORIAL_WEIGHTS, TUTORIAL_BIAS, "step").a == 1.0  # z > 0 fires


@pytest.mark.parametrize("activation", ["tanh", "relu", "gelu", "leaky_relu"])
def test_forward_matches_linear_layer_and_autograd(activation):
    x, w, b = (0.7, -1.2), (0.4, 0.9), -0.3
    linear = torch.nn.Linear(2, 1, dtype=torch.float64)
    with torch.no_grad():
        linear.weight.copy_(torch.tensor([w]))
        linear.bias.fill_(b)
    z = linear(torch.tensor([x], dtype=torch.float64)).detach().requires_grad_()
    a = {"tanh": torch.tanh, "relu": F.relu, "gelu": F.gelu, "leaky_relu": lambda v: F.leaky_relu(v, 0.2)}[activation](z)
    a.backward()
    out = forward(x, w, b, activation, slope=0.2)
    assert out.z == pytest.approx(z.item())
    assert out.a == pytest.approx(a.item())
    assert out.slope == pytest.approx(z.grad.item())


def test_forward_rejects_mismatched_lengths():
    with pytest.raises(ValueError):
        forward((1.0, 2.0), (1.0,), 0.0, "relu")


def test_perceptron_update_follows_the_rule():
    """One epoch on two points, replayed by hand: w += η (y − ŷ) x for each mistake, in the trainer's order."""
    config = NeuronTrainConfig(lr=0.5, seed=3)
    x = torch.tensor([[1.0, 0.5], [-0.5, -1.0]])
    y = torch.tensor([0, 1])
    trainer = PerceptronTrainer(config, x, y)
    w, b = trainer.w.clone(), trainer.b.clone()
    order = torch.randperm(2, generator=torch.Generator().manual_seed(config.seed + 1)).tolist()
    for i in order:
        error = int(y[i]) - int(float(x[i] @ w + b) >= 0)
        w, b = w + 0.5 * error * x[i], b + 0.5 * error
    trainer.advance(1)
    torch.testing.assert_close(trainer.w, w)
    torch.testing.assert_close(trainer.b, b)


def test_perceptron_converges_on_separable_blobs_but_not_on_xor():
    blobs = make_trainer(NeuronTrainConfig(dataset="blobs", noise=0.05, max_epochs=100))
    blobs.advance(100)
    assert blobs.converged and blobs.done and blobs.history[-1].accuracy == 1.0
    xor = make_trainer(NeuronTrainConfig(dataset="xor", max_epochs=60))
    xor.advance(100)
    assert xor.done and not xor.converged
    assert len(xor.history) == 60
    assert max(r.accuracy for r in xor.history) < 0.9  # no line separates XOR


def test_sigmoid_gradient_step_matches_the_formula():
    config = NeuronTrainConfig(method="sigmoid_gd", lr=0.7, n=50, seed=2)
    trainer = make_trainer(config)
    w, b = trainer.w.double(), trainer.b.double()
    x, y = trainer.x.double(), trainer.y.double()
    p = torch.sigmoid(x @ w + b)  # (n,)
    expected_w = w - 0.7 * ((p - y)[:, None] * x).mean(0)
    expected_b = b - 0.7 * (p - y).mean()
    expected_loss = F.binary_cross_entropy(p, y).item()
    trainer.advance(1)
    torch.testing.assert_close(trainer.w.double(), expected_w, rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(trainer.b.double(), expected_b, rtol=1e-5, atol=1e-6)
    assert trainer.history[0].loss == pytest.approx(expected_loss, rel=1e-5)


def test_sigmoid_training_lowers_the_loss_and_stops_at_max_epochs():
    trainer = make_trainer(NeuronTrainConfig(method="sigmoid_gd", lr=1.0, max_epochs=40))
    for _ in range(10):
        trainer.advance(5)
    losses = [r.loss for r in trainer.history]
    assert len(losses) == 40 and trainer.done
    assert losses[-1] < 0.5 * losses[0]
    assert trainer.history[-1].accuracy > 0.95


def test_same_seed_same_run():
    a, b = (make_trainer(NeuronTrainConfig(dataset="moons", seed=7)) for _ in range(2))
    a.advance(5), b.advance(5)
    torch.testing.assert_close(a.w, b.w)
    assert a.history == b.history


@pytest.mark.parametrize("method", ["perceptron", "sigmoid_gd"])
def test_output_surface_is_the_neuron_on_a_grid(method):
    trainer = make_trainer(NeuronTrainConfig(method=method))
    trainer.advance(2)
    grid, surface = output_surface(trainer, resolution=9, limit=1.0)
    assert surface.shape == (9, 9)
    point = torch.tensor([[grid[2].item(), grid[6].item()]])  # x1 = grid[2], x2 = grid[6] → row 6, column 2
    assert surface[6, 2].item() == pytest.approx(trainer.output(point).item())


def test_equation_latex_writes_the_tutorial_numbers():
    out = forward(TUTORIAL_INPUTS, TUTORIAL_WEIGHTS, TUTORIAL_BIAS, "sigmoid")
    z_line, a_line = equation_latex(TUTORIAL_INPUTS, TUTORIAL_WEIGHTS, TUTORIAL_BIAS, out)
    assert "(0.2)(0.5) + (0.4)(0.3) + (-0.1)(0.8) + (0.1)" in z_line
    assert z_line.endswith(f"= {out.z:.4f}") and f"{out.z:.4f}" == "0.2400"
    assert f"f({out.z:.4f}) = {out.a:.4f}" in a_line and f"f'(z) = {out.slope:.4f}" in a_line


def test_line_latex_is_the_trainers_line():
    trainer = make_trainer(NeuronTrainConfig(method="sigmoid_gd"))
    trainer.advance(3)
    numbers = [float(v) for v in re.findall(r"[-+]?\d+\.\d+", line_latex(trainer.w, float(trainer.b)))]
    expected = [*trainer.w.tolist(), float(trainer.b)]
    assert numbers == pytest.approx(expected, abs=5e-4)  # three decimals of w1, w2 and b, in that order


@pytest.mark.parametrize("method", list(TRAINERS))
def test_the_live_run_trains_the_same_neuron_epoch_by_epoch(method):
    config = NeuronTrainConfig(dataset="moons", method=method, max_epochs=40)
    run = neuron_run(config)
    run.start()
    while not run.done:
        run.advance(max_steps=7)
    direct = make_trainer(config)  # the same rule, driven by hand
    direct.advance(40)
    assert run.model.history == direct.history and torch.equal(run.model.w, direct.w)
    assert run.history.train_loss == [r.loss for r in direct.history]  # one evaluation per epoch
    assert run.done_event.reason == ("completed" if direct.converged else "max_steps") and run.progress().step == 40
    run.reset()
    assert run.state == "ready" and run.model.history == [] and run.model is not direct


def test_stopping_the_live_neuron_keeps_its_epochs():
    run = neuron_run(NeuronTrainConfig(dataset="xor", method="sigmoid_gd"))
    run.step(5)
    run.advance()
    run.stop()
    assert run.done_event.reason == "stopped" and len(run.model.history) == 5 == run.finish().steps


def test_epochs_per_tick_starts_slow_and_is_capped():
    ticks = [epochs_per_tick(done) for done in range(300)]
    assert ticks[0] == 1 and max(ticks) == 10
    assert all(a <= b for a, b in zip(ticks, ticks[1:]))
