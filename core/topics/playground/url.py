"""The 2-D playground's settings as URL query parameters (every control), and back to a config.

The page's widgets are keyed after the parameters: `pg_<name>` for each single value, `pg_f_<feature>`
checkboxes for the feature list, `pg_layers` + `pg_n<i>` for the hidden sizes and `pg_act<i>` for
per-layer activations. widget_defaults and values_from_widgets translate between the two, so the
page holds no bookkeeping of its own.
"""
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from core import i18n
from core import urlstate as u
from core.topics.playground.network import (ACTIVATIONS, FEATURES, LOSSES, MAX_LAYERS, MAX_NEURONS, REGULARIZERS,
                                            PlaygroundConfig)
from core.topics.playground.datasets import PG_DATASETS
from core.registry import OPTIMIZERS



@dataclass(frozen=True)
class PlaygroundLink:
    """What a playground link holds: the setup, and how the page shows it."""
    config: PlaygroundConfig = field(default_factory=PlaygroundConfig)
    act: str = "tanh"                # every layer's activation while per_layer is off
    per_layer: bool = False          # one activation per layer ("acts" holds them)
    acts: tuple[str, ...] = ()       # the per-layer activations, used when per_layer
    show_test: bool = True           # draw the test points
    discretize: bool = False         # the output as hard classes
    speed: int = 20                  # steps per animation frame (20: an epoch by default)


# link name → (field, how it is read); names are short so a link stays readable.
BINDING = u.Binding(PlaygroundLink(), {
    "ds": ("config.dataset", u.Choice(tuple(PG_DATASETS))),
    "cls": ("config.classes", u.Int(2, 5)),
    "noise": ("config.noise", u.Float(0.0, 0.5)),
    "n": ("config.n_points", u.Int(50, 1000)),
    "train": ("config.train_pct", u.Int(10, 90)),
    "bs": ("config.batch_size", u.Int(1, 100)),
    "seed": ("config.seed", u.Int(0, 99999)),
    "f": ("config.features", u.ChoiceList(tuple(FEATURES), len(FEATURES), min_len=1)),
    "h": ("config.hidden", u.IntList(1, MAX_NEURONS, MAX_LAYERS)),
    "act": ("act", u.Choice(tuple(ACTIVATIONS))),
    "per": ("per_layer", u.Bool()),
    "acts": ("acts", u.ChoiceList(tuple(ACTIVATIONS), MAX_LAYERS)),
    "opt": ("config.optimizer", u.Choice(tuple(OPTIMIZERS))),
    "lr": ("config.lr", u.Float(1e-5, 10.0)),
    "reg": ("config.reg", u.Choice(REGULARIZERS)),
    "rr": ("config.reg_rate", u.Float(0.0, 10.0)),
    "drop": ("config.dropout", u.Float(0.0, 0.9)),
    "loss": ("config.loss", u.Choice(LOSSES)),
    "test": ("show_test", u.Bool()),
    "disc": ("discretize", u.Bool()),
    "speed": ("speed", u.Int(1, 100)),
}, unlinked=frozenset({"config.activations"}))  # follows from act, per and acts
URL_SPEC = BINDING.spec()

SCALAR_PARAMS = tuple(name for name in URL_SPEC if name not in ("f", "h", "acts"))  # one widget pg_<name> each
NEW_LAYER_WIDTH = 4                                       # neurons of a layer the link did not mention

# Slider scales; options_with adds a linked value that is off the scale.
LR_OPTIONS = (1e-5, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
RATE_OPTIONS = (0.0, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)

# Choice parameter → i18n prefix of its options' names (prefix + option key is the string key).
CHOICE_LABELS = {"ds": "pg_ds_", "act": "activation_", "reg": "pg_reg_", "loss": "loss_"}


def choice_labels(lang: str) -> dict[str, dict[str, str]]:
    """{parameter: {option key: its name in `lang`}} for the choice widgets.

    Plain dicts, not a function of the language: Streamlit's testing harness calls a widget's
    format_func outside the script run, where the session's language is not known.
    """
    return {name: {key: i18n.t(prefix + key, lang) for key in URL_SPEC[name].options}
            for name, prefix in CHOICE_LABELS.items()}


def widget_defaults(values: dict) -> dict[str, object]:
    """Every widget's starting value (session-state key → value) for decoded URL values.

    All MAX_LAYERS layer widgets get a value, so adding a layer later shows a sensible width and
    the activation the link implies for that depth.
    """
    state: dict[str, object] = {f"pg_{name}": values[name] for name in SCALAR_PARAMS}
    state.update({f"pg_f_{f}": f in values["f"] for f in FEATURES})
    state["pg_layers"] = len(values["h"])
    acts = values["acts"] or (values["act"],)
    for i in range(MAX_LAYERS):
        state[f"pg_n{i}"] = values["h"][i] if i < len(values["h"]) else NEW_LAYER_WIDTH
        state[f"pg_act{i}"] = acts[min(i, len(acts) - 1)]
    return state


def chosen_features(state: Mapping) -> tuple[str, ...]:
    """The ticked feature checkboxes, in FEATURES order (may be empty)."""
    return tuple(f for f in FEATURES if state[f"pg_f_{f}"])


def values_from_widgets(state: Mapping) -> dict:
    """URL values from the widgets' state (inverse of widget_defaults).

    No ticked feature falls back to x1, x2 (a network needs an input; the page says so).
    """
    values = {name: state[f"pg_{name}"] for name in SCALAR_PARAMS}
    layers = range(state["pg_layers"])
    values.update(f=chosen_features(state) or ("x1", "x2"), h=tuple(state[f"pg_n{i}"] for i in layers),
                  acts=tuple(state[f"pg_act{i}"] for i in layers) if state["pg_per"] else ())
    return values


def share_url(page_url: str, values: dict) -> str:
    """The link that reopens this setup: the page's address (any old query dropped) + every setting."""
    return f"{page_url.split('?')[0]}?{urlencode(u.encode(values, URL_SPEC))}"


def config_from_values(v: dict) -> PlaygroundConfig:
    """The config the decoded URL values describe (duplicate features dropped, activations per layer)."""
    config = BINDING.config(v).config
    acts = tuple(v["acts"]) if v["per"] and v["acts"] else (v["act"],)
    acts = tuple(acts[min(i, len(acts) - 1)] for i in range(len(config.hidden)))
    return replace(config, features=tuple(dict.fromkeys(config.features)), activations=acts)


def values_from_config(config: PlaygroundConfig, per_layer: bool, show_test: bool = True,
                       discretize: bool = False, speed: int = 20) -> dict:
    """URL values for a config plus the view toggles (inverse of config_from_values)."""
    acts = config.layer_activations()
    return BINDING.values(PlaygroundLink(config, act=acts[0] if acts else (config.activations or ("tanh",))[0],
                                         per_layer=per_layer, acts=acts if per_layer else (), show_test=show_test,
                                         discretize=discretize, speed=speed))
