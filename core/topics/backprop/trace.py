"""ONE gradient-descent step of the network on XOR with every intermediate number recorded as a `Step`
(forward z and a, the loss, dL/dŷ, each delta, each dL/dw and dL/db, each update), each with its
formula in LaTeX with the actual numbers substituted, in the micrograd spirit."""
from dataclasses import dataclass, field

import numpy as np

from core.topics.backprop.latex import num, par, show, vec
from core.topics.backprop.network import ACTIVATIONS, LOSSES, OUTPUT, Activation, BackpropConfig, batch, init_params


KINDS = ("forward", "loss", "backward", "update")


@dataclass(frozen=True)
class Step:
    kind: str                  # "forward" | "loss" | "backward" | "update"
    what: str                  # "z" | "a" | "loss" | "dyhat" | "delta" | "grad_w" | "grad_b" | "new_w" | "new_b"
    node: str                  # graph element: "x1", "n{l}.{j}" unit, "w{l}.{j}.{i}" weight, "b{l}.{j}", "loss"
    symbol: str                # LaTeX of the quantity, e.g. z^{(1)}_{2}
    latex: str                 # the whole formula, symbols = numbers substituted = value
    value: tuple[float, ...]   # the value: one per example for z, a, ∂L/∂ŷ, δ; one number otherwise


@dataclass
class Trace:
    config: BackpropConfig
    x: np.ndarray                              # (N, 2) inputs
    y: np.ndarray                              # (N,) targets
    weights: list[np.ndarray]                  # W[l] (n_out, n_in) before the update
    biases: list[np.ndarray]                   # b[l] (n_out,) before the update
    z: list[np.ndarray]                        # z[l] (N, n_l) for l = 1..L (index l-1)
    a: list[np.ndarray]                        # a[l] (N, n_l) for l = 0..L (a[0] = x)
    loss: float                                # mean loss over the N examples
    deltas: list[np.ndarray]                   # δ[l] (N, n_l), index l-1
    grad_w: list[np.ndarray]                   # ∂L/∂W[l], same shapes as weights
    grad_b: list[np.ndarray]                   # ∂L/∂b[l]
    new_weights: list[np.ndarray]              # after w ← w − η ∂L/∂w
    new_biases: list[np.ndarray]
    steps: list[Step] = field(default_factory=list)


def _a_sym(l: int, i: int, bold: bool = False) -> str:
    name = (r"\mathbf{x}" if l == 0 else r"\mathbf{a}") if bold else ("x" if l == 0 else "a")
    return f"{name}_{{{i}}}" if l == 0 else rf"{name}^{{({l})}}_{{{i}}}"


def _w_sym(l: int, j: int, i: int) -> str:
    return rf"w^{{({l})}}_{{{j}{i}}}"


def _act_of(config: BackpropConfig, layer: int, n_layers: int) -> Activation:
    return OUTPUT if layer == n_layers else ACTIVATIONS[config.activation]


