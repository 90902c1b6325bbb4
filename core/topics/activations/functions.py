"""Activation functions: value and hand-derived derivative in torch, LaTeX, and a properties table.

Each entry of `ACTIVATIONS` writes its forward formula and its derivative next to each other (as
micrograd does), so the page can plot f and f' and the tests can check f against
torch.nn.functional and f' against autograd. Every function takes `(x, slope)`; only Leaky ReLU
uses `slope` (the negative-side slope), the others ignore it.

Also here: softmax with a temperature, in the numerically stable form and the naive one (to show
why the stable one exists).
"""
import math
from dataclasses import dataclass
from typing import Callable

import torch
import torch.nn.functional as F

from core.errors import BadNumbers
from core.text import literal

Fn = Callable[[torch.Tensor, float], torch.Tensor]
SQRT2 = math.sqrt(2.0)
INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


@dataclass(frozen=True)
class Activation:
    f: Fn                  # value, elementwise: f(x, slope)
    df: Fn                 # analytic derivative f'(x, slope) (torch's convention at kinks)
    reference: Fn          # the same function from torch / torch.nn.functional (for tests)
    latex: str             # LaTeX of f(x)
    latex_df: str          # LaTeX of f'(x)
    output_range: str      # interval of the outputs, plain Unicode text
    zero_centred: str      # outputs centred on 0 (helps the next layer): "yes" | "roughly" | "no"
    monotonic: bool        # never decreases
    saturates: str         # where f' → 0 for large |x|: "both" | "left" | "none"
    dead_zone: str         # where f' is exactly 0: "none" | "negative" | "outside" | "everywhere"
    cost: int              # relative cost per element: 1 compare/multiply, 2 one exp/tanh, 3 more


def _sigmoid(x: torch.Tensor) -> torch.Tensor:
    return torch.sigmoid(x)


def _softplus(x: torch.Tensor) -> torch.Tensor:
    return torch.logaddexp(x, torch.zeros_like(x))  # log(1 + e^x) without overflow for large x


def _phi(x: torch.Tensor) -> torch.Tensor:  # standard normal CDF
    return 0.5 * (1.0 + torch.erf(x / SQRT2))


def _mish_df(x: torch.Tensor) -> torch.Tensor:
    tsp = torch.tanh(_softplus(x))
    return tsp + x * _sigmoid(x) * (1.0 - tsp * tsp)  # d/dx softplus = sigmoid


