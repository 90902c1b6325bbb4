"""The 2-D playground's settings as URL query parameters (every control), and back to a config.

The page's widgets are keyed after the parameters: `pg_<name>` for each single value, `pg_f_<feature>`
checkboxes for the feature list, `pg_layers` + `pg_n<i>` for the hidden sizes and `pg_act<i>` for
per-layer activations. widget_defaults and values_from_widgets translate between the two, so the
page holds no bookkeeping of its own.
"""
from collections.abc import Mapping
from dataclasses import fields
from urllib.parse import urlencode

from core import i18n
from core import urlstate as u
from core.topics.playground.network import (ACTIVATIONS, FEATURES, LOSSES, MAX_LAYERS, MAX_NEURONS, REGULARIZERS,
                                            PlaygroundConfig)
from core.topics.playground.datasets import PG_DATASETS
from core.registry import OPTIMIZERS

_D = PlaygroundConfig()

# query name → parameter; names are short so a link stays readable.
URL_SPEC: dict[str, u.Param] = {
    "ds": u.Choice(tuple(PG_DATASETS), _D.dataset),
    "cls": u.Int(2, 5, _D.classes),
    "noise": u.Float(0.0, 0.5, _D.noise),
    "n": u.Int(50, 1000, _D.n_points),
    "train": u.Int(10, 90, _D.train_pct),
    "bs": u.Int(1, 100, _D.batch_size),
    "seed": u.Int(0, 99999, _D.seed),
    "f": u.ChoiceList(tuple(FEATURES), len(FEATURES), _D.features, min_len=1),
    "h": u.IntList(1, MAX_NEURONS, MAX_LAYERS, _D.hidden),
    "act": u.Choice(tuple(ACTIVATIONS), _D.activations[0]),
    "per": u.Bool(False),                                     # per-layer activations on/off
    "acts": u.ChoiceList(tuple(ACTIVATIONS), MAX_LAYERS, ()),  # used when per=1
    "opt": u.Choice(tuple(OPTIMIZERS), _D.optimizer),
    "lr": u.Float(1e-5, 10.0, _D.lr),
    "reg": u.Choice(REGULARIZERS, _D.reg),
    "rr": u.Float(0.0, 10.0, _D.reg_rate),
    "drop": u.Float(0.0, 0.9, _D.dropout),
    "loss": u.Choice(LOSSES, _D.loss),
    "test": u.Bool(True),                                     # show test points
    "disc": u.Bool(False),                                    # discretize the output
    "speed": u.Int(1, 100, 20),                               # steps per animation frame (20: an epoch by default)
}

SCALAR_PARAMS = tuple(name for name in URL_SPEC if name not in ("f", "h", "acts"))  # one widget pg_<name> each
NEW_LAYER_WIDTH = 4                                       # neurons of a layer the link did not mention

# Slider scales; options_with adds a linked value that is off the scale.
LR_OPTIONS = (1e-5, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
RATE_OPTIONS = (0.0, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)

# Choice parameter → i18n prefix of its options' names (prefix + option key is the string key).
CHOICE_LABELS = {"ds": "pg_ds_", "act": "activation_", "reg": "pg_reg_", "loss": "loss_"}


def options_with(options: tuple[float, ...], value: float) -> list[float]:
    """The scale with `value` added, sorted: a linked value off the usual scale stays exact."""
    return sorted(set(options) | {value})


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
    hidden = tuple(v["h"])
    acts = tuple(v["acts"]) if v["per"] and v["acts"] else (v["act"],)
    acts = tuple(acts[min(i, len(acts) - 1)] for i in range(len(hidden)))
    return PlaygroundConfig(
        dataset=v["ds"], classes=v["cls"], noise=v["noise"], n_points=v["n"], train_pct=v["train"],
        batch_size=v["bs"], seed=v["seed"], features=tuple(dict.fromkeys(v["f"])), hidden=hidden,
        activations=acts, dropout=v["drop"], optimizer=v["opt"], lr=v["lr"], reg=v["reg"],
        reg_rate=v["rr"], loss=v["loss"])


def values_from_config(config: PlaygroundConfig, per_layer: bool, show_test: bool = True,
                       discretize: bool = False, speed: int = 20) -> dict:
    """URL values for a config plus the view toggles (inverse of config_from_values)."""
    acts = config.layer_activations()
    return {
        "ds": config.dataset, "cls": config.classes, "noise": config.noise, "n": config.n_points,
        "train": config.train_pct, "bs": config.batch_size, "seed": config.seed, "f": config.features,
        "h": config.hidden, "act": acts[0] if acts else (config.activations or ("tanh",))[0],
        "per": per_layer, "acts": acts if per_layer else (), "opt": config.optimizer, "lr": config.lr,
        "reg": config.reg, "rr": config.reg_rate, "drop": config.dropout, "loss": config.loss,
        "test": show_test, "disc": discretize, "speed": speed,
    }


assert {f.name for f in fields(PlaygroundConfig)} == {
    "dataset", "classes", "noise", "n_points", "train_pct", "batch_size", "seed", "features", "hidden",
    "activations", "dropout", "optimizer", "lr", "reg", "reg_rate", "loss"}, "a config field has no URL parameter"
