"""The Neural Playground's engine: models, data, training, maths and charts.

Nothing in this package imports Streamlit, so every piece can be imported and tested alone.
Importing it sets torch's thread count to the CPU cores this process may actually use.
"""
from core.runtime import configure_torch

configure_torch()