def _silu_df(x: torch.Tensor) -> torch.Tensor:
    s = _sigmoid(x)
    return s * (1.0 + x * (1.0 - s))


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation(
        f=lambda x, a: _sigmoid(x),
        df=lambda x, a: _sigmoid(x) * (1 - _sigmoid(x)),
        reference=lambda x, a: torch.sigmoid(x),
        latex=r"\sigma(x) = \frac{1}{1 + e^{-x}}",
        latex_df=r"\sigma'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr) \le \tfrac14",
        output_range="(0, 1)", zero_centred="no", monotonic=True, saturates="both", dead_zone="none", cost=2),
    "tanh": Activation(
        f=lambda x, a: torch.tanh(x),
        df=lambda x, a: 1 - torch.tanh(x) ** 2,
        reference=lambda x, a: torch.tanh(x),
        latex=r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
        latex_df=r"\tanh'(x) = 1 - \tanh^2(x) \le 1",
        output_range="(−1, 1)", zero_centred="yes", monotonic=True, saturates="both", dead_zone="none", cost=2),
    "relu": Activation(
        f=lambda x, a: torch.clamp_min(x, 0),
        df=lambda x, a: (x > 0).to(x.dtype),
        reference=lambda x, a: F.relu(x),
        latex=r"\mathrm{ReLU}(x) = \max(0, x)",
        latex_df=r"\mathrm{ReLU}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}",
        output_range="[0, ∞)", zero_centred="no", monotonic=True, saturates="left", dead_zone="negative",
        cost=1),
    "leaky_relu": Activation(
        f=lambda x, a: torch.where(x > 0, x, a * x),
        df=lambda x, a: torch.where(x > 0, torch.ones_like(x), torch.full_like(x, a)),
        reference=lambda x, a: F.leaky_relu(x, a),
        latex=r"\mathrm{LeakyReLU}(x) = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases}",
        latex_df=r"\mathrm{LeakyReLU}'(x) = \begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases}",
        output_range="(−∞, ∞)", zero_centred="no", monotonic=True, saturates="none", dead_zone="none",
        cost=1),
    "elu": Activation(
        f=lambda x, a: torch.where(x > 0, x, torch.expm1(torch.clamp_max(x, 0))),
        df=lambda x, a: torch.where(x > 0, torch.ones_like(x), torch.exp(torch.clamp_max(x, 0))),
        reference=lambda x, a: F.elu(x),
        latex=r"\mathrm{ELU}(x) = \begin{cases} x & x > 0 \\ e^{x} - 1 & x \le 0 \end{cases}\quad(\alpha = 1)",
        latex_df=r"\mathrm{ELU}'(x) = \begin{cases} 1 & x > 0 \\ e^{x} & x \le 0 \end{cases}",
        output_range="(−1, ∞)", zero_centred="roughly", monotonic=True, saturates="left", dead_zone="none",
        cost=2),
    "gelu": Activation(
        f=lambda x, a: x * _phi(x),
        df=lambda x, a: _phi(x) + x * INV_SQRT_2PI * torch.exp(-0.5 * x * x),
        reference=lambda x, a: F.gelu(x),
        latex=r"\mathrm{GELU}(x) = x\,\Phi(x) = \tfrac{x}{2}\bigl(1 + \mathrm{erf}(x/\sqrt2)\bigr)",
        latex_df=r"\mathrm{GELU}'(x) = \Phi(x) + x\,\varphi(x),\quad \varphi(x) = \tfrac{1}{\sqrt{2\pi}}e^{-x^2/2}",
        output_range="[≈ −0.17, ∞)", zero_centred="no", monotonic=False, saturates="left",
        dead_zone="none", cost=3),
    "silu": Activation(
        f=lambda x, a: x * _sigmoid(x),
        df=lambda x, a: _silu_df(x),
        reference=lambda x, a: F.silu(x),
        latex=r"\mathrm{SiLU}(x) = x\,\sigma(x)",
        latex_df=r"\mathrm{SiLU}'(x) = \sigma(x)\,\bigl(1 + x\,(1 - \sigma(x))\bigr)",
        output_range="[≈ −0.28, ∞)", zero_centred="no", monotonic=False, saturates="left",
        dead_zone="none", cost=2),
    "softplus": Activation(
        f=lambda x, a: _softplus(x),
        df=lambda x, a: _sigmoid(x),
        reference=lambda x, a: F.softplus(x),
        latex=r"\mathrm{Softplus}(x) = \ln(1 + e^{x})",
        latex_df=r"\mathrm{Softplus}'(x) = \sigma(x)",
        output_range="(0, ∞)", zero_centred="no", monotonic=True, saturates="left", dead_zone="none",
        cost=2),
    "mish": Activation(
        f=lambda x, a: x * torch.tanh(_softplus(x)),
        df=lambda x, a: _mish_df(x),
        reference=lambda x, a: F.mish(x),
        latex=r"\mathrm{Mish}(x) = x\,\tanh\bigl(\ln(1 + e^{x})\bigr)",
        latex_df=r"\mathrm{Mish}'(x) = \tanh(s) + x\,\sigma(x)\,\bigl(1 - \tanh^2(s)\bigr),\quad s = \ln(1+e^x)",
        output_range="[≈ −0.31, ∞)", zero_centred="no", monotonic=False, saturates="left",
        dead_zone="none", cost=3),
    "hardsigmoid": Activation(
        f=lambda x, a: torch.clamp(x / 6 + 0.5, 0, 1),
        df=lambda x, a: ((x > -3) & (x < 3)).to(x.dtype) / 6,
        reference=lambda x, a: F.hardsigmoid(x),
        latex=r"\mathrm{HardSigmoid}(x) = \min\bigl(1, \max(0, \tfrac{x}{6} + \tfrac12)\bigr)",
        latex_df=r"\mathrm{HardSigmoid}'(x) = \begin{cases} \tfrac16 & -3 < x < 3 \\ 0 & \text{otherwise} \end{cases}",
        output_range="[0, 1]", zero_centred="no", monotonic=True, saturates="both", dead_zone="outside", cost=1),
    "step": Activation(
        f=lambda x, a: (x >= 0).to(x.dtype),
        df=lambda x, a: torch.zeros_like(x),
        reference=lambda x, a: torch.heaviside(x, torch.ones((), dtype=x.dtype)),
        latex=r"\mathrm{step}(x) = \begin{cases} 1 & x \ge 0 \\ 0 & x < 0 \end{cases}",
        latex_df=r"\mathrm{step}'(x) = 0 \quad (x \ne 0;\ \text{undefined at } 0)",
        output_range="{0, 1}", zero_centred="no", monotonic=True, saturates="both", dead_zone="everywhere",
        cost=1),
}

