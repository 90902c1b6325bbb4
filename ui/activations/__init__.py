"""The activations page's sections that keep state between reruns, one module each.

- neuron.py: one neuron by hand (sliders, the diagram with the numbers, the tutorials' example button)
- training.py: that neuron trained live on a toy set (Start/Stop/Step/Reset and a timed fragment)
- depth.py: the depth lab (presets that set several widgets, a cached forward + backward pass)

No maths here: the numbers come from core.activations, core.neuron and core.depth_lab, the figures
from core.charts.activations. pages/activations.py puts the sections into tabs.
"""
