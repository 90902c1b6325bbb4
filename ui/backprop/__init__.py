"""The backpropagation page's sections, one module each; pages/backprop.py puts them into tabs.

- settings.py: the network's controls (started from the link, kept across a language switch) → the config
- stepper.py: Step through: Play / Previous / Next, the formula, the computational graph, the proof table
- training.py: Train: the loss curve, the evolving decision boundary, the symmetry warning
- loss_functions.py: Loss functions: the curves and their gradients, the tutorials' worked example
- twin.py: NumPy ↔ PyTorch: the tutorial's network and its PyTorch twin, step by step

No maths here: the numbers come from core.topics.backprop, core.topics.backprop.loss_functions and core.topics.backprop.twin, the figures from
core.topics.backprop.charts.
"""


def relabel(rows: list[dict], labels: dict[str, str]) -> list[dict]:
    """Table rows with their column keys replaced by (translated) headers, in the same order."""
    return [{labels[key]: value for key, value in row.items()} for row in rows]
