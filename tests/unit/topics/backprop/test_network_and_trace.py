"""core/topics/backprop/__init__.py: every recorded number against torch.autograd, finite differences and the vectorised maths."""
import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

from core.topics import backprop as bp

configs = st.builds(
    bp.BackpropConfig,
    hidden=st.lists(st.integers(1, bp.MAX_UNITS), min_size=1, max_size=bp.MAX_LAYERS).map(tuple),
    activation=st.sampled_from(sorted(bp.ACTIVATIONS)),
    loss=st.sampled_from(sorted(bp.LOSSES)),
    lr=st.floats(0.0, 5.0),
    init=st.sampled_from(["normal_0.1", "xavier_uniform", "he_normal"]),
    seed=st.integers(0, 10_000),
    example=st.integers(-1, 3),
)


@settings(max_examples=30, deadline=None)
@given(configs)
def test_every_recorded_gradient_matches_autograd(config):
    tr = bp.trace(config)
    loss, auto_w, auto_b = bp.autograd_gradients(config)
    assert bp.relative_error(tr.loss, loss) < 1e-9
    recorded = {s.node: s.value[0] for s in tr.steps if s.what in ("grad_w", "grad_b")}
    assert len(recorded) == sum(w.size + b.size for w, b in zip(tr.weights, tr.biases))
    for l, (gw, gb) in enumerate(zip(auto_w, auto_b), start=1):
        for (j, i), g in np.ndenumerate(gw):
            assert bp.relative_error(recorded[f"w{l}.{j + 1}.{i + 1}"], g) < 1e-6
        for (j,), g in np.ndenumerate(gb):
            assert bp.relative_error(recorded[f"b{l}.{j + 1}"], g) < 1e-6


@settings(max_examples=20, deadline=None)
@given(configs)
def test_finite_differences_agree(config):
    rows = bp.check_gradients(bp.trace(config))
    assert all(r.ok for r in rows), [r for r in rows if not r.ok]
    for r in rows:
        if not r.kink:
            assert r.err_fd < bp.FD_TOL
        else:  # a disagreement is only excused at a ReLU kink
            assert config.activation == "relu"


@settings(max_examples=15, deadline=None)
@given(configs)
def test_forward_values_and_updates_are_the_recorded_numbers(config):
    tr = bp.trace(config)
    x = torch.tensor(tr.x)
    a = x
    for l, (W, b) in enumerate(zip(tr.weights, tr.biases), start=1):
        z = a @ torch.tensor(W).T + torch.tensor(b)
        a = torch.sigmoid(z) if l == len(tr.weights) else bp.ACTIVATIONS[config.activation].torch_f(z)
        for j in range(W.shape[0]):
            step_z = next(s for s in tr.steps if s.what == "z" and s.node == f"n{l}.{j + 1}")
            step_a = next(s for s in tr.steps if s.what == "a" and s.node == f"n{l}.{j + 1}")
            np.testing.assert_allclose(step_z.value, z[:, j].numpy(), rtol=1e-12, atol=1e-12)
            np.testing.assert_allclose(step_a.value, a[:, j].numpy(), rtol=1e-12, atol=1e-12)
    for s in tr.steps:
        if s.what == "new_w":
            l, j, i = (int(v) for v in s.node[1:].split("."))
            w, g = tr.weights[l - 1][j - 1, i - 1], tr.grad_w[l - 1][j - 1, i - 1]
            assert s.value[0] == pytest.approx(w - config.lr * g)


@settings(max_examples=15, deadline=None)
@given(configs)
def test_vectorised_gradients_equal_the_traced_ones(config):
    tr = bp.trace(config)
    loss, gw, gb = bp.gradients(tr.weights, tr.biases, tr.x, tr.y, config.activation, config.loss)
    assert loss == pytest.approx(tr.loss, rel=1e-12)
    for a, b in zip(gw + gb, tr.grad_w + tr.grad_b):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-14)


def test_steps_come_in_order_and_write_their_numbers():
    config = bp.BackpropConfig(hidden=(3, 2), activation="tanh", loss="bce", example=2)
    tr = bp.trace(config)
    order = [bp.KINDS.index(s.kind) for s in tr.steps]
    assert order == sorted(order)  # forward, then loss, then backward, then update
    assert [s.kind for s in tr.steps].count("loss") == 1
    n_params = sum(w.size + b.size for w, b in zip(tr.weights, tr.biases))
    assert sum(s.kind == "update" for s in tr.steps) == n_params
    for s in tr.steps:  # each formula ends with the value it computes, substituted
        assert s.latex.endswith(bp.show(s.value)), s.latex
    grad = next(s for s in tr.steps if s.what == "grad_w")
    assert r"\cdot" in grad.latex and bp.num(grad.value[0]) in grad.latex
    # the output delta is written as the chain-rule product ∂L/∂ŷ · σ'(z)
    delta_out = next(s for s in tr.steps if s.what == "delta")
    assert r"\frac{\partial L}{\partial \hat y}" in delta_out.latex


