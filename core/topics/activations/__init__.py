"""Activations & the neuron: the functions and their derivatives (functions.py), one neuron learning
(neuron.py), gradients through depth (depth.py), their figures and strings."""
