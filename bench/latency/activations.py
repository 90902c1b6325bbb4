"""Activations page: cycle through one control per tab (explorer, softmax, neuron, depth lab)."""
PAGE = "pages/activations.py"

_SETS = (["sigmoid", "tanh", "relu", "gelu"], ["relu", "leaky_relu", "elu", "silu", "mish"])


def change(at, i: int) -> None:
    """Explorer functions, softmax temperature, a neuron weight, the depth lab's residual switch, in turn.

    The depth lab alternates between two configs, so after the first two it is served from st.cache_data
    (a new config costs one forward + backward pass, 0.05-1 s depending on depth and width).
    """
    kind = i % 4
    if kind == 0:
        at.multiselect(key="act_explore").set_value(_SETS[(i // 4) % 2])
    elif kind == 1:
        at.slider(key="act_temp").set_value(0.5 if (i // 4) % 2 else 2.0)
    elif kind == 2:
        at.slider(key="act_w0").set_value(-0.5 if (i // 4) % 2 else 0.7)
    else:
        at.toggle(key="act_d_res").set_value(not at.toggle(key="act_d_res").value)