@pytest.mark.parametrize("config", [
    bp.BackpropConfig(),                                                     # the tutorials' 2-2-1 sigmoid net
    bp.BackpropConfig(hidden=(4,), activation="tanh", loss="bce", lr=0.5, seed=3),
    bp.BackpropConfig(hidden=(4, 4), activation="relu", loss="bce", init="he_normal", lr=0.2, seed=2),
])
def test_xor_is_learned(config):
    result = bp.train(config, 3000)
    assert result.losses[-1] < 0.1 * result.losses[0]
    assert np.array_equal(result.predictions > 0.5, bp.XOR_Y > 0.5)


@settings(max_examples=15, deadline=None)
@given(hidden=st.lists(st.integers(2, bp.MAX_UNITS), min_size=1, max_size=bp.MAX_LAYERS).map(tuple),
       activation=st.sampled_from(["sigmoid", "tanh"]),
       targets=st.lists(st.sampled_from([0.0, 1.0]), min_size=4, max_size=4),
       seed=st.integers(0, 1000))
def test_zero_init_keeps_hidden_units_symmetric(hidden, activation, targets, seed):
    y = np.array(targets)
    if y.sum() % 2 == 0:
        y[0] = 1 - y[0]  # an odd number of 1s: balanced targets would cancel and nothing would move
    weights, biases = bp.init_params(bp.BackpropConfig(hidden=hidden, activation=activation, init="zeros"))
    x = np.random.default_rng(seed).uniform(-1, 1, (4, 2))
    for _ in range(30):
        _, gw, gb = bp.gradients(weights, biases, x, y, activation, "mse")
        weights = [w - 1.0 * g for w, g in zip(weights, gw)]
        biases = [b - 1.0 * g for b, g in zip(biases, gb)]
    assert any(np.abs(p).max() > 0 for p in weights + biases)  # learning happened...
    assert all(bp.hidden_symmetry(weights, biases))    # ...but every hidden layer's units stayed identical


def test_random_init_breaks_the_symmetry_and_zero_init_is_flagged():
    assert bp.train(bp.BackpropConfig(init="zeros"), 200).symmetric == [True]
    assert bp.train(bp.BackpropConfig(init="xavier_uniform"), 200).symmetric == [False]


def test_relu_kink_is_reported_not_hidden():
    # x = (0, 0) with zero biases puts every first-layer ReLU input exactly at 0
    rows = bp.check_gradients(bp.trace(bp.BackpropConfig(hidden=(2,), activation="relu", example=0)))
    assert all(r.ok for r in rows)
    assert all(r.err_autograd < 1e-12 for r in rows)


@pytest.mark.parametrize("text,expected", [("2", (2,)), ("4, 3", (4, 3)), ("4-4-4", (4, 4, 4))])
def test_parse_hidden(text, expected):
    assert bp.parse_hidden(text) == expected


@pytest.mark.parametrize("text", ["", "0", "5", "2,2,2,2", "two", "1.5"])
def test_bad_hidden_sizes_raise_a_sentence(text):
    with pytest.raises(bp.BadNetwork, match="hidden|whole numbers"):
        bp.parse_hidden(text)


def test_same_config_same_numbers_and_seed_matters():
    a, b = bp.trace(bp.BackpropConfig(seed=5)), bp.trace(bp.BackpropConfig(seed=5))
    assert [s.value for s in a.steps] == [s.value for s in b.steps]
    assert bp.trace(bp.BackpropConfig(seed=6)).steps[0].value != a.steps[0].value


def test_long_formulas_are_broken_into_aligned_stages():
    tr = bp.trace(bp.BackpropConfig(hidden=(4, 4)))
    long_step = max(tr.steps, key=lambda s: len(s.latex))
    shown = bp.display_latex(long_step.latex)
    assert shown.startswith(r"\begin{aligned}") and shown.count("&=") == long_step.latex.count(" = ")
    short = tr.steps[0].latex if len(tr.steps[0].latex) < 120 else "a = b = c"
    assert bp.display_latex(short) == short


def test_constant_init_learns_but_keeps_hidden_units_identical():
    result = bp.train(bp.BackpropConfig(init="constant", hidden=(3,)), 200)
    assert result.symmetric == [True]              # the units never become different ...
    assert abs(result.losses[-1] - result.losses[0]) > 1e-3  # ... although the weights do move
    zero = bp.train(bp.BackpropConfig(init="zeros", hidden=(3,)), 200)
    assert abs(zero.losses[-1] - zero.losses[0]) < 1e-12     # zeros on XOR: every gradient cancels
