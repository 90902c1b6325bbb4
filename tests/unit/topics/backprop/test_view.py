"""core/topics/backprop/__init__.py's page helpers: link parameters, step moves, the proof and prediction tables, training view."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from core.topics import backprop as bp
from core import urlstate

configs = st.builds(
    bp.BackpropConfig,
    hidden=st.lists(st.integers(1, bp.MAX_UNITS), min_size=1, max_size=bp.MAX_LAYERS).map(tuple),
    activation=st.sampled_from(sorted(bp.ACTIVATIONS)),
    loss=st.sampled_from(sorted(bp.LOSSES)),
    lr=st.floats(0.0, bp.LR_MAX),
    init=st.sampled_from(sorted(bp.INITS)),
    seed=st.integers(0, bp.SEED_MAX),
    example=st.sampled_from(bp.EXAMPLE_CHOICES),
)


@settings(max_examples=50, deadline=None)
@given(configs)
def test_a_link_round_trips_every_valid_config(config):
    values, problems = urlstate.decode(urlstate.encode(bp.URL.values(config), bp.URL_SPEC), bp.URL_SPEC)
    assert problems == []
    shown = bp.widget_values(values)  # what the widgets then hold: the hidden sizes as text
    rebuilt = bp.BackpropConfig(bp.parse_hidden(shown["hidden"]), shown["act"], shown["loss"], shown["lr"],
                                shown["init"], shown["seed"], shown["example"])
    assert rebuilt == config


def test_an_empty_link_gives_the_default_config_and_bad_values_fall_back():
    values, problems = urlstate.decode({"act": "swish", "hidden": "9,9", "example": "4"}, bp.URL_SPEC)
    assert sorted(name for name, _ in problems) == ["act", "example", "hidden"]
    assert bp.widget_values(values)["hidden"] == "2"
    assert bp.URL.values(bp.BackpropConfig()) == bp.widget_values(values) | {"hidden": (2,)}


def test_hidden_text_is_read_back_by_parse_hidden():
    for sizes in [(2,), (4, 3), (1, 2, 4)]:
        assert bp.parse_hidden(bp.hidden_text(sizes)) == sizes
    assert bp.parse_hidden(bp.hidden_text(())) == bp.BackpropConfig().hidden


def test_example_fields_name_the_xor_points():
    for e in bp.EXAMPLE_CHOICES[1:]:
        f = bp.example_fields(e)
        assert (f["x1"], f["x2"]) == tuple(bp.XOR_X[e]) and f["y"] == (f["x1"] ^ f["x2"])


@pytest.mark.parametrize("step,delta,n,expected", [(1, -1, 29, 1), (1, 1, 29, 2), (29, 1, 29, 29),
                                                   (28, 1, 29, 29), (40, 0, 29, 29), (5, 0, 29, 5)])
def test_move_step_stays_within_the_steps(step, delta, n, expected):
    assert bp.move_step(step, delta, n) == expected


def test_every_gradient_step_finds_its_proof_and_no_other_step_does():
    tr = bp.trace(bp.BackpropConfig(hidden=(3,)))
    checks = bp.check_gradients(tr)
    found = [(s, bp.check_for(checks, s)) for s in tr.steps]
    grads = [(s, c) for s, c in found if s.what in ("grad_w", "grad_b")]
    assert all(c is None for s, c in found if s.what not in ("grad_w", "grad_b"))
    assert all(c.node == s.node and c.ours == pytest.approx(s.value[0], rel=1e-12) for s, c in grads)
    assert len({c.node for _, c in grads}) == len(checks)  # every check belongs to exactly one step


def test_proof_rows_mark_the_current_parameter_and_carry_the_checks():
    tr = bp.trace(bp.BackpropConfig())
    checks = bp.check_gradients(tr)
    rows = bp.proof_rows(checks, "w1.2.1")
    assert [tuple(r) for r in rows] == [bp.PROOF_COLUMNS] * len(checks)
    marked = [r["param"] for r in rows if r["param"].startswith("▶ ")]
    assert marked == ["▶ " + bp.node_label("w1.2.1")]
    assert [(r["ours"], r["autograd"], r["fd"], r["ok"]) for r in rows] == \
        [(c.ours, c.autograd, c.finite_diff, c.ok) for c in checks]
    assert not any(r["param"].startswith("▶") for r in bp.proof_rows(checks, "n1.1"))


def test_training_view_boundaries_are_the_network_at_each_snapshot():
    config = bp.BackpropConfig(hidden=(3,), activation="tanh", seed=2)
    result, axis, grids = bp.train_with_boundaries(config, 300)
    assert len(grids) == len(result.snapshots) == len(result.snapshot_steps)
    assert all(g.shape == (len(axis), len(axis)) for g in grids)
    weights, biases = result.snapshots[-1]
    corner = np.array([[axis[0], axis[-1]]])  # grid indexed [y, x]: row -1, column 0
    assert grids[-1][-1, 0] == pytest.approx(bp.forward(weights, biases, corner, "tanh")[0], rel=1e-12)
    assert not np.allclose(grids[0], grids[-1])  # the boundary evolves


def test_prediction_rows_and_correctness_follow_the_predictions():
    learned = bp.train(bp.BackpropConfig(), 3000)
    rows = bp.prediction_rows(learned)
    assert [(r["x1"], r["x2"], r["target"]) for r in rows] == [(*x, y) for x, y in zip(bp.XOR_X, bp.XOR_Y)]
    assert [r["pred"] for r in rows] == pytest.approx(learned.predictions, abs=5e-5)
    assert all(r["correct"] for r in rows) and learned.correct.all()
    untrained = bp.train(bp.BackpropConfig(init="zeros"), 10)  # ŷ = 0.5 everywhere: no point is on its side
    assert [r["correct"] for r in bp.prediction_rows(untrained)] == list(untrained.correct)
    assert not untrained.correct.all()


def test_stuck_layers_name_the_symmetric_hidden_layers():
    assert bp.train(bp.BackpropConfig(hidden=(2, 3), init="zeros"), 50).stuck_layers == [1, 2]
    assert bp.train(bp.BackpropConfig(hidden=(2, 3)), 50).stuck_layers == []
