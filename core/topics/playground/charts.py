"""Charts of the 2-D playground: decision-boundary heatmap, network diagram of neuron heatmaps, losses.

Pure functions: a core.topics.playground.network.Snapshot (and data) in → a plotly Figure out.

These figures are redrawn every animation frame, so each is built in ONE go.Figure(...) call with a
light layout: core.charts.style's template copy and incremental update_* calls cost more than the
whole training slice. The look (margins, font, white background, grid) matches style().
"""
import base64
import io

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from core import i18n
from core.charts import CLASS_COLORS

NEGATIVE, POSITIVE = "#E69F00", "#0072B2"  # TF Playground's orange (−) and blue (+)
TINT = 0.7                                 # the strongest background tint, so points stay visible
GRID = "#EBF0F8"                           # plotly_white's grid colour
X_GAP, TILE = 1.7, 0.8                     # diagram units: columns 1.7 apart, rows 1 apart, tiles 0.8 wide

LABEL_KEYS = ("train", "test", "class", "value", "input", "layer", "output", "neuron", "weight", "bias", "epoch",
              "loss")  # each is the i18n key pg_chart_<name>


def chart_labels(lang: str) -> dict[str, str]:
    """The words the three figures print (legend, axes, hover), in `lang`; the axes keep x₁, x₂."""
    return {k: i18n.t(f"pg_chart_{k}", lang) for k in LABEL_KEYS} | {"x1": "x₁", "x2": "x₂"}


def _layout(height: int, **extra) -> dict:
    return dict(height=height, margin=dict(l=10, r=10, t=10, b=10), font=dict(size=14), template="none",
                paper_bgcolor="white", plot_bgcolor="white", hovermode="closest",
                legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0), **extra)


def _axis(**extra) -> dict:
    return dict(gridcolor=GRID, zerolinecolor=GRID, linecolor=GRID, automargin=True, **extra)


def _rgb(hex_color: str) -> np.ndarray:
    return np.array([int(hex_color[i:i + 2], 16) for i in (1, 3, 5)], dtype=np.float32)


def _mix(color: str, amount: float) -> str:
    """`color` blended with white: amount 0 = white, 1 = the colour."""
    r, g, b = 255 + (_rgb(color) - 255) * amount
    return f"rgb({r:.0f},{g:.0f},{b:.0f})"


def class_colorscale(classes: int) -> list:
    """Bands [c, c+1) per class on a 0..classes scale, each from white to the class colour."""
    scale = []
    for c in range(classes):
        scale += [[c / classes, _mix(CLASS_COLORS[c], 0.03)], [(c + 0.999) / classes, _mix(CLASS_COLORS[c], TINT)]]
    scale[-1][0] = 1.0
    return scale


def diverging_colorscale() -> list:
    """Orange (−1) → white (0) → blue (+1), tinted like the class bands."""
    return [[0, _mix(NEGATIVE, TINT)], [0.5, "rgb(255,255,255)"], [1, _mix(POSITIVE, TINT)]]


