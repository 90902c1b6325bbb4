"""The activations page's tabs, one module each.

- explorer.py: the functions and their derivatives, formulas and the properties table
- softmax.py: logits and temperature → probabilities; the numerically stable form
- neuron.py: one neuron by hand (sliders, the diagram with the numbers, the tutorials' example button)
- training.py: that neuron trained live on a toy set (Start/Stop/Step/Reset and a timed fragment)
- depth.py: the depth lab (presets that set several widgets, a cached forward + backward pass)

No maths here: the numbers come from core.topics.activations, the figures from its charts.py.
pages/activations.py puts the sections into tabs.
"""
from core.topics.activations.functions import ACTIVATIONS
from ui import labels



def names() -> dict[str, str]:
    """{activation key: its name in the learner's language}, for every tab's menus (per script run:
    a module-level dict would keep the first session's language)."""
    return labels("activation_", list(ACTIVATIONS))