DEFAULT_SLOPE = 0.01  # Leaky ReLU's negative slope, as in torch.nn.LeakyReLU


def value_and_derivative(key: str, x: torch.Tensor, slope: float = DEFAULT_SLOPE) -> tuple[torch.Tensor, torch.Tensor]:
    """f(x) and f'(x) of activation `key`, elementwise; both have x's shape and dtype."""
    act = ACTIVATIONS[key]
    return act.f(x, slope), act.df(x, slope)


def curves(keys: list[str], x_min: float, x_max: float, points: int = 401,
           slope: float = DEFAULT_SLOPE) -> tuple[torch.Tensor, dict[str, tuple[torch.Tensor, torch.Tensor]]]:
    """x (points,) float64 on [x_min, x_max] and {key: (f(x), f'(x))} for each activation in `keys`."""
    if not x_min < x_max:
        raise BadNumbers("act_err_range", low=x_min, high=x_max)
    x = torch.linspace(x_min, x_max, points, dtype=torch.float64)  # (points,)
    return x, {key: value_and_derivative(key, x, slope) for key in keys}


def max_errors_vs_torch(keys: list[str], x: torch.Tensor, slope: float = DEFAULT_SLOPE) -> tuple[float, float]:
    """Largest |f − torch's f| and |f′ − autograd's f′| over `x` for the activations in `keys`.

    The page prints these so a learner can see the hand-written formulas are PyTorch's functions.
    The step function has no autograd derivative and is compared on values only.
    """
    value_err = deriv_err = 0.0
    for key in keys:
        act = ACTIVATIONS[key]
        xr = x.detach().clone().requires_grad_(key != "step")
        ref = act.reference(xr, slope)
        value_err = max(value_err, float((act.f(x, slope) - ref.detach()).abs().max()))
        if key != "step":
            (grad,) = torch.autograd.grad(ref.sum(), xr)
            deriv_err = max(deriv_err, float((act.df(x, slope) - grad).abs().max()))
    return value_err, deriv_err


# --- the properties table --------------------------------------------------------------------

# Column id → locale key of its header; the cells of each row are built by `property_rows`.
PROPERTY_COLUMNS = {"function": "act_col_function", "range": "act_col_range", "zero": "act_col_zero",
                    "mono": "act_col_mono", "sat": "act_col_sat", "dead": "act_col_dead",
                    "cost": "act_col_cost", "use": "act_col_use"}


