"""2-D playground: TensorFlow Playground in real PyTorch. Data, features, network, live training, link, code.

Each section is drawn by ui/playground/; the numbers come from core.topics.playground.
"""
import streamlit as st

from ui import t
from ui.playground import extras, init_state, settings, training

init_state()
st.title(t("page_playground"))
st.caption(t("pg_intro"))
chosen = settings.settings()
training.live_run(chosen)
extras.extras(chosen)
