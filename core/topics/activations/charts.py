"""Figures for the activations page: curves, softmax bars, one neuron, its training, the depth lab.

Pure functions: numbers and already-translated labels in → plotly Figure out. The page redraws
up to eight figures per rerun, so traces and layouts are written as plain dicts and the Figure is
made without plotly's per-property validation (which costs 30-60 ms a figure, most of a rerun's
budget); the tests validate every figure once by rebuilding it with `go.Figure(fig.to_dict())`.
"""
import numpy as np
import plotly.graph_objects as go

from core.charts import CLASS_COLORS, style

# One fixed colour per activation, so a function keeps its colour when others are toggled.
ACT_COLORS = {
    "sigmoid": "#0072B2", "tanh": "#E69F00", "relu": "#009E73", "leaky_relu": "#CC79A7",
    "elu": "#56B4E9", "gelu": "#D55E00", "silu": "#8C564B", "softplus": "#7F7F7F",
    "mish": "#F0B400", "hardsigmoid": "#6A3D9A", "step": "#000000",
}
AXIS_LINE = dict(zeroline=True, zerolinecolor="#999", zerolinewidth=1)


def _figure(data: list[dict], layout: dict, height: int, title: str | None = None) -> go.Figure:
    """A Figure from plain dicts, unvalidated (fast), with the playground's shared style."""
    return style(go.Figure(data=data, layout=layout, _validate=False), height=height, title=title)


def activation_curves(x: np.ndarray, values: dict[str, tuple[np.ndarray, np.ndarray]], names: dict[str, str],
                      show_derivative: bool, deriv_label: str, height: int = 440) -> go.Figure:
    """f(x) (solid) and optionally f'(x) (dashed) for each activation; hovering shows both numbers."""
    data = []
    hover = "f(x)=%{customdata[0]:.4f}, f′(x)=%{customdata[1]:.4f}"
    for key, (f, df) in values.items():
        color = ACT_COLORS.get(key, "#333333")
        both = np.stack([f, df], axis=-1)  # (points, 2): hover shows f and f' whichever line is hovered
        data.append(dict(type="scatter", x=x, y=f, mode="lines", name=names[key], legendgroup=key,
                         line=dict(color=color, width=2.5), customdata=both, hovertemplate=hover))
        if show_derivative:
            data.append(dict(type="scatter", x=x, y=df, mode="lines", name=f"{names[key]}′", legendgroup=key,
                             line=dict(color=color, width=1.8, dash="dash"), hoverinfo="skip"))
    # Clip the y-axis to [-3, 3] at most: ReLU-like lines would otherwise squash every derivative to a
    # flat stripe (double-click the chart to see everything).
    shown = np.concatenate([np.asarray(v) for f, df in values.values() for v in ((f, df) if show_derivative else (f,))])
    y_range = [max(float(shown.min()), -3.0) - 0.15, min(float(shown.max()), 3.0) + 0.15]
    layout = dict(hovermode="x unified", xaxis=dict(title=dict(text="x"), hoverformat=".3f", **AXIS_LINE),
                  yaxis=dict(title=dict(text="f(x)" + (f" / {deriv_label}" if show_derivative else "")),
                             range=y_range, **AXIS_LINE))
    return _figure(data, layout, height)


def activation_at_point(x: np.ndarray, f: np.ndarray, z: float, a: float, slope: float, name: str,
                        height: int = 260) -> go.Figure:
    """One activation curve with the neuron's operating point (z, f(z)) and its tangent (slope f'(z))."""
    half = (x[-1] - x[0]) / 8
    data = [dict(type="scatter", x=x, y=f, mode="lines", name=name, line=dict(color="#0072B2", width=2.5)),
            dict(type="scatter", x=[z - half, z + half], y=[a - slope * half, a + slope * half], mode="lines",
                 name="f′(z)", line=dict(color="#D55E00", dash="dot")),
            dict(type="scatter", x=[z], y=[a], mode="markers+text", text=[f"({z:.3f}, {a:.3f})"],
                 textposition="top left", marker=dict(size=12, color="#D55E00"))]
    layout = dict(showlegend=False, xaxis=dict(title=dict(text="z"), **AXIS_LINE),
                  yaxis=dict(title=dict(text="a = f(z)"), **AXIS_LINE))
    return _figure(data, layout, height)


