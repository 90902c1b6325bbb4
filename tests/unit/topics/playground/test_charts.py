"""The playground's figures: labels in both languages, the boundary's confidence bands, the network diagram."""
import numpy as np
import pytest
import torch

from core.topics.playground.charts import (LABEL_KEYS, boundary_figure, chart_labels, confidence_bands, loss_figure,
                                           network_figure)
from core.i18n import t
from core.topics.playground.network import PlaygroundConfig, feature_labels, make_data, metric_rows, new_run, snapshot


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_chart_labels_are_translated(lang):
    labels = chart_labels(lang)
    assert {k: labels[k] for k in LABEL_KEYS} == {k: t(f"pg_chart_{k}", lang) for k in LABEL_KEYS}
    assert labels["x1"] == "x₁" and labels["x2"] == "x₂"


def test_confidence_bands_rescale_the_top_probability():
    probs = np.array([[[0.5, 0.5], [0.1, 0.9]], [[1.0, 0.0], [0.25, 0.75]]])  # (2, 2, K=2)
    z, top, p = confidence_bands(probs, discretize=False)
    assert top.tolist() == [[0, 1], [0, 1]] and p.tolist() == [[0.5, 0.9], [1.0, 0.75]]
    assert z == pytest.approx(top + 0.999 * np.array([[0.0, 0.8], [1.0, 0.5]]))  # (p - 1/2) / (1 - 1/2)
    z, _, _ = confidence_bands(probs, discretize=True)
    assert z == pytest.approx(top + 0.999)


@pytest.fixture(scope="module")
def trained():
    config = PlaygroundConfig(dataset="blobs", classes=3, hidden=(5, 3), activations=("relu", "tanh"), n_points=120)
    data = make_data(config)
    run = new_run(config, data)
    for _ in range(3):  # three slices of 10 steps: the curves get a point after each
        run.step(10)
        run.advance()
    return run, data, snapshot(run.model, config.features, data.extent, data.task, resolution=20)


def test_boundary_shows_every_class_and_the_test_points_only_when_asked(trained):
    _, data, snap = trained
    labels = chart_labels("en")
    with_test = boundary_figure(snap, data, True, False, labels)
    without = boundary_figure(snap, data, False, False, labels)
    points = lambda fig: sum(len(tr.x) for tr in fig.data[1:])  # noqa: E731 — data[0] is the heatmap
    assert points(with_test) == len(data.x_train) + len(data.x_test)
    assert points(without) == len(data.x_train)
    assert np.asarray(with_test.data[0].z).max() <= 3 and with_test.layout.yaxis.scaleanchor == "x"


def test_network_diagram_hover_gives_every_weight_and_bias(trained):
    run, _, snap = trained
    fig = network_figure(snap, feature_labels(run.setup.features), chart_labels("en"))
    weights = next(tr for tr in fig.data if tr.name == "weights")
    shown = sorted(float(c[0]) for c in weights.customdata)
    actual = sorted(torch.cat([m.weight.detach().ravel() for m in run.model if isinstance(m, torch.nn.Linear)]))
    assert shown == pytest.approx([float(w) for w in actual], abs=6e-5)  # printed with 4 decimals
    nodes = next(tr for tr in fig.data if tr.name == "nodes")
    assert len(nodes.x) == 2 + 5 + 3 + 3  # inputs, two hidden layers, one output per class
    assert f"bias = {float(run.model.fc1.bias[0].detach()):+.3f}" in nodes.text[2]
    titles = [a.text for a in fig.layout.annotations]
    assert "Layer 1<br>(5)" in titles and "x₁" in titles


def test_loss_curve_and_metric_rows_follow_the_history(trained):
    run, _, _ = trained
    history = run.history
    assert history.eval_step == [0, 10, 20, 30]  # the start, then one evaluation per slice
    fig = loss_figure(history, chart_labels("en"))
    train, test = fig.data
    assert list(train.y) == history.train_loss and list(test.y) == history.val_loss  # val = the test set
    assert list(train.x) == list(test.x) == pytest.approx([s / run.steps_per_epoch for s in history.eval_step])
    rows = metric_rows(history)
    assert [k for k, _ in rows] == ["pg_train_loss", "pg_test_loss", "pg_train_acc", "pg_test_acc"]
    assert rows[0][1] == f"{history.train_loss[-1]:.4f}" and rows[1][1] == f"{history.val_loss[-1]:.4f}"
    assert rows[3][1] == f"{history.val_acc[-1]:.1%}" and rows[3][1].endswith("%")