def confidence_bands(probs: np.ndarray, discretize: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(R, R, K) probabilities → z = class + confidence in [0, 1) for the banded scale, class, max prob.

    Confidence rescales the top probability from 1/K (a guess) to 1 (certain); discretize makes it 1.
    """
    k = probs.shape[-1]
    top = probs.argmax(-1)
    p = probs.max(-1)
    confidence = np.ones_like(p) if discretize else np.clip((p - 1 / k) / (1 - 1 / k), 0, 1)
    return top + 0.999 * confidence, top, p


def boundary_figure(snap, data, show_test: bool, discretize: bool, labels: dict) -> go.Figure:
    """The output over the plane as a heatmap with the train (and test) points on top.

    `labels` holds translated strings: "train", "test", "class", "value", "x1", "x2".
    """
    axis = snap.axis
    if data.task == "classify":
        z, top, p = confidence_bands(snap.output, discretize)
        traces = [go.Heatmap(
            x=axis, y=axis, z=z, zmin=0, zmax=data.classes, colorscale=class_colorscale(data.classes),
            showscale=False, customdata=np.stack([top, p], -1),
            hovertemplate=f"x₁=%{{x:.2f}} x₂=%{{y:.2f}}<br>{labels['class']} %{{customdata[0]}} · "
                          f"p=%{{customdata[1]:.2f}}<extra></extra>")]
    else:
        value = np.sign(snap.output) if discretize else snap.output
        traces = [go.Heatmap(
            x=axis, y=axis, z=value, zmin=-1, zmax=1, colorscale=diverging_colorscale(), showscale=True,
            colorbar=dict(thickness=10, len=0.8),
            hovertemplate=f"x₁=%{{x:.2f}} x₂=%{{y:.2f}}<br>{labels['value']} %{{z:.3f}}<extra></extra>")]
    sets = [(data.x_train, data.y_train, labels["train"], "white", 1.2)]
    if show_test:
        sets.append((data.x_test, data.y_test, labels["test"], "black", 1.6))
    # Numeric arrays and one trace per (set, class): building per-point colour/text lists cost more
    # than the rest of a frame.
    for x, y, name, outline, width in sets:
        x, y = x.numpy(), y.numpy()
        hover = "x₁=%{x:.2f} x₂=%{y:.2f}<br>"
        if data.task == "classify":
            for c in range(data.classes):
                pick = y == c
                traces.append(go.Scatter(
                    x=x[pick, 0], y=x[pick, 1], mode="markers", name=name, showlegend=False,
                    marker=dict(size=7, color=CLASS_COLORS[c], line=dict(color=outline, width=width)),
                    hovertemplate=hover + f"{labels['class']} {c}<extra>{name}</extra>"))
        else:
            traces.append(go.Scatter(
                x=x[:, 0], y=x[:, 1], mode="markers", name=name, showlegend=False,
                marker=dict(size=7, color=y, cmin=-1, cmax=1, line=dict(color=outline, width=width),
                            colorscale=[[0, NEGATIVE], [0.5, "#dddddd"], [1, POSITIVE]]),
                hovertemplate=hover + f"{labels['value']} %{{marker.color:.3f}}<extra>{name}</extra>"))
    e = data.extent
    return go.Figure(traces, _layout(
        380, uirevision="boundary",  # keeps a zoom across animation frames
        xaxis=_axis(range=[-e, e], title=labels["x1"], constrain="domain"),
        # A square plot in a narrow column is shorter than the figure: keep it at the top, under its title.
        yaxis=_axis(range=[-e, e], title=labels["x2"], scaleanchor="x", scaleratio=1, constrain="domain",
                    constraintoward="top")))


def diverging_rgb(values: np.ndarray) -> np.ndarray:
    """Values in [-1, 1] → uint8 RGB, orange (−) → white → blue (+)."""
    v = np.clip(values, -1, 1)[..., None]
    white = np.full(3, 255, np.float32)
    rgb = np.where(v >= 0, white + (_rgb(POSITIVE) - white) * v, white + (_rgb(NEGATIVE) - white) * -v)
    return rgb.astype(np.uint8)


def png_uri(pixels: np.ndarray) -> str:
    """A uint8 (H, W, 3 or 4) array as a data-URI PNG."""
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _column_y(n: int) -> np.ndarray:
    return (n - 1) / 2 - np.arange(n)  # top to bottom, centred on 0


def network_figure(snap, feature_labels: list[str], labels: dict) -> go.Figure:
    """Every node as a small heatmap of what it computes over the plane; links sized/coloured by weight.

    Columns: input features, each hidden layer, the outputs. All node tiles are painted into ONE
    transparent PNG (one layout image instead of one per node); each tile is scaled by its own
    largest |value|. `labels` holds "input", "layer", "output", "neuron", "weight", "bias" (translated).
    """
    columns = [snap.features] + snap.hidden + [snap.logits]  # each (R, R, width)
    names = ([labels["input"]] + [f"{labels['layer']} {i}" for i in range(1, len(snap.hidden) + 1)]
             + [labels["output"]])
    widths = [c.shape[-1] for c in columns]
    ys = [_column_y(w) for w in widths]
    top = max(widths) / 2
    x_lo, x_hi, y_lo, y_hi = -1.3, X_GAP * (len(columns) - 1) + 0.6, -top - 0.1, top + 1.2  # room for 2-line titles
    stride = 2 if snap.axis.shape[0] >= 40 else 1  # tiles are ~40 px on screen: half the grid is plenty
    res = len(snap.axis[::stride])
    ppu = res / TILE  # canvas pixels per diagram unit: one (strided) grid cell = one pixel
    canvas = np.zeros((round((y_hi - y_lo) * ppu), round((x_hi - x_lo) * ppu), 4), np.uint8)  # (H, W, RGBA)
    node_x, node_y, node_text = [], [], []
    for ci, (col, y) in enumerate(zip(columns, ys)):
        for j in range(col.shape[-1]):
            values = col[::stride, ::stride, j]
            tile = diverging_rgb(values / max(float(np.abs(values).max()), 1e-6))[::-1]  # image row 0 = top
            r0 = round((y_hi - (y[j] + TILE / 2)) * ppu)
            c0 = round((ci * X_GAP - TILE / 2 - x_lo) * ppu)
            canvas[r0 - 1:r0 + res + 1, c0 - 1:c0 + res + 1] = (170, 170, 170, 255)  # a thin grey frame
            canvas[r0:r0 + res, c0:c0 + res, :3] = tile
            node_x.append(ci * X_GAP)
            node_y.append(y[j])
            node_text.append(feature_labels[j] if ci == 0 else f"{names[ci]} · {labels['neuron']} {j + 1}"
                             f"<br>{labels['bias']} = {snap.biases[ci - 1][j]:+.3f}")
    # Links: one trace per (sign, width bucket), since a Plotly line has one width; NaN breaks the line
    # between segments. Hover sits on invisible markers at each link's middle.
    max_w = max((float(np.abs(w).max()) for w in snap.weights if w.size), default=1.0) or 1.0
    seg_x, seg_y, seg_w, src, dst = [], [], [], [], []
    for li, w in enumerate(snap.weights):  # w (out, in): column li → column li + 1
        out_idx, in_idx = np.meshgrid(np.arange(w.shape[0]), np.arange(w.shape[1]), indexing="ij")
        out_idx, in_idx = out_idx.ravel(), in_idx.ravel()
        n = len(out_idx)
        seg_x.append(np.tile([li * X_GAP + TILE / 2, (li + 1) * X_GAP - TILE / 2], (n, 1)))
        seg_y.append(np.stack([ys[li][in_idx], ys[li + 1][out_idx]], 1))
        seg_w.append(w.ravel())
        src.append(np.array(feature_labels)[in_idx] if li == 0
                   else np.char.add(f"{names[li]}·", (in_idx + 1).astype(str)))
        dst.append(np.char.add(f"{names[li + 1]}·", (out_idx + 1).astype(str)))
    seg_x, seg_y, seg_w, src, dst = (np.concatenate(a) for a in (seg_x, seg_y, seg_w, src, dst))
    level = np.minimum(4, (5 * np.abs(seg_w) / max_w).astype(int))
    gap = np.full((len(seg_w), 1), np.nan)
    traces = []
    for positive in (True, False):
        for lv in range(5):
            pick = (seg_w >= 0) == positive
            pick &= level == lv
            if pick.any():
                traces.append(go.Scatter(
                    x=np.hstack([seg_x[pick], gap[pick]]).ravel(), y=np.hstack([seg_y[pick], gap[pick]]).ravel(),
                    mode="lines", hoverinfo="skip", showlegend=False, opacity=0.3 + 0.15 * lv,
                    line=dict(color=POSITIVE if positive else NEGATIVE, width=0.4 + 0.9 * lv)))
    traces.append(go.Scatter(
        x=seg_x.mean(1), y=seg_y.mean(1), mode="markers", showlegend=False, name="weights",
        customdata=np.column_stack([np.char.mod("%+.4f", seg_w), src, dst]),
        hovertemplate=(f"{labels['weight']} %{{customdata[1]}} → %{{customdata[2]}} = %{{customdata[0]}}"
                       "<extra></extra>"),
        marker=dict(size=7, color="rgba(0,0,0,0)")))
    traces.append(go.Scatter(x=node_x, y=node_y, mode="markers", text=node_text, showlegend=False, name="nodes",
                             hovertemplate="%{text}<extra></extra>",
                             marker=dict(size=16, color="rgba(0,0,0,0)", symbol="square")))
    # A hidden layer's width goes on a second line: one-line titles overlap once there are many columns.
    notes = [dict(x=ci * X_GAP, y=top + 0.1, yanchor="bottom", showarrow=False, font=dict(size=12),
                  text=f"{name}<br>({widths[ci]})" if 0 < ci < len(names) - 1 else name)
             for ci, name in enumerate(names)]
    notes += [dict(x=-TILE / 2 - 0.05, y=ys[0][j], xanchor="right", showarrow=False, text=text, font=dict(size=12))
              for j, text in enumerate(feature_labels)]
    image = dict(source=png_uri(canvas), xref="x", yref="y", x=x_lo, y=y_hi, sizex=x_hi - x_lo, sizey=y_hi - y_lo,
                 xanchor="left", yanchor="top", sizing="stretch", layer="above")
    return go.Figure(traces, _layout(
        int(min(760, max(280, 40 * max(widths) + 70))), uirevision="network", images=[image], annotations=notes,
        xaxis=dict(visible=False, range=[x_lo, x_hi], constrain="domain"),
        yaxis=dict(visible=False, range=[y_lo, y_hi], scaleanchor="x", scaleratio=1, constrain="domain")))


def loss_figure(history, labels: dict) -> go.Figure:
    """Train and test loss (a core.live.History: val = the test set) against epochs
    (`labels`: "train", "test", "epoch", "loss")."""
    return go.Figure(
        [go.Scatter(x=history.eval_epoch, y=history.train_loss, name=labels["train"], mode="lines",
                    line=dict(color=CLASS_COLORS[0])),
         go.Scatter(x=history.eval_epoch, y=history.val_loss, name=labels["test"], mode="lines",
                    line=dict(color=CLASS_COLORS[5], dash="dash"))],
        _layout(220, uirevision="loss", xaxis=_axis(title=labels["epoch"]),
                yaxis=_axis(title=labels["loss"], rangemode="tozero")))
