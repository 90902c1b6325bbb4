"""core/topics/backprop/loss_functions.py: the worked example against torch and hand arithmetic, loss gradients against autograd."""
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from core.topics.backprop import loss_functions as losses


def test_worked_example_categorical_cross_entropy():
    rows = {r.name: r for r in losses.worked_example()}
    cce = rows["cross_entropy"]
    assert cce.mean == pytest.approx((-math.log(0.8) - math.log(0.7)) / 2, rel=1e-12)
    assert round(cce.mean, 4) == 0.2899
    assert cce.per_sample == pytest.approx((-math.log(0.8), -math.log(0.7)))
    target = torch.tensor([0, 1])
    log_pred = torch.log(torch.tensor(losses.WORKED_PRED, dtype=torch.float64))
    assert cce.torch_value == pytest.approx(F.nll_loss(log_pred, target).item())


def test_worked_example_mse_and_bce_match_torch():
    rows = {r.name: r for r in losses.worked_example()}
    t, p = torch.tensor(losses.WORKED_TRUE, dtype=torch.float64), torch.tensor(losses.WORKED_PRED, dtype=torch.float64)
    assert rows["mse"].mean == pytest.approx(F.mse_loss(p, t).item(), rel=1e-12)
    assert rows["bce"].mean == pytest.approx(F.binary_cross_entropy(p, t).item(), rel=1e-12)
    for r in rows.values():
        assert r.mean == pytest.approx(r.torch_value, rel=1e-12)
        assert r.mean_latex.endswith(f"= {losses.num(r.mean)}")


@pytest.mark.parametrize("name", ["mse", "bce", "cross_entropy"])
def test_worked_example_gradients_match_autograd(name):
    row = next(r for r in losses.worked_example() if r.name == name)
    t = torch.tensor(losses.WORKED_TRUE, dtype=torch.float64)
    p = torch.tensor(losses.WORKED_PRED, dtype=torch.float64, requires_grad=True)
    value = {"mse": lambda: F.mse_loss(p, t), "bce": lambda: F.binary_cross_entropy(p, t),
             "cross_entropy": lambda: -(t * torch.log(p)).sum(1).mean()}[name]()
    value.backward()
    np.testing.assert_allclose(row.grad, p.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("y", [0, 1])
def test_binary_curves_and_their_gradients_match_autograd(y):
    p, curves = losses.binary_curves(y, points=31)
    for name, fn in (("mse", lambda yhat, target: (yhat - target) ** 2),
                     ("bce", lambda yhat, target: F.binary_cross_entropy(yhat, target, reduction="none"))):
        z = torch.logit(torch.tensor(p, dtype=torch.float64)).requires_grad_(True)
        yhat = torch.sigmoid(z)
        yhat.retain_grad()
        value = fn(yhat, torch.full_like(yhat, float(y)))
        value.sum().backward()
        np.testing.assert_allclose(curves[name]["value"], value.detach().numpy(), rtol=1e-9)
        np.testing.assert_allclose(curves[name]["d_yhat"], yhat.grad.numpy(), rtol=1e-9)
        np.testing.assert_allclose(curves[name]["d_z"], z.grad.numpy(), rtol=1e-6, atol=1e-12)
    # through the sigmoid, cross-entropy's gradient is simply ŷ − y
    np.testing.assert_allclose(curves["bce"]["d_z"], p - y, atol=1e-12)


def test_worked_example_latex_writes_the_data_and_each_gradient():
    shown = losses.worked_inputs_latex()
    assert shown.count(r"\begin{bmatrix}") == 2 and "0.8 & 0.1 & 0.1" in shown and "1 & 0 & 0" in shown
    for row in losses.worked_example():
        assert rf"\mathrm{{{row.name.upper()}}}" in row.grad_latex
        assert row.grad_latex.endswith(losses.matrix_latex(row.grad))
