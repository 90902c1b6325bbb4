"""LaTeX with the numbers written in: number formatting, table labels, long formulas broken into lines."""
import math

import numpy as np


def num(x: float, digits: int = 4) -> str:
    """A number for LaTeX: 4 significant digits, scientific notation as 1.2\\times10^{-5}."""
    x = float(x)
    if x == 0:
        return "0"
    if not math.isfinite(x):
        return r"\infty" if x > 0 else r"-\infty"
    text = f"{x:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa}\times10^{{{int(exponent)}}}"
    return text


def par(x: float) -> str:
    """`num(x)`, in parentheses when negative (so products like 0.5 × (-0.2) read right)."""
    return f"({num(x)})" if x < 0 else num(x)


def vec(values) -> str:
    """A row vector of numbers, one per example: [0.1,\\ 0.2, ...]."""
    return r"\left[" + r",\ ".join(num(v) for v in np.ravel(values)) + r"\right]"


def show(values) -> str:
    """One number when there is one example, else a vector."""
    values = np.ravel(values)
    return num(values[0]) if values.size == 1 else vec(values)


_SUP = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def node_label(node: str) -> str:
    """Plain-text name of a graph element for tables.

    'w1.2.1' → 'w⁽¹⁾₂₁', 'b2.1' → 'b⁽²⁾₁', 'n1.2' → 'a⁽¹⁾₂'.
    """
    if node == "loss" or node[0] == "x":
        return {"loss": "L"}.get(node, "x" + node[1:].translate(_SUB))
    layer, *index = node[1:].split(".")
    letter = "a" if node[0] == "n" else node[0]
    return letter + f"({layer})".translate(_SUP) + "".join(index).translate(_SUB)


def _wrap(part: str, width: int) -> str:
    """Break a long stage at a top-level " + " near its middle (never inside \\left ... \\right)."""
    if len(part) <= width:
        return part
    cuts = [k for k in range(len(part)) if part.startswith(" + ", k)
            and part.count(r"\left", 0, k) == part.count(r"\right", 0, k)]
    if not cuts:
        return part
    k = min(cuts, key=lambda c: abs(c - len(part) / 2))
    return _wrap(part[:k], width) + r" \\ &\quad + " + _wrap(part[k + 3:], width)


def display_latex(latex: str, width: int = 120) -> str:
    """A step's formula for display: one line if short, else an aligned block with one "= …" stage a line
    (and a very long stage broken at a "+")."""
    parts = latex.split(" = ")
    if len(latex) <= width or len(parts) < 3:
        return latex
    return (r"\begin{aligned}" + parts[0] + " &= " + _wrap(parts[1], width)
            + "".join(r" \\ &= " + _wrap(part, width) for part in parts[2:]) + r"\end{aligned}")