def softmax_bars(labels: list[str], probs: np.ndarray, probs_t1: np.ndarray, current_label: str,
                 t1_label: str, height: int = 340) -> go.Figure:
    """Probabilities at the chosen temperature (bars) against T = 1 (orange ticks, left out at T = 1)."""
    data = [dict(type="bar", x=labels, y=probs, name=current_label, marker=dict(color="#0072B2"),
                 text=[f"{p:.3f}" for p in probs], textposition="outside",
                 hovertemplate="%{x}: p=%{y:.4f}<extra></extra>"),
            dict(type="scatter", x=labels, y=probs_t1, mode="markers", name=t1_label,
                 marker=dict(symbol="line-ew-open", size=28, line=dict(width=3, color="#E69F00")),
                 hovertemplate="%{x}: p=%{y:.4f} (T=1)<extra></extra>")]
    if np.allclose(probs, probs_t1):  # at T = 1 the ticks would sit on the bars and repeat the legend
        data = data[:1]
    return _figure(data, dict(yaxis=dict(range=[0, 1.12], title=dict(text="p")), bargap=0.35), height)


def _line(x: list[float], y: list[float], color: str, width: float = 2, dash: str = "solid") -> dict:
    return dict(type="scatter", x=x, y=y, mode="lines", line=dict(color=color, width=width, dash=dash),
                hoverinfo="skip", showlegend=False)


def _note(x: float, y: float, text: str, size: int = 13, color: str = "#222", **extra) -> dict:
    return dict(x=x, y=y, text=text, showarrow=False, font=dict(size=size, color=color), **extra)


def neuron_diagram(inputs: tuple[float, ...], weights: tuple[float, ...], bias: float, z: float, a: float,
                   act_name: str, height: int = 320) -> go.Figure:
    """Inputs → weighted edges → Σ node (z) → activation node (a), every number written on the drawing."""
    n = len(inputs)
    ys = np.linspace(1, -1, n).tolist() if n > 1 else [0.0]
    data, notes = [], []
    for i, (xi, wi, yi) in enumerate(zip(inputs, weights, ys)):
        color = "#0072B2" if wi >= 0 else "#D55E00"
        data.append(_line([0, 2], [yi, 0], color, width=1 + 5 * min(1.0, abs(wi) / 2)))  # thicker = bigger |w|
        notes.append(_note(1.0, yi / 2 + 0.13, f"w{i + 1}={wi:.2f}", color=color, bgcolor="rgba(255,255,255,0.85)"))
        notes.append(_note(-0.3, yi, f"x{i + 1}={xi:.2f}", size=14, xanchor="right"))
    data += [_line([2, 2], [-1.1, 0], "#777", dash="dot"),  # the bias enters the sum from below
             _line([2, 4], [0, 0], "#555"), _line([4, 5.4], [0, 0], "#555"),
             dict(type="scatter", x=[0] * n, y=ys, mode="markers", hoverinfo="skip", showlegend=False,
                  marker=dict(size=26, color="#EEEEEE", line=dict(color="#555", width=2))),
             dict(type="scatter", x=[2, 4], y=[0, 0], mode="markers+text", text=["Σ", "f"], textfont=dict(size=20),
                  hoverinfo="skip", showlegend=False,
                  marker=dict(size=48, color=["#FFF3D6", "#DDEEFF"], line=dict(color="#555", width=2)))]
    notes += [_note(2, -1.22, f"b={bias:.2f}"), _note(3, 0.22, f"z={z:.3f}", size=14),
              _note(4, -0.42, act_name, size=12), _note(5.45, 0, f"a={a:.4f}", size=16, color="#009E73", xanchor="left")]
    layout = dict(annotations=notes, xaxis=dict(visible=False, range=[-1.3, 6.6]),
                  yaxis=dict(visible=False, range=[-1.4, 1.35]))
    return _figure(data, layout, height)


def decision_boundary(points: np.ndarray, labels: np.ndarray, grid: np.ndarray, surface: np.ndarray,
                      w: np.ndarray, b: float, class_names: list[str], height: int = 420) -> go.Figure:
    """Toy points, the neuron's output as a background, and its line w1·x1 + w2·x2 + b = 0."""
    data = [dict(type="heatmap", x=grid, y=grid, z=surface, zmin=0, zmax=1, showscale=False, opacity=0.45,
                 colorscale=[[0, CLASS_COLORS[0]], [0.5, "#FFFFFF"], [1, CLASS_COLORS[1]]],
                 hovertemplate="x1=%{x:.2f}<br>x2=%{y:.2f}<br>a=%{z:.3f}<extra></extra>")]
    for c, name in enumerate(class_names):
        mask = labels == c
        data.append(dict(type="scatter", x=points[mask, 0], y=points[mask, 1], mode="markers", name=name,
                         marker=dict(color=CLASS_COLORS[c], size=7, line=dict(color="white", width=1))))
    lo, hi = float(grid[0]), float(grid[-1])
    if abs(w[1]) > 1e-12:  # x2 = -(w1 x1 + b) / w2
        data.append(_line([lo, hi], [-(w[0] * lo + b) / w[1], -(w[0] * hi + b) / w[1]], "black", width=3))
    elif abs(w[0]) > 1e-12:  # vertical line x1 = -b / w1
        data.append(_line([-b / w[0]] * 2, [lo, hi], "black", width=3))
    layout = dict(xaxis=dict(range=[lo, hi], title=dict(text="x1"), constrain="domain"),
                  yaxis=dict(range=[lo, hi], title=dict(text="x2"), scaleanchor="x", scaleratio=1))
    return _figure(data, layout, height)


