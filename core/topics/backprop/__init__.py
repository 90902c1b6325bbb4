"""Backpropagation one number at a time, in the micrograd spirit: NumPy float64, every step recorded.

- network.py: the tiny XOR network (activations, losses, config, init, vectorised forward/backward)
- trace.py: ONE gradient-descent step with every intermediate number and its formula (`trace`)
- checks.py: the same gradients by torch.autograd and central differences (`check_gradients`)
- training.py: full-batch gradient descent, decision boundaries, symmetry of the hidden units
- latex.py: numbers written into LaTeX, table labels, long formulas broken into lines
- view.py: what the page shows (URL spec, widget values, the proof table), without Streamlit
- loss_functions.py, twin.py, charts.py, strings.py: the other tabs, the figures and the strings

The page's API is re-exported here, so ui/backprop/ writes `bp.trace(config)`.
"""
from core.errors import BadNetwork
from core.topics.backprop.checks import (AUTOGRAD_TOL, FD_TOL, GradCheck, autograd_gradients, check_gradients,
                                         finite_difference_gradients, relative_error)
from core.topics.backprop.latex import display_latex, node_label, num, show
from core.topics.backprop.network import (ACTIVATIONS, INITS, LOSSES, MAX_LAYERS, MAX_UNITS, XOR_X, XOR_Y,
                                          BackpropConfig, forward, gradients, init_params, mean_loss, parse_hidden)
from core.topics.backprop.trace import KINDS, Step, Trace, trace
from core.topics.backprop.training import (TrainResult, decision_grid, hidden_symmetry, prediction_rows, train,
                                           train_with_boundaries)
from core.topics.backprop.view import (EXAMPLE_CHOICES, LR_MAX, PROOF_COLUMNS, SEED_MAX, URL, URL_SPEC, check_for,
                                       example_fields, hidden_text, move_step, proof_rows, widget_values)

__all__ = [
    "AUTOGRAD_TOL", "FD_TOL", "GradCheck", "autograd_gradients", "check_gradients", "finite_difference_gradients",
    "relative_error", "display_latex", "node_label", "num", "show", "ACTIVATIONS", "INITS", "LOSSES", "MAX_LAYERS",
    "MAX_UNITS", "XOR_X", "XOR_Y", "BackpropConfig", "forward", "gradients", "init_params", "mean_loss",
    "parse_hidden", "KINDS", "Step", "Trace", "trace", "TrainResult", "decision_grid", "hidden_symmetry",
    "prediction_rows", "train", "train_with_boundaries", "EXAMPLE_CHOICES", "LR_MAX", "PROOF_COLUMNS", "SEED_MAX",
    "URL", "URL_SPEC", "check_for", "example_fields", "hidden_text", "move_step", "proof_rows",
    "widget_values", "BadNetwork",
]
