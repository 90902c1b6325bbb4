"""Loss functions as functions of the prediction, with their gradients, and the tutorials' worked example.

Binary losses take a prediction ŷ ∈ (0, 1) and a target y ∈ {0, 1}:
    MSE  ℓ = (ŷ − y)²,                      ∂ℓ/∂ŷ = 2(ŷ − y)
    BCE  ℓ = −[y ln ŷ + (1 − y) ln(1 − ŷ)],  ∂ℓ/∂ŷ = −y/ŷ + (1 − y)/(1 − ŷ)
and, through a sigmoid output ŷ = σ(z), ∂ℓ/∂z = ∂ℓ/∂ŷ · ŷ(1 − ŷ): 2(ŷ − y)ŷ(1 − ŷ) for MSE (which
vanishes when the net is confidently wrong) and simply ŷ − y for BCE.
`worked_example` reproduces the tutorials' three-class example, every number computed here and by
torch.
"""
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from core.topics.backprop.latex import num

WORKED_TRUE = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0))   # the tutorials' one-hot targets, (2 samples, 3 classes)
WORKED_PRED = ((0.8, 0.1, 0.1), (0.2, 0.7, 0.1))   # the tutorials' predicted probabilities


def binary_curves(y: int, points: int = 199) -> tuple[np.ndarray, dict[str, dict[str, np.ndarray]]]:
    """ŷ grid (P,) in (0, 1) and, per loss, its value, ∂/∂ŷ and ∂/∂z (through a sigmoid), each (P,)."""
    p = np.linspace(0.005, 0.995, points)  # (P,) stay off 0 and 1, where ln blows up
    sig = p * (1 - p)  # σ'(z) written with ŷ = σ(z)
    mse_value, mse_grad = (p - y) ** 2, 2 * (p - y)
    bce_value = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    bce_grad = -y / p + (1 - y) / (1 - p)
    return p, {"mse": {"value": mse_value, "d_yhat": mse_grad, "d_z": mse_grad * sig},
               "bce": {"value": bce_value, "d_yhat": bce_grad, "d_z": bce_grad * sig}}


@dataclass(frozen=True)
class WorkedLoss:
    name: str                      # "mse" | "bce" | "cross_entropy"
    formula: str                   # LaTeX: the definition
    per_sample_latex: tuple[str, ...]  # LaTeX per sample with the numbers written in
    per_sample: tuple[float, ...]  # the loss of each sample
    mean: float                    # mean over the samples (what training minimises)
    mean_latex: str                # LaTeX of the mean with the numbers
    grad: np.ndarray               # ∂(mean loss)/∂y_pred, same shape as y_pred
    torch_value: float             # torch's own value for the same mean loss

    @property
    def grad_latex(self) -> str:
        """LaTeX of the gradient with its numbers: ∂MSE/∂y_pred = [[...]]."""
        name = r"\mathrm{" + self.name.upper() + "}"
        return rf"\frac{{\partial\,{name}}}{{\partial y_{{\text{{pred}}}}}} = " + matrix_latex(self.grad)


def _matrix(m: np.ndarray) -> str:
    rows = [" & ".join(num(v) for v in row) for row in m]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


def matrix_latex(m) -> str:
    """A 2-D array as a LaTeX bmatrix (4 significant digits)."""
    return _matrix(np.asarray(m, dtype=float))


def worked_inputs_latex(y_true=WORKED_TRUE, y_pred=WORKED_PRED) -> str:
    """LaTeX of the worked example's data: y_true = [[...]], y_pred = [[...]]."""
    return r"y_{\text{true}} = " + matrix_latex(y_true) + r",\quad y_{\text{pred}} = " + matrix_latex(y_pred)


def worked_example(y_true=WORKED_TRUE, y_pred=WORKED_PRED) -> list[WorkedLoss]:
    """MSE, binary CE and categorical CE of y_pred against y_true, sample by sample, and torch's values.

    Conventions (Keras' and the tutorials'): MSE and BCE average over the classes of a sample, then
    over the samples; categorical CE sums −y ln p over the classes, then averages over the samples.
    """
    t = np.asarray(y_true, dtype=float)  # (N, K)
    p = np.asarray(y_pred, dtype=float)  # (N, K)
    n, k = t.shape
    tt, pt = torch.tensor(t), torch.tensor(p, requires_grad=True)
    out = []

    mse = ((p - t) ** 2).mean(1)
    mse_tex = tuple(rf"\tfrac{{1}}{{{k}}}\left[" + " + ".join(f"({num(a)}-{num(b)})^2" for a, b in zip(pr, tr))
                    + rf"\right] = {num(v)}" for pr, tr, v in zip(p, t, mse))
    out.append(("mse", r"\mathrm{MSE} = \frac{1}{N}\sum_n \frac{1}{K}\sum_k (p_{nk}-y_{nk})^2", mse_tex, mse,
                2 * (p - t) / (n * k), F.mse_loss(pt, tt)))

    bce_terms = -(t * np.log(p) + (1 - t) * np.log(1 - p))
    bce = bce_terms.mean(1)
    bce_tex = tuple(rf"-\tfrac{{1}}{{{k}}}\left[" + " + ".join(
        rf"\ln {num(a)}" if b == 1 else rf"\ln(1-{num(a)})" for a, b in zip(pr, tr)) + rf"\right] = {num(v)}"
        for pr, tr, v in zip(p, t, bce))
    bce_formula = (r"\mathrm{BCE} = -\frac{1}{N}\sum_n \frac{1}{K}\sum_k "
                   r"\left[y_{nk}\ln p_{nk}+(1-y_{nk})\ln(1-p_{nk})\right]")
    out.append(("bce", bce_formula, bce_tex, bce, (-t / p + (1 - t) / (1 - p)) / (n * k),
                F.binary_cross_entropy(pt, tt)))

    cce = -(t * np.log(p)).sum(1)
    cce_tex = tuple("-" + " - ".join(rf"\ln {num(a)}" if b == 1 else rf"{num(b)}\ln {num(a)}"
                                     for a, b in zip(pr, tr) if b != 0)
                    + f" = {num(v)}" for pr, tr, v in zip(p, t, cce))
    out.append(("cross_entropy", r"\mathrm{CCE} = -\frac{1}{N}\sum_n \sum_k y_{nk}\ln p_{nk}", cce_tex, cce,
                -t / p / n, -(tt * torch.log(pt)).sum(1).mean()))

    rows = []
    for name, formula, tex, per, grad, torch_loss in out:
        mean = float(np.mean(per))
        mean_latex = rf"\frac{{1}}{{{n}}}(" + " + ".join(num(v) for v in per) + rf") = {num(mean)}"
        rows.append(WorkedLoss(name, formula, tex, tuple(float(v) for v in per), mean, mean_latex, grad,
                               float(torch_loss.detach())))
    return rows
