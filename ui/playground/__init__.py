"""The 2-D playground's sections, one module each.

- settings.py: the settings (top bar, training row, data column, network column) → one config and its data
- training.py: the live run and the frame it draws (network, output, loss), in the job runner
- extras.py: the maths, the generated script and the link to share

No maths here: the numbers come from core.topics.playground, the figures from its charts.py.
pages/playground.py puts the sections together.
"""
import streamlit as st

from core.topics.playground.url import URL_SPEC, widget_defaults
from ui import read_url_state


def init_state() -> None:
    """Settings from the link on the first visit, then from the widgets (keys pg_<url name>)."""
    ss = st.session_state
    if "pg_values" not in ss:
        ss.pg_values = read_url_state(URL_SPEC)
    for key, value in widget_defaults(ss.pg_values).items():
        ss.setdefault(key, value)