def training_history(epochs: list[int], loss: list[float], accuracy: list[float], loss_label: str,
                     acc_label: str, epoch_label: str, height: int = 260) -> go.Figure:
    """Loss (left axis) and accuracy (right axis) per epoch of the single-neuron training."""
    data = [dict(type="scatter", x=epochs, y=loss, mode="lines", name=loss_label, line=dict(color="#D55E00")),
            dict(type="scatter", x=epochs, y=accuracy, mode="lines", name=acc_label, yaxis="y2",
                 line=dict(color="#009E73"))]
    dtick = max(1, round(len(epochs) / 8))  # whole epochs only
    layout = dict(xaxis=dict(title=dict(text=epoch_label), tick0=0, dtick=dtick),
                  yaxis=dict(title=dict(text=loss_label), rangemode="tozero"),
                  yaxis2=dict(title=dict(text=acc_label), range=[0, 1.05], tickformat=".0%", dtick=0.25,
                              overlaying="y", side="right", showgrid=False))
    return _figure(data, layout, height)


def gradient_norms(grad_norms: np.ndarray, act_std: np.ndarray, grad_label: str, std_label: str,
                   layer_label: str, zero_label: str, height: int = 520) -> go.Figure:
    """Top: ‖∂L/∂W‖ per Linear layer (log scale). Bottom: std of each hidden layer's output (log scale).

    Exact zeros cannot sit on a log axis; they are drawn as crosses on the floor of the axis.
    """
    data, notes = [], []
    for row, values, color in ((1, grad_norms, "#0072B2"), (2, act_std, "#009E73")):
        axis = "y" if row == 1 else "y2"
        values = np.asarray(values, dtype=float)
        xs = np.arange(1, len(values) + 1)
        ok = np.isfinite(values) & (values > 0)
        data.append(dict(type="scatter", x=xs, y=np.where(ok, values, np.nan), mode="lines+markers", yaxis=axis,
                         line=dict(color=color), showlegend=False,
                         hovertemplate=f"{layer_label} %{{x}}: %{{y:.3e}}<extra></extra>"))
        zero = values == 0
        if zero.any():
            floor = values[ok].min() / 10 if ok.any() else 1e-12
            data.append(dict(type="scatter", x=xs[zero], y=np.full(int(zero.sum()), floor), mode="markers",
                             yaxis=axis, name=zero_label, showlegend=row == 1,
                             marker=dict(symbol="x", size=10, color="#D55E00"),
                             hovertemplate=f"{layer_label} %{{x}}: 0<extra></extra>"))
    top, bottom = [0.55, 1.0], [0.0, 0.39]
    notes = [dict(text=f"<b>{std_label}</b>", x=0, y=0.43, xref="paper", yref="paper", xanchor="left",
                  yanchor="bottom", showarrow=False)]
    layout = dict(annotations=notes, xaxis=dict(title=dict(text=layer_label), anchor="y2"),
                  yaxis=dict(type="log", exponentformat="power", domain=top),
                  yaxis2=dict(type="log", exponentformat="power", domain=bottom))
    return _figure(data, layout, height, title=grad_label)


def activation_histograms(hist: np.ndarray, edges: np.ndarray, layer_label: str, value_label: str,
                          share_label: str, title: str, height: int = 520) -> go.Figure:
    """Per-layer histograms as a heatmap: one row per hidden layer, colour = share of outputs in the bin."""
    centres = (edges[:-1] + edges[1:]) / 2
    layers = np.arange(1, hist.shape[0] + 1)
    data = [dict(type="heatmap", x=centres, y=layers, z=np.sqrt(hist), customdata=hist, colorscale="Viridis",
                 colorbar=dict(title=dict(text=f"√{share_label}")),
                 hovertemplate=f"{layer_label} %{{y}}<br>{value_label} ≈ %{{x:.3g}}"
                               f"<br>{share_label} %{{customdata:.1%}}<extra></extra>")]
    layout = dict(xaxis=dict(title=dict(text=value_label)),
                  yaxis=dict(title=dict(text=layer_label), autorange="reversed"))
    return _figure(data, layout, height, title=title)
