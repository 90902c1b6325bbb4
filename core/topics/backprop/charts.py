"""Backpropagation charts: the computational graph at one step, the loss curve, the decision boundary
as it evolves, and loss functions with their gradients. Pure functions: data in → go.Figure out.
"""
import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.topics.backprop.trace import Step, Trace
from core.charts import CLASS_COLORS, style

# one colour per phase of the step, so the highlight says where we are
KIND_COLORS = {"forward": "#0072B2", "loss": "#CC79A7", "backward": "#D55E00", "update": "#009E73"}
GREY = "#9aa0a6"


def _short(values: tuple[float, ...]) -> str:
    """One value with 4 significant digits, or a batch as a compact row of 2-decimal numbers."""
    if len(values) == 1:
        return f"{values[0]:.4g}"
    return "[" + " ".join(f"{v:.2f}" for v in values) + "]"


def _positions(sizes: tuple[int, ...]) -> dict[str, tuple[float, float]]:
    """(x, y) of every unit: layer l at x = l, units centred vertically; the loss node after the output."""
    pos = {}
    for l, n in enumerate(sizes):
        for j in range(n):
            node = f"x{j + 1}" if l == 0 else f"n{l}.{j + 1}"
            pos[node] = (float(l), (n - 1) / 2 - j)
    pos["loss"] = (len(sizes) - 0.25, 0.0)
    return pos


def _revealed(steps: list[Step], index: int) -> dict[tuple[str, str], tuple[float, ...]]:
    """(node, what) → value for every step up to and including `index`."""
    return {(s.node, s.what): s.value for s in steps[:index + 1]}


def _context_edges(step: Step, sizes: tuple[int, ...]) -> set[str]:
    """Weights the current number is computed from: incoming ones for z, outgoing ones for a hidden δ."""
    if step.what not in ("z", "delta"):
        return set()
    l, j = (int(v) for v in step.node[1:].split("."))
    if step.what == "z":
        return {f"w{l}.{j}.{i + 1}" for i in range(sizes[l - 1])}
    if l == len(sizes) - 1:  # the output δ comes from ∂L/∂ŷ, not from weights
        return set()
    return {f"w{l + 1}.{k + 1}.{j}" for k in range(sizes[l + 1])}


