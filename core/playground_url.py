"""The 2-D playground's settings as URL query parameters (every control), and back to a config."""
from dataclasses import fields

from core import urlstate as u
from core.playground import ACTIVATIONS, FEATURES, LOSSES, MAX_LAYERS, MAX_NEURONS, REGULARIZERS, PlaygroundConfig
from core.toy2d_extra import PG_DATASETS
from core.train import OPTIMIZERS

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
    "speed": u.Int(1, 100, 20),                               # training steps per animation frame (20 = an epoch of the default set)
}


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