def property_rows(translate: Callable[[str], str]) -> list[dict[str, str]]:
    """The page's properties table: one row per activation, {translated header: cell}.

    `translate` maps a locale key to text (the page passes its `t`), so this stays free of any UI
    code while every word in the table comes from the locale files. Cost is drawn as that many dots.
    """
    header = {column: translate(key) for column, key in PROPERTY_COLUMNS.items()}
    rows = []
    for key, act in ACTIVATIONS.items():
        cells = {"function": translate(f"activation_{key}"), "range": act.output_range,
                 "zero": translate(f"act_{act.zero_centred}"),
                 "mono": translate("act_yes" if act.monotonic else "act_no"),
                 "sat": translate(f"act_sat_{act.saturates}"), "dead": translate(f"act_dead_{act.dead_zone}"),
                 "cost": "●" * act.cost, "use": translate(f"act_use_{key}")}
        rows.append({header[column]: cells[column] for column in PROPERTY_COLUMNS})
    return rows


# --- softmax ---------------------------------------------------------------------------------

# The stable form the page shows next to the bars: subtracting the largest logit changes nothing
# mathematically (it cancels between numerator and denominator) but keeps every exponent ≤ 0.
SOFTMAX_LATEX = (r"p_i = \frac{e^{z_i/T}}{\sum_j e^{z_j/T}} = \frac{e^{(z_i - m)/T}}{\sum_j e^{(z_j - m)/T}},"
                 r"\quad m = \max_j z_j")

MAX_LOGITS = 12  # more bars than this stop being readable


def parse_numbers(text: str, max_count: int = MAX_LOGITS) -> list[float]:
    """Numbers separated by commas, spaces or semicolons, e.g. "2, 1, 0.1" → [2.0, 1.0, 0.1]."""
    parts = [p for p in text.replace(";", ",").replace("，", ",").replace(",", " ").split() if p]
    if not parts:
        raise BadNumbers("act_err_empty")
    if len(parts) > max_count:
        raise BadNumbers("act_err_too_many", max_count=max_count, count=len(parts))
    values = []
    for part in parts:
        try:
            value = float(part)
        except ValueError:
            raise BadNumbers("act_err_not_a_number", token=literal(part)) from None
        if not math.isfinite(value):
            raise BadNumbers("act_err_not_finite", token=literal(part))
        values.append(value)
    return values


def softmax(logits: torch.Tensor, temperature: float = 1.0) -> torch.Tensor:
    """Stable softmax of z / T along the last axis: subtract the max first so exp never overflows."""
    if temperature <= 0:
        raise BadNumbers("act_err_temperature", value=temperature)
    scaled = logits / temperature
    shifted = scaled - scaled.max(dim=-1, keepdim=True).values  # largest entry becomes 0 → exp ≤ 1
    e = torch.exp(shifted)
    return e / e.sum(dim=-1, keepdim=True)


def softmax_naive(logits: torch.Tensor, temperature: float = 1.0) -> torch.Tensor:
    """The textbook formula exp(z/T) / Σ exp(z/T), without the shift: overflows to inf/nan for big logits."""
    e = torch.exp(logits / temperature)
    return e / e.sum(dim=-1, keepdim=True)


def entropy_bits(p: torch.Tensor) -> float:
    """Shannon entropy of a probability vector in bits (0 = certain; log2(k) = uniform)."""
    p = p[p > 0]
    return float(-(p * torch.log2(p)).sum())


def class_labels(logits: list[float], word: str) -> list[str]:
    """Bar labels "<word> i (z=…)" for a logit vector, e.g. ["class 0 (z=2)", "class 1 (z=1)"]."""
    return [f"{word} {i} (z={z:g})" for i, z in enumerate(logits)]


def float32_comparison(logits: torch.Tensor, shift: float,
                       temperature: float) -> tuple[list[float], list[float], list[float]]:
    """Logits + `shift` held in float32 (as a network would), with the naive and the stable softmax of them.

    With a shift of a few hundred the naive exp overflows to inf and its probabilities turn to nan,
    while the stable form still gives the unshifted answer (softmax ignores a common shift).
    """
    shifted = (logits + shift).to(torch.float32)  # (k,)
    return shifted.tolist(), softmax_naive(shifted, temperature).tolist(), softmax(shifted, temperature).tolist()
