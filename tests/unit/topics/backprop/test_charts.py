"""core/topics/backprop/charts.py: the graph highlights the current step and shows only numbers computed so far."""
import numpy as np

from core.topics import backprop as bp
from core.topics.backprop import charts


def _units_trace(fig):
    return next(tr for tr in fig.data if tr.mode == "markers+text" and len(tr.x) > 1)


def test_graph_highlights_the_current_unit_and_edge():
    tr = bp.trace(bp.BackpropConfig(hidden=(3,)))
    first = charts.graph_figure(tr, 0)  # z of unit n1.1
    units = _units_trace(first)
    assert units.marker.line.color[2] == charts.KIND_COLORS["forward"]  # x1, x2, then n1.1
    assert all(c == "#555" for k, c in enumerate(units.marker.line.color) if k != 2)
    w_step = next(k for k, s in enumerate(tr.steps) if s.what == "grad_w")
    fig = charts.graph_figure(tr, w_step)
    thick = [d for d in fig.data if d.mode == "lines" and d.line.width == 7]
    assert len(thick) == 1 and thick[0].line.color == charts.KIND_COLORS["backward"]


def test_graph_reveals_numbers_step_by_step():
    tr = bp.trace(bp.BackpropConfig())
    def notes(i):
        return " ".join(a.text for a in charts.graph_figure(tr, i).layout.annotations)
    assert "δ=" not in notes(0) and "L=" not in notes(0)
    loss_step = next(k for k, s in enumerate(tr.steps) if s.kind == "loss")
    assert "L=" in notes(loss_step) and "δ=" not in notes(loss_step)
    assert "δ=" in notes(len(tr.steps) - 1) and "→" in notes(len(tr.steps) - 1)


def test_boundary_figure_has_one_frame_per_snapshot():
    config = bp.BackpropConfig()
    result = bp.train(config, 100)
    grids = [bp.decision_grid(p, config.activation, resolution=11) for p in result.snapshots]
    fig = charts.boundary_figure(grids[0][0], [g for _, g in grids], result.snapshot_steps, bp.XOR_X, bp.XOR_Y, "step")
    assert len(fig.frames) == len(result.snapshot_steps) and result.snapshot_steps[-1] == 100
    np.testing.assert_allclose(fig.data[0].z, grids[-1][1])
