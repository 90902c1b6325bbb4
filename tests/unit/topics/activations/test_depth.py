"""Depth lab: gradient norms against an independent functional autograd computation, and the textbook effects."""
import contextlib
import io
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from core.topics.activations.functions import ACTIVATIONS
from core.topics.activations.depth import PRESETS, DepthConfig, build, gradient_ratio, make_batch, pytorch_code, run

CASES = [
    DepthConfig(depth=6, width=16, activation="sigmoid", init="normal_0.01"),
    DepthConfig(depth=5, width=24, activation="relu", init="he_normal", residual=True),
    DepthConfig(depth=4, width=16, activation="tanh", init="xavier_normal", batchnorm=True),
    DepthConfig(depth=4, width=8, activation="leaky_relu", init="default", slope=0.2, residual=True, batchnorm=True),
    DepthConfig(depth=3, width=8, activation="gelu", init="he_normal", batch_size=32, classes=3, seed=5),
]


def functional_grad_norms(config: DepthConfig) -> list[float]:
    """The same network written with F.linear / F.batch_norm / torch's own activations, differentiated by autograd."""
    model = build(config)  # only to borrow its initial weights
    weights = [layer.weight.detach().clone().requires_grad_() for layer in [*model.hidden, model.out]]
    biases = [layer.bias.detach().clone() for layer in [*model.hidden, model.out]]
    x, y = make_batch(config)
    h = x
    for w, b in zip(weights[:-1], biases[:-1]):
        z = F.linear(h, w, b)
        if config.batchnorm:  # training mode: normalise with the batch's own mean and (biased) variance
            z = F.batch_norm(z, None, None, torch.ones(config.width, dtype=z.dtype),
                             torch.zeros(config.width, dtype=z.dtype), training=True)
        a = ACTIVATIONS[config.activation].reference(z, config.slope)
        h = h + a if config.residual else a
    loss = F.cross_entropy(F.linear(h, weights[-1], biases[-1]), y)
    return [g.norm().item() for g in torch.autograd.grad(loss, weights)]


@pytest.mark.parametrize("config", CASES, ids=lambda c: f"{c.activation}-{c.init}-bn{c.batchnorm:d}-res{c.residual:d}")
def test_grad_norms_equal_direct_autograd(config):
    result = run(config)
    np.testing.assert_allclose(result.grad_norms, functional_grad_norms(config), rtol=1e-9)
    assert len(result.grad_norms) == config.depth + 1 and result.finite


@pytest.mark.parametrize("config", CASES[:4], ids=lambda c: c.activation)
def test_shown_pytorch_code_prints_the_same_norms(config):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(pytorch_code(config), {})
    printed = [float(v) for v in re.findall(r"= ([-\d.e+]+)", out.getvalue())]
    np.testing.assert_allclose(printed, run(config).grad_norms, rtol=1e-5)


def test_sigmoid_with_small_init_vanishes_and_relu_with_he_stays_level():
    vanish = run(DepthConfig(depth=20, width=32, **PRESETS["vanish"]))
    healthy = run(DepthConfig(depth=20, width=32, **PRESETS["healthy"]))
    assert vanish.grad_norms[0] / vanish.grad_norms[-2] < 1e-20  # first hidden vs last hidden layer
    ratio = healthy.grad_norms[0] / healthy.grad_norms[-2]
    assert 0.05 < ratio < 20
    assert 0.1 < healthy.act_std[-1] / healthy.act_std[0] < 10  # He keeps the signal's scale


def test_residual_connections_and_batchnorm_rescue_depth():
    plain = run(DepthConfig(depth=30, width=32, **PRESETS["vanish"]))
    for rescue in (DepthConfig(depth=30, width=32, **PRESETS["residual"]),
                   DepthConfig(depth=30, width=32, **PRESETS["batchnorm"])):
        rescued = run(rescue)
        assert rescued.grad_norms[0] / rescued.grad_norms[-2] > 1e-3
        assert rescued.grad_norms[0] > 1e20 * plain.grad_norms[0]


def test_zero_init_gives_exactly_zero_gradients_and_step_blocks_backprop():
    zeros = run(DepthConfig(depth=5, width=8, **PRESETS["zeros"]))
    assert np.all(zeros.grad_norms == 0)
    step = run(DepthConfig(depth=5, width=8, activation="step", init="he_normal"))
    assert np.all(step.grad_norms[:-1] == 0) and step.grad_norms[-1] > 0  # only the read-out learns


def test_histograms_and_stats_are_consistent():
    config = DepthConfig(depth=6, width=16, activation="tanh", init="xavier_normal")
    result = run(config)
    assert result.hist.shape == (6, len(result.bin_edges) - 1)
    np.testing.assert_allclose(result.hist.sum(1), 1.0)
    assert result.bin_edges[0] == -1 and result.bin_edges[-1] == 1  # tanh's bounded range
    _, _, post = build(config)(make_batch(config)[0])
    np.testing.assert_allclose(result.act_std, [p.std().item() for p in post])
    assert np.all((result.flat_share >= 0) & (result.flat_share <= 1))


def test_same_seed_same_numbers_other_seed_other_numbers():
    a, b = run(DepthConfig(depth=4, width=8)), run(DepthConfig(depth=4, width=8))
    c = run(DepthConfig(depth=4, width=8, seed=1))
    np.testing.assert_array_equal(a.grad_norms, b.grad_norms)
    assert not np.allclose(a.grad_norms, c.grad_norms)


def test_gradient_ratio_reads_vanishing_healthy_and_undefined():
    vanish = run(DepthConfig(depth=10, width=16, **PRESETS["vanish"]))
    assert gradient_ratio(vanish.grad_norms) == pytest.approx(vanish.grad_norms[0] / vanish.grad_norms[-1])
    assert gradient_ratio(vanish.grad_norms) < 1e-6
    healthy = run(DepthConfig(depth=10, width=16, **PRESETS["healthy"]))
    assert 1e-2 < gradient_ratio(healthy.grad_norms) < 1e2
    assert gradient_ratio(run(DepthConfig(depth=3, width=8, **PRESETS["zeros"])).grad_norms) is None  # 0 / 0
