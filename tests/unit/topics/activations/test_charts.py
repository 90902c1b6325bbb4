"""The activations page's figures are valid Plotly (they are built unvalidated for speed) and show the right thing."""
import numpy as np
import plotly.graph_objects as go
import pytest

from core.topics.activations.functions import curves
from core.topics.activations import charts
from core.topics.activations.depth import DepthConfig, run
from core.topics.activations.neuron import NeuronTrainConfig, make_trainer, output_surface


def validated(fig: go.Figure) -> go.Figure:
    """Check `fig` by rebuilding it with plotly's full validation (raises ValueError on any invalid
    property); return the original, whose arrays are still plain numpy."""
    go.Figure(fig.to_dict())
    return fig


def test_curve_figure_hover_carries_f_and_derivative():
    x, values = curves(["tanh", "relu"], -4, 4, points=81)
    values = {k: (f.numpy(), df.numpy()) for k, (f, df) in values.items()}
    fig = validated(charts.activation_curves(x.numpy(), values, {"tanh": "Tanh", "relu": "ReLU"}, True, "f′"))
    assert [t.name for t in fig.data] == ["Tanh", "Tanh′", "ReLU", "ReLU′"]
    tanh = fig.data[0]
    np.testing.assert_allclose(np.asarray(tanh.customdata)[:, 1], 1 - np.tanh(x.numpy()) ** 2)
    assert "f′(x)" in tanh.hovertemplate
    assert len(validated(charts.activation_curves(x.numpy(), values, {"tanh": "T", "relu": "R"}, False, "")).data) == 2


def test_small_figures_are_valid():
    validated(charts.softmax_bars(["a", "b"], np.array([0.3, 0.7]), np.array([0.5, 0.5]), "T = 2", "T = 1"))
    validated(charts.neuron_diagram((0.5, 0.3), (0.2, -0.4), 0.1, 0.08, 0.52, "Sigmoid"))
    validated(charts.activation_at_point(np.linspace(-3, 3, 7), np.tanh(np.linspace(-3, 3, 7)), 0.2, 0.197, 0.96, "Tanh"))
    validated(charts.training_history([1, 2, 3], [0.7, 0.5, 0.4], [0.6, 0.8, 0.9], "loss", "acc", "epoch"))


@pytest.mark.parametrize("method", ["perceptron", "sigmoid_gd"])
def test_decision_line_is_where_the_neuron_switches(method):
    trainer = make_trainer(NeuronTrainConfig(method=method))
    trainer.advance(3)
    grid, surface = output_surface(trainer)
    fig = validated(charts.decision_boundary(trainer.x.numpy(), trainer.y.numpy(), grid.numpy(), surface.numpy(),
                                             trainer.w.numpy(), float(trainer.b), ["0", "1"]))
    line = fig.data[-1]
    w, b = trainer.w.numpy(), float(trainer.b)
    np.testing.assert_allclose(w[0] * np.asarray(line.x) + w[1] * np.asarray(line.y) + b, 0, atol=1e-5)


def test_depth_figures_are_valid_and_mark_exact_zeros():
    result = run(DepthConfig(depth=4, width=8, activation="relu", init="zeros"))
    fig = validated(charts.gradient_norms(result.grad_norms, result.act_std, "g", "s", "layer", "exactly 0"))
    crosses = [t for t in fig.data if t.name == "exactly 0"]
    assert crosses and len(crosses[0].x) == 5  # every layer's gradient is exactly 0
    validated(charts.activation_histograms(result.hist, result.bin_edges, "layer", "value", "share", "histograms"))


def test_softmax_bars_draw_the_t1_ticks_only_when_they_differ():
    two = charts.softmax_bars(["a", "b"], np.array([0.3, 0.7]), np.array([0.4, 0.6]), "T = 2", "T = 1")
    one = charts.softmax_bars(["a", "b"], np.array([0.4, 0.6]), np.array([0.4, 0.6]), "T = 1", "T = 1")
    assert len(two.data) == 2 and len(one.data) == 1
