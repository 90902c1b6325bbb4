"""The activations page's setup as link parameters: the explorer, the neuron by hand, the softmax logits and
temperature, the neuron's training and the depth lab, so a link reopens the page as it was.

The page's widgets are keyed `act_<...>` (WIDGETS says which link name each one holds); the neuron's
learning rate has one widget per rule (`act_lr_<rule>`).
"""
import math
from dataclasses import dataclass, field

from core import urlstate as u
from core.errors import PlaygroundError
from core.topics.activations.depth import DEPTH_RANGE, INITS, WIDTH_RANGE, DepthConfig
from core.topics.activations.functions import ACTIVATIONS, MAX_LOGITS, parse_numbers
from core.topics.activations.neuron import (NEURON_DATASETS, TRAINERS, TUTORIAL_BIAS, TUTORIAL_INPUTS,
                                            TUTORIAL_WEIGHTS, NeuronTrainConfig)

NEURON_LEARNING_RATES = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)  # the neuron's learning-rate scale
FIRST_LR = {"perceptron": 0.1, "sigmoid_gd": 0.3}        # each rule's learning rate before it is touched


@dataclass(frozen=True)
class ExplorerView:
    functions: tuple[str, ...] = ("sigmoid", "tanh", "relu", "gelu")  # keys of ACTIVATIONS on the chart
    x_low: float = -6.0                                               # the chart's x range
    x_high: float = 6.0
    slope: float = 0.1                                                # Leaky ReLU's negative slope
    derivatives: bool = True                                          # draw f' too


@dataclass(frozen=True)
class NeuronByHand:
    inputs: tuple[float, ...] = TUTORIAL_INPUTS                       # x1..xn (n = 2 or 3)
    weights: tuple[float, ...] = TUTORIAL_WEIGHTS                     # w1..wn
    bias: float = TUTORIAL_BIAS
    activation: str = "sigmoid"


@dataclass(frozen=True)
class ActivationsLink:
    """What an activations-page link holds."""
    explorer: ExplorerView = field(default_factory=ExplorerView)
    by_hand: NeuronByHand = field(default_factory=NeuronByHand)
    logits: tuple[float, ...] = (2.0, 1.0, 0.1)                      # the softmax tab's z
    temperature: float = 1.0                                          # the softmax tab's T
    neuron: NeuronTrainConfig = field(default_factory=lambda: NeuronTrainConfig(noise=0.05))
    depth: DepthConfig = field(default_factory=DepthConfig)


BINDING = u.Binding(ActivationsLink(), {
    "fns": ("explorer.functions", u.ChoiceList(tuple(ACTIVATIONS), len(ACTIVATIONS))),
    "lo": ("explorer.x_low", u.Float(-10.0, 10.0)),
    "hi": ("explorer.x_high", u.Float(-10.0, 10.0)),
    "slope": ("explorer.slope", u.Float(0.0, 0.5)),
    "df": ("explorer.derivatives", u.Bool()),
    "x": ("by_hand.inputs", u.FloatList(-2.0, 2.0, 2, 3)),
    "w": ("by_hand.weights", u.FloatList(-2.0, 2.0, 2, 3)),
    "b": ("by_hand.bias", u.Float(-2.0, 2.0)),
    "fn": ("by_hand.activation", u.Choice(tuple(ACTIVATIONS))),
    "z": ("logits", u.FloatList(-math.inf, math.inf, 1, MAX_LOGITS)),
    "temp": ("temperature", u.Float(0.05, 5.0)),
    "ds": ("neuron.dataset", u.Choice(NEURON_DATASETS)),
    "rule": ("neuron.method", u.Choice(tuple(TRAINERS))),
    "lr": ("neuron.lr", u.Float(1e-4, 10.0)),
    "noise": ("neuron.noise", u.Float(0.0, 0.3)),
    "depth": ("depth.depth", u.Int(*DEPTH_RANGE)),
    "width": ("depth.width", u.Int(*WIDTH_RANGE)),
    "act": ("depth.activation", u.Choice(tuple(ACTIVATIONS))),
    "init": ("depth.init", u.Choice(INITS)),
    "bn": ("depth.batchnorm", u.Bool()),
    "res": ("depth.residual", u.Bool()),
    "seed": ("depth.seed", u.Int(0, 10_000)),
}, unlinked=frozenset({"neuron.n", "neuron.max_epochs", "neuron.seed", "depth.batch_size", "depth.classes",
                       "depth.slope"}))  # fixed on this page

# link name → the widget key that holds it ("lr": the chosen rule's own widget)
WIDGETS = {"fns": "act_explore", "slope": "act_slope", "df": "act_show_df", "b": "act_b", "fn": "act_neuron_act",
           "temp": "act_temp", "ds": "act_ds", "rule": "act_method", "noise": "act_noise", "depth": "act_d_depth", "width": "act_d_width",
           "act": "act_d_act", "init": "act_d_init", "bn": "act_d_bn", "res": "act_d_res", "seed": "act_d_seed"}


def widget_state(values: dict) -> dict[str, object]:
    """Decoded link values as the widgets hold them (session-state key → value)."""
    state = {key: values[name] for name, key in WIDGETS.items()}
    state["act_explore"] = list(values["fns"])
    state["act_range"] = (values["lo"], values["hi"])
    state.update({f"act_lr_{rule}": lr for rule, lr in FIRST_LR.items()})
    state[f"act_lr_{values['rule']}"] = values["lr"]
    n = min(len(values["x"]), len(values["w"]))  # a link may disagree with itself: use the shorter
    state["act_n_in"] = n
    state.update({f"act_x{i}": values["x"][i] for i in range(n)})
    state.update({f"act_w{i}": values["w"][i] for i in range(n)})
    state["act_logits"] = ", ".join(f"{z:g}" for z in values["z"])
    return state


def values_from_widgets(state) -> dict:
    """The link values the widgets hold (inverse of widget_state)."""
    values = {name: state[key] for name, key in WIDGETS.items()}
    values["fns"] = tuple(state["act_explore"])
    values["lo"], values["hi"] = state["act_range"]
    values["lr"] = state[f"act_lr_{state['act_method']}"]
    values["seed"] = int(values["seed"])
    values["x"] = tuple(state[f"act_x{i}"] for i in range(state["act_n_in"]))
    values["w"] = tuple(state[f"act_w{i}"] for i in range(state["act_n_in"]))
    try:
        values["z"] = tuple(parse_numbers(state["act_logits"]))
    except PlaygroundError:  # the tab says what is wrong; the link keeps the default logits meanwhile
        values["z"] = ActivationsLink().logits
    return values
