"""Figures for the CNN lab: training curves (one run or two overlaid), confusion matrix, per-class
accuracy and prediction probabilities. Pure functions: numbers in, go.Figure out."""
import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.charts import CLASS_COLORS, style
from core.live import History


MAX_CURVE_POINTS = 400  # per-batch loss points drawn per run (the smoothed trend loses nothing visible)


def _smooth(values: list[float], window: int = 10) -> np.ndarray:
    """Trailing moving average, so the per-batch loss reads as a trend."""
    v = np.asarray(values, dtype=float)
    if len(v) < 2:
        return v
    c = np.cumsum(np.insert(v, 0, 0.0))
    w = np.minimum(np.arange(1, len(v) + 1), window)
    return (c[1:] - c[np.arange(1, len(v) + 1) - w]) / w


def _thin(x: list, y: np.ndarray, most: int = MAX_CURVE_POINTS) -> tuple[list, np.ndarray]:
    """At most about `most` evenly spaced points (the last one kept): the browser redraws the live
    curve every refresh, and on a loaded machine drawing thousands of points delayed its clicks."""
    if len(x) <= most:
        return list(x), y
    keep = np.unique(np.append(np.linspace(0, len(x) - 1, most).astype(int), len(x) - 1))
    return [x[i] for i in keep], y[keep]


def curves(runs: list[tuple[str, History | dict]], labels: dict[str, str], height: int = 360,
           every_trace: bool = False) -> go.Figure:
    """Loss (left) and accuracy (right) against step: train dashed, validation solid, a colour per run.

    A run's history may be a History or its `to_dict()`. `labels` holds the translated texts:
    loss, accuracy, step, train, val, batch. With `every_trace`, a series with no values yet still
    gets its (empty) trace, so LiveCurves can refill the same five traces every refresh.
    """
    fig = make_subplots(rows=1, cols=2, subplot_titles=(labels["loss"], labels["accuracy"]))
    for i, (name, h) in enumerate(runs):
        h = History.from_dict(h) if isinstance(h, dict) else h
        color = CLASS_COLORS[i % len(CLASS_COLORS)]
        tag = f"{name} · " if len(runs) > 1 else ""
        steps, smoothed = _thin(h.step, _smooth(h.loss))
        fig.add_scatter(x=steps, y=smoothed, mode="lines", line=dict(color=color, width=1, dash="dot"),
                        opacity=0.6, name=f"{tag}{labels['batch']}", row=1, col=1)
        for key, dash, part in (("train", "dash", labels["train"]), ("val", "solid", labels["val"])):
            loss, acc = getattr(h, f"{key}_loss"), getattr(h, f"{key}_acc")
            if not every_trace and not any(v is not None for v in loss):
                continue
            kw = dict(x=h.eval_step, mode="lines+markers", line=dict(color=color, dash=dash), marker=dict(size=5))
            fig.add_scatter(y=loss, name=f"{tag}{part}", legendgroup=f"{i}{key}", row=1, col=1, **kw)
            fig.add_scatter(y=acc, name=f"{tag}{part}", legendgroup=f"{i}{key}", showlegend=False, row=1, col=2, **kw)
    fig.update_xaxes(title_text=labels["step"])
    fig.update_yaxes(tickformat=".0%", row=1, col=2)
    style(fig, height=height)
    fig.update_layout(legend=dict(y=-0.22, yanchor="top"), margin=dict(t=40, b=70))  # subplot titles own the top
    return fig


class LiveCurves:
    """One live run's curves, built once and refilled in place on every refresh.

    Building the two-panel figure costs ~50 ms (~200 ms on a loaded 2-core machine) of Plotly's
    validation per refresh, in the script thread a press waits behind; refilling its five traces
    costs ~3 ms (python -m bench.live_curves). Keep one per session (it is not shared)."""

    def __init__(self, labels: dict[str, str], height: int = 360):
        self.labels = labels
        self.figure = curves([("", History())], labels, height, every_trace=True)

    def update(self, history: History) -> go.Figure:
        """The figure with `history`'s points (the same object, refilled)."""
        steps, smoothed = _thin(history.step, _smooth(history.loss))
        evals = np.asarray(history.eval_step, dtype=float)

        def values(series: list) -> np.ndarray:
            return np.array([np.nan if v is None else v for v in series], dtype=float)

        batch, train_loss, train_acc, val_loss, val_acc = self.figure.data
        with self.figure.batch_update():
            batch.x, batch.y = np.asarray(steps, dtype=float), smoothed
            for trace, series in ((train_loss, history.train_loss), (train_acc, history.train_acc),
                                  (val_loss, history.val_loss), (val_acc, history.val_acc)):
                trace.x, trace.y = evals, values(series)
        return self.figure


def confusion_matrix(cm: np.ndarray, classes: list[str], normalised: bool, labels: dict[str, str]) -> go.Figure:
    """Heatmap: rows true class, columns predicted; counts or row shares, each cell annotated."""
    text = [[f"{v:.0%}" if normalised else f"{int(v)}" for v in row] for row in cm]
    hover = f"{labels['true']}: %{{y}}<br>{labels['pred']}: %{{x}}<br>%{{text}}<extra></extra>"
    fig = go.Figure(go.Heatmap(z=cm, x=classes, y=classes, text=text, texttemplate="%{text}",
                               colorscale="Blues", showscale=False, hovertemplate=hover))
    fig.update_xaxes(title_text=labels["pred"], type="category")
    fig.update_yaxes(title_text=labels["true"], type="category", autorange="reversed")
    return style(fig, height=480)


def per_class_bars(acc: np.ndarray, classes: list[str], label: str) -> go.Figure:
    """Accuracy per class as bars (worst classes stand out)."""
    fig = go.Figure(go.Bar(x=classes, y=acc, marker_color=CLASS_COLORS[0], text=[f"{a:.1%}" for a in acc],
                           textposition="outside"))
    fig.update_yaxes(title_text=label, tickformat=".0%", range=[0, 1.1])
    fig.update_xaxes(type="category")
    return style(fig, height=300)


def probability_bars(probs: np.ndarray, classes: list[str], label: str) -> go.Figure:
    """The model's probability for each class; the winner highlighted."""
    colors = [CLASS_COLORS[1] if i == int(np.argmax(probs)) else CLASS_COLORS[0] for i in range(len(probs))]
    fig = go.Figure(go.Bar(x=classes, y=probs, marker_color=colors, text=[f"{p:.1%}" for p in probs],
                           textposition="outside"))
    fig.update_yaxes(title_text=label, tickformat=".0%", range=[0, 1.1])
    fig.update_xaxes(type="category")
    return style(fig, height=280)