def graph_figure(tr: Trace, index: int) -> go.Figure:
    """The network as a computational graph, annotated with every number revealed up to step `index`.

    Edges are weights (width ∝ |w|, dashed when negative); circles are units (z, a, δ, the
    bias and its gradient written beside them); the last node is the loss. The current step's
    element is drawn in its phase's colour, and the weights it is computed from are tinted.
    """
    sizes, steps = tr.config.sizes, tr.steps
    index = max(0, min(index, len(steps) - 1))
    step, known, pos = steps[index], _revealed(steps, index), _positions(sizes)
    colour = KIND_COLORS[step.kind]
    context = _context_edges(step, sizes)
    traces, notes = [], []  # built as plain dicts, validated once (add_trace per edge is ~100x slower)
    biggest = max(float(np.abs(W).max()) for W in tr.weights) or 1.0
    n_edges = sum(W.size for W in tr.weights)
    hover_x, hover_y, hover_text = [], [], []
    edge_groups: dict[tuple, tuple[list, list]] = {}  # (colour, width, emphasised) → one trace of many lines
    for l, W in enumerate(tr.weights, start=1):
        for j in range(W.shape[0]):
            for i in range(W.shape[1]):
                edge = f"w{l}.{j + 1}.{i + 1}"
                src = pos[f"x{i + 1}" if l == 1 else f"n{l - 1}.{i + 1}"]
                dst = pos[f"n{l}.{j + 1}"]
                current = step.node == edge
                emphasised = current or edge in context
                line_colour = colour if emphasised else GREY
                width = 7 if current else round(1 + 4 * abs(W[j, i]) / biggest)  # 1-5 px, a few buckets
                dash = "solid" if W[j, i] >= 0 else "dash"  # negative weights dashed
                xs, ys = edge_groups.setdefault((line_colour, width, dash, emphasised), ([], []))
                xs += [src[0], dst[0], None]
                ys += [src[1], dst[1], None]
                label = f"w={W[j, i]:.3g}"
                if (edge, "grad_w") in known:
                    label += f"<br>∂L/∂w={known[(edge, 'grad_w')][0]:.3g}"
                if (edge, "new_w") in known:
                    label += f"<br>→ {known[(edge, 'new_w')][0]:.3g}"
                f = 0.3 + 0.4 * (j / max(W.shape[0] - 1, 1))  # stagger labels so they do not overlap
                lx, ly = src[0] + f * (dst[0] - src[0]), src[1] + f * (dst[1] - src[1])
                hover_x.append(lx), hover_y.append(ly)
                hover_text.append(f"w<sup>({l})</sup><sub>{j + 1}{i + 1}</sub><br>{label}")
                if n_edges <= 12 or current or edge in context:
                    notes.append(dict(x=lx, y=ly, text=label, showarrow=False,
                                      font=dict(size=11, color=colour if current else "#333"),
                                      bgcolor="rgba(255,255,255,0.85)",
                                      bordercolor=colour if current else "rgba(0,0,0,0)"))
    # emphasised edges last, so they are drawn on top
    for (line_colour, width, dash, emphasised), (xs, ys) in sorted(edge_groups.items(), key=lambda kv: kv[0][3]):
        traces.append(dict(type="scatter", x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                           line=dict(color=line_colour, width=width, dash=dash), opacity=1.0 if emphasised else 0.6))
    traces.append(dict(type="scatter", x=hover_x, y=hover_y, mode="markers", marker=dict(size=14, opacity=0),
                             hovertext=hover_text, hoverinfo="text", showlegend=False))
    # units
    n_layers = len(sizes) - 1
    units = dict(x=[], y=[], text=[], size=[], line=[], width=[], hover=[])  # one trace for all units
    for node, (x, y) in pos.items():
        if node == "loss":
            continue
        lines = []
        if node.startswith("x"):
            name = f"x<sub>{node[1:]}</sub>"
            lines.append(_short(tuple(tr.x[:, int(node[1:]) - 1])))
        else:
            l, j = (int(v) for v in node[1:].split("."))
            name = "ŷ" if l == n_layers else f"a<sup>({l})</sup><sub>{j}</sub>"
            for what, label in (("z", "z"), ("a", "a"), ("delta", "δ")):
                if (node, what) in known:
                    line = f"{label}={_short(known[(node, what)])}"
                    lines.append(f"<b>{line}</b>" if step.node == node and step.what == what else line)
            bias = f"b{l}.{j}"
            b_line = f"b={tr.biases[l - 1][j - 1]:.3g}"
            if (bias, "grad_b") in known:
                b_line += f" ∂={known[(bias, 'grad_b')][0]:.3g}"
            if (bias, "new_b") in known:
                b_line += f" → {known[(bias, 'new_b')][0]:.3g}"
            lines.append(f"<b>{b_line}</b>" if step.node == bias else b_line)
        current = step.node == node or step.node == f"b{node[1:]}"
        for field, value in (("x", x), ("y", y), ("text", name), ("size", 52 if current else 44),
                             ("line", colour if current else "#555"), ("width", 6 if current else 2),
                             ("hover", "<br>".join(lines))):
            units[field].append(value)
        notes.append(dict(x=x, y=y - 0.22, yanchor="top", text="<br>".join(lines), showarrow=False,
                           font=dict(size=11, color=colour if current else "#333"), align="center"))
    traces.append(dict(type="scatter", x=units["x"], y=units["y"], mode="markers+text", text=units["text"],
                       textfont=dict(size=16, color="black"), hovertext=units["hover"], hoverinfo="text",
                       showlegend=False,
                       marker=dict(size=units["size"], color="white",
                                   line=dict(color=units["line"], width=units["width"]))))
    # loss node, linked to ŷ
    lx, ly = pos["loss"]
    out = pos[f"n{n_layers}.1"]
    traces.append(dict(type="scatter", x=[out[0], lx], y=[out[1], ly], mode="lines",
                       line=dict(color=GREY, dash="dot"), hoverinfo="skip", showlegend=False))
    current = step.node == "loss"
    loss_lines = [f"y={_short(tuple(tr.y))}"]
    for what, label in (("loss", "L"), ("dyhat", "∂L/∂ŷ")):
        if ("loss", what) in known:
            line = f"{label}={_short(known[('loss', what)])}"
            loss_lines.append(f"<b>{line}</b>" if step.node == "loss" and step.what == what else line)
    traces.append(dict(type="scatter", x=[lx], y=[ly], mode="markers+text", text=["L"],
                       textfont=dict(size=16, color="black"),
                       marker=dict(size=52 if current else 44, symbol="square", color="white",
                                   line=dict(color=colour if current else "#555", width=6 if current else 2)),
                       hovertext="<br>".join(loss_lines), hoverinfo="text", showlegend=False))
    notes.append(dict(x=lx, y=ly - 0.22, yanchor="top", text="<br>".join(loss_lines), showarrow=False,
                       font=dict(size=11, color=colour if current else "#333")))
    top = (max(sizes) - 1) / 2  # highest unit; the notes hang below each unit
    # the shared style() applies the "plotly_white" template, whose deep copy alone costs ~50 ms: this
    # figure is redrawn on every Next, has no axes to style, so it sets the few layout fields itself
    layout = dict(annotations=notes, height=150 + 130 * max(sizes), margin=dict(l=10, r=10, t=10, b=10),
                  font=dict(size=14), plot_bgcolor="white", paper_bgcolor="white", hovermode="closest",
                  xaxis=dict(visible=False, range=[-0.45, len(sizes) + 0.1]),
                  yaxis=dict(visible=False, range=[-top - 0.8, top + 0.3]))
    return go.Figure(data=traces, layout=layout)


