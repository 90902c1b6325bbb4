"""The activations page's tabs, one module each.

- explorer.py: the functions and their derivatives, formulas and the properties table
- softmax.py: logits and temperature → probabilities; the numerically stable form
- neuron.py: one neuron by hand (sliders, the diagram with the numbers, the tutorials' example button)
- training.py: that neuron trained live on a toy set (Start/Stop/Step/Reset and a timed fragment)
- depth.py: the depth lab (presets that set several widgets, a cached forward + backward pass)

The linked widgets (core/topics/activations/url.py) start from session state, filled from the link by
init_state; write_link puts them back into the URL.

No maths here: the numbers come from core.topics.activations, the figures from its charts.py.
pages/activations.py puts the sections into tabs.
"""
import streamlit as st

from core.topics.activations import url
from core.topics.activations.functions import ACTIVATIONS
from ui import labels, read_url_state, write_url_state


def init_state() -> None:
    """First run only: every linked widget starts from the link (a bad parameter falls back with a notice)."""
    if "act_url_read" not in st.session_state:
        st.session_state.act_url_read = True
        for key, value in url.widget_state(read_url_state(url.BINDING.spec())).items():
            st.session_state.setdefault(key, value)


def write_link() -> None:
    """Put the page's settings into the URL (after every tab has drawn its widgets)."""
    write_url_state(url.values_from_widgets(st.session_state), url.BINDING.spec())



def names() -> dict[str, str]:
    """{activation key: its name in the learner's language}, for every tab's menus (per script run:
    a module-level dict would keep the first session's language)."""
    return labels("activation_", list(ACTIVATIONS))