def trace(config: BackpropConfig) -> Trace:
    """One gradient-descent step, computed one number at a time, every number recorded as a Step."""
    config.validate()
    x, y = batch(config)
    weights, biases = init_params(config)
    n, n_layers, one = len(y), len(weights), len(y) == 1
    steps: list[Step] = []

    def add(kind, what, node, symbol, rhs, value):
        steps.append(Step(kind, what, node, symbol, f"{symbol} = {rhs}", tuple(float(v) for v in np.ravel(value))))

    # ---- forward: z then a, unit by unit
    a_list, z_list = [x], []
    for l in range(1, n_layers + 1):
        W, b, prev = weights[l - 1], biases[l - 1], a_list[-1]
        act = _act_of(config, l, n_layers)
        z, a = np.zeros((n, W.shape[0])), np.zeros((n, W.shape[0]))  # (N, n_l)
        for j in range(W.shape[0]):
            z[:, j] = prev @ W[j] + b[j]
            terms = " + ".join(f"{_w_sym(l, j + 1, i + 1)}{_a_sym(l - 1, i + 1)}" for i in range(W.shape[1]))
            if one:
                nums = " + ".join(f"{par(W[j, i])}\\cdot{par(prev[0, i])}" for i in range(W.shape[1]))
            else:  # the weights are shared by the batch: substitute them, keep the inputs as vectors
                nums = " + ".join(f"{par(W[j, i])}\\,{_a_sym(l - 1, i + 1, bold=True)}" for i in range(W.shape[1]))
            sym = rf"z^{{({l})}}_{{{j + 1}}}"
            add("forward", "z", f"n{l}.{j + 1}", sym,
                rf"{terms} + b^{{({l})}}_{{{j + 1}}} = {nums} + {par(b[j])} = {show(z[:, j])}", z[:, j])
            a[:, j] = act.f(z[:, j])
            a_sym = r"\hat y" if l == n_layers else _a_sym(l, j + 1)
            written = act.f_num(z[0, j]) if one else f"{act.tex}({vec(z[:, j])})"
            add("forward", "a", f"n{l}.{j + 1}", a_sym, rf"{act.tex}({sym}) = {written} = {show(a[:, j])}", a[:, j])
        z_list.append(z)
        a_list.append(a)

    # ---- loss: the mean over the N examples
    loss_fn = LOSSES[config.loss]
    p = a_list[-1][:, 0]  # (N,) predictions ŷ
    per_example = loss_fn.value(p, y)
    loss = float(per_example.mean())
    sum_n = "" if one else rf"\frac{{1}}{{{n}}}\sum_{{n=1}}^{{{n}}}"
    if config.loss == "mse":
        terms = " + ".join(f"({num(pi)}-{num(yi)})^2" for pi, yi in zip(p, y))
        numbers = terms if one else rf"\frac{{1}}{{{n}}}\left[{terms}\right]"
    else:  # only the log of the probability given to the right class survives
        terms = " + ".join(rf"\ln {num(pi)}" if yi == 1 else rf"\ln(1-{num(pi)})" for pi, yi in zip(p, y))
        numbers = rf"-\left[{terms}\right]" if one else rf"-\frac{{1}}{{{n}}}\left[{terms}\right]"
    add("loss", "loss", "loss", "L", rf"{sum_n}{loss_fn.tex} = {numbers} = {num(loss)}", loss)

    # ---- backward: ∂L/∂ŷ, then per layer δ, ∂L/∂w, ∂L/∂b (δ of layer l needs δ of layer l+1)
    dyhat = loss_fn.grad(p, y) / n  # (N,) the mean's 1/N is applied here, once
    scale = "" if one else rf"\frac{{1}}{{{n}}}\cdot "
    written = loss_fn.grad_num(num(p[0]), num(y[0])) if one else loss_fn.grad_num(vec(p), vec(y))
    add("backward", "dyhat", "loss", r"\frac{\partial L}{\partial \hat y}",
        rf"{scale}{loss_fn.grad_tex} = {scale}{written} = {show(dyhat)}", dyhat)
    deltas: list[np.ndarray] = [np.zeros_like(z) for z in z_list]
    grad_w = [np.zeros_like(W) for W in weights]
    grad_b = [np.zeros_like(b) for b in biases]
    for l in range(n_layers, 0, -1):
        act, z, a = _act_of(config, l, n_layers), z_list[l - 1], a_list[l]
        for j in range(z.shape[1]):
            sym = rf"\delta^{{({l})}}_{{{j + 1}}}"
            dfz = act.df(z[:, j], a[:, j])  # (N,) f'(z)
            a_s = r"\hat y" if l == n_layers else _a_sym(l, j + 1)
            if l == n_layers:
                upstream = dyhat
                chain = rf"\frac{{\partial L}}{{\partial \hat y}}\cdot {act.df_tex(f'z^{{({l})}}_{{1}}', a_s)}"
                upstream_num = par(dyhat[0]) if one else r"\frac{\partial L}{\partial \hat y}"
            else:
                W_next, d_next = weights[l], deltas[l]  # (n_{l+1}, n_l), (N, n_{l+1})
                upstream = d_next @ W_next[:, j]
                chain = r"\Big(" + " + ".join(f"{_w_sym(l + 1, k + 1, j + 1)}\\,\\delta^{{({l + 1})}}_{{{k + 1}}}"
                                              for k in range(W_next.shape[0])) + r"\Big)\cdot " \
                    + act.df_tex(rf"z^{{({l})}}_{{{j + 1}}}", a_s)
                if one:
                    upstream_num = r"\big(" + " + ".join(f"{par(W_next[k, j])}\\cdot{par(d_next[0, k])}"
                                                         for k in range(W_next.shape[0])) + r"\big)"
                else:
                    bold_delta = r"\boldsymbol{\delta}"  # the next layer's δ, a vector over the batch
                    upstream_num = r"\big(" + " + ".join(f"{par(W_next[k, j])}\\,{bold_delta}^{{({l + 1})}}_{{{k + 1}}}"
                                                         for k in range(W_next.shape[0])) + r"\big)"
            deltas[l - 1][:, j] = upstream * dfz
            df_written = act.df_num(z[0, j], a[0, j]) if one else f"{act.tex}'({vec(z[:, j])})"
            mul = r"\cdot" if one else r"\odot"
            add("backward", "delta", f"n{l}.{j + 1}", sym,
                rf"{chain} = {upstream_num}{mul}{df_written} = {show(deltas[l - 1][:, j])}", deltas[l - 1][:, j])
        prev = a_list[l - 1]
        for j in range(z.shape[1]):
            d = deltas[l - 1][:, j]  # (N,)
            for i in range(prev.shape[1]):
                grad_w[l - 1][j, i] = float(d @ prev[:, i])  # Σ_n δ_n a_n (δ already holds the 1/N)
                products = " + ".join(f"{par(dn)}\\cdot{par(an)}" for dn, an in zip(d, prev[:, i]))
                sigma = "" if one else r"\sum_n "
                add("backward", "grad_w", f"w{l}.{j + 1}.{i + 1}",
                    rf"\frac{{\partial L}}{{\partial {_w_sym(l, j + 1, i + 1)}}}",
                    rf"{sigma}\delta^{{({l})}}_{{{j + 1}}}\cdot {_a_sym(l - 1, i + 1)} = {products} "
                    rf"= {num(grad_w[l - 1][j, i])}",
                    grad_w[l - 1][j, i])
            grad_b[l - 1][j] = float(d.sum())
            sums = " + ".join(par(dn) for dn in d)
            add("backward", "grad_b", f"b{l}.{j + 1}", rf"\frac{{\partial L}}{{\partial b^{{({l})}}_{{{j + 1}}}}}",
                rf"{sigma}\delta^{{({l})}}_{{{j + 1}}} = {sums} = {num(grad_b[l - 1][j])}",
                grad_b[l - 1][j])

    # ---- update: w ← w − η ∂L/∂w, every parameter
    eta = config.lr
    new_w = [W - eta * g for W, g in zip(weights, grad_w)]
    new_b = [b - eta * g for b, g in zip(biases, grad_b)]
    for l in range(1, n_layers + 1):
        W, g = weights[l - 1], grad_w[l - 1]
        for j in range(W.shape[0]):
            for i in range(W.shape[1]):
                sym = _w_sym(l, j + 1, i + 1)
                add("update", "new_w", f"w{l}.{j + 1}.{i + 1}", rf"{sym}\leftarrow",
                    rf"{sym} - \eta\frac{{\partial L}}{{\partial {sym}}} = {num(W[j, i])} - {num(eta)}\cdot"
                    rf"{par(g[j, i])} = {num(new_w[l - 1][j, i])}", new_w[l - 1][j, i])
            sym = rf"b^{{({l})}}_{{{j + 1}}}"
            add("update", "new_b", f"b{l}.{j + 1}", rf"{sym}\leftarrow",
                rf"{sym} - \eta\frac{{\partial L}}{{\partial {sym}}} = {num(biases[l - 1][j])} - {num(eta)}\cdot"
                rf"{par(grad_b[l - 1][j])} = {num(new_b[l - 1][j])}", new_b[l - 1][j])
    # the symbol of an update is "w ←": drop the "=" that `add` put after it
    steps = [s if s.kind != "update" else Step(s.kind, s.what, s.node, s.symbol,
                                               s.latex.replace(r"\leftarrow = ", r"\leftarrow "), s.value)
             for s in steps]
    return Trace(config, x, y, weights, biases, z_list, a_list, loss, deltas, grad_w, grad_b, new_w, new_b, steps)