def loss_curve_figure(losses: np.ndarray, x_title: str, y_title: str, height: int = 300) -> go.Figure:
    """Mean loss per gradient-descent step (log scale: the interesting part is orders of magnitude)."""
    fig = go.Figure(go.Scatter(x=np.arange(len(losses)), y=losses, mode="lines", line=dict(color=CLASS_COLORS[0])))
    fig.update_xaxes(title=x_title)
    fig.update_yaxes(title=y_title, type="log", dtick=1, exponentformat="power")
    return style(fig, height=height)


def boundary_figure(axis: np.ndarray, grids: list[np.ndarray], steps: list[int], points: np.ndarray,
                    labels: np.ndarray, step_label: str, height: int = 420) -> go.Figure:
    """ŷ over the XOR square with its 0.5 contour, one animation frame per kept step (slider + play)."""
    colorscale = [[0, CLASS_COLORS[0]], [0.5, "#ffffff"], [1, CLASS_COLORS[1]]]

    def traces(grid):
        return [go.Heatmap(x=axis, y=axis, z=grid, zmin=0, zmax=1, colorscale=colorscale, opacity=0.75,
                           colorbar=dict(title="ŷ", len=0.8)),
                go.Contour(x=axis, y=axis, z=grid, contours=dict(start=0.5, end=0.5, coloring="none"),
                           line=dict(color="black", width=2), showscale=False, showlegend=False, hoverinfo="skip")]

    points_trace = go.Scatter(x=points[:, 0], y=points[:, 1], mode="markers", showlegend=False,
                              marker=dict(size=16, color=[CLASS_COLORS[int(c)] for c in labels],
                                          line=dict(color="black", width=2)), hoverinfo="skip")
    fig = go.Figure(data=[*traces(grids[-1]), points_trace],
                    frames=[go.Frame(data=traces(g), traces=[0, 1], name=str(s)) for g, s in zip(grids, steps)])
    fig.update_layout(
        sliders=[dict(active=len(steps) - 1, currentvalue=dict(prefix=f"{step_label}: "), pad=dict(t=30),
                      steps=[dict(label=str(s), method="animate",
                                  args=[[str(s)], dict(mode="immediate", frame=dict(duration=0, redraw=True))])
                             for s in steps])],
        updatemenus=[dict(type="buttons", showactive=False, x=0, y=-0.08, xanchor="right", yanchor="top",
                          buttons=[dict(label="▶", method="animate",
                                        args=[None, dict(frame=dict(duration=300, redraw=True), fromcurrent=False)])])])
    fig.update_xaxes(range=[axis[0], axis[-1]], title="x₁", constrain="domain")
    fig.update_yaxes(range=[axis[0], axis[-1]], title="x₂", scaleanchor="x")
    return style(fig, height=height)


def loss_functions_figure(p: np.ndarray, curves: dict[str, dict[str, np.ndarray]], names: dict[str, str],
                          wrt: str, titles: tuple[str, str], x_title: str, height: int = 340) -> go.Figure:
    """Left: each loss as a function of ŷ; right: its gradient, ∂/∂ŷ or ∂/∂z (`wrt` = "d_yhat" | "d_z")."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=titles, horizontal_spacing=0.1)
    for k, (key, curve) in enumerate(curves.items()):
        colour = CLASS_COLORS[k]
        fig.add_trace(go.Scatter(x=p, y=curve["value"], name=names[key], line=dict(color=colour)), 1, 1)
        fig.add_trace(go.Scatter(x=p, y=np.clip(curve[wrt], -20, 20), name=names[key], showlegend=False,
                                 line=dict(color=colour)), 1, 2)
    fig.update_xaxes(title=x_title)
    fig.update_yaxes(range=[0, 5], row=1, col=1)
    style(fig, height=height)
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.22, x=0), margin=dict(t=40, b=10))
    return fig
