"""core/urlstate.py: settings ⇄ query strings; bad values fall back to defaults and are reported; every
page's binding reproduces its setup."""
import math
from dataclasses import dataclass, field, replace

import pytest

from core import urlstate
from core.topics import backprop as bp
from core.topics.activations import url as act_url
from core.topics.cnn_lab import url as cnn_url
from core.topics.playground import url as pg_url
from core.urlstate import Bool, Choice, Float, Int, IntList, decode, encode

SPEC = {
    "act": Choice(("relu", "tanh", "sigmoid"), "relu"),
    "layers": Int(1, 6, 2),
    "lr": Float(1e-5, 1.0, 0.03),
    "noise": Float(0.0, 0.5, 0.1),
    "bn": Bool(False),
    "hidden": IntList(1, 64, 4, (8, 8)),
}
DEFAULTS = {name: param.default for name, param in SPEC.items()}


def test_empty_query_gives_defaults_silently():
    values, problems = decode({}, SPEC)
    assert values == DEFAULTS and problems == []


def test_encode_then_decode_round_trip():
    values = {"act": "tanh", "layers": 5, "lr": 0.001, "noise": 0.0, "bn": True, "hidden": (3, 64, 1)}
    encoded = encode(values, SPEC)
    assert all(isinstance(v, str) for v in encoded.values())
    assert encoded["bn"] == "1" and encoded["hidden"] == "3,64,1"
    decoded, problems = decode(encoded, SPEC)
    assert decoded == values and problems == []


@pytest.mark.parametrize("lr", [0.03, 1e-5, 0.1 + 0.2, 1 / 3, 0.123456789, 0.9999999])
def test_float_round_trip_is_exact(lr):
    decoded, problems = decode(encode({"lr": lr}, SPEC), SPEC)
    assert problems == [] and decoded["lr"] == lr


def test_simple_floats_stay_short():
    assert encode({"lr": 0.001, "noise": 0.5}, SPEC)["lr"] == "0.001"
    assert encode({"noise": 0.5}, SPEC)["noise"] == "0.5"


def test_encode_fills_in_defaults():
    assert decode(encode({}, SPEC), SPEC)[0] == DEFAULTS


def test_decode_then_encode_round_trip_of_raw_strings():
    raw = {"act": "sigmoid", "layers": "3", "lr": "0.5", "noise": "0.25", "bn": "0", "hidden": "16,4"}
    values, problems = decode(raw, SPEC)
    assert problems == []
    assert values == {"act": "sigmoid", "layers": 3, "lr": 0.5, "noise": 0.25, "bn": False, "hidden": (16, 4)}
    assert encode(values, SPEC) == raw


@pytest.mark.parametrize("name,raw", [
    ("act", "softmax"), ("act", ""), ("act", "RELU"),
    ("layers", "0"), ("layers", "7"), ("layers", "2.5"), ("layers", "two"), ("layers", ""), ("layers", "9" * 5000),
    ("lr", "nan"), ("lr", "NaN"), ("lr", "inf"), ("lr", "-inf"), ("lr", "2"), ("lr", "0"), ("lr", "abc"), ("lr", ""),
    ("noise", "-0.1"), ("noise", "1e400"),
    ("bn", "yes"), ("bn", "2"), ("bn", ""),
    ("hidden", "8,,8"), ("hidden", "8,0"), ("hidden", "8,65"), ("hidden", "1,2,3,4,5"), ("hidden", "a,b"),
    ("hidden", "8;8"),
])
def test_bad_value_falls_back_and_is_reported(name, raw):
    query = {"act": "tanh", "layers": "4", name: raw}
    values, problems = decode(query, SPEC)
    assert values[name] == DEFAULTS[name]
    assert problems == [(name, raw)]
    # The other parameters are still read.
    if name != "act":
        assert values["act"] == "tanh"
    if name != "layers":
        assert values["layers"] == 4


def test_several_problems_all_reported():
    values, problems = decode({"act": "x", "lr": "nan", "bn": "maybe", "layers": "3"}, SPEC)
    assert sorted(problems) == [("act", "x"), ("bn", "maybe"), ("lr", "nan")]
    assert values["layers"] == 3 and values["lr"] == DEFAULTS["lr"] and math.isfinite(values["lr"])


def test_unknown_names_ignored_and_non_strings_tolerated():
    values, problems = decode({"zzz": "1", "layers": 3, "lr": None}, SPEC)
    assert values["layers"] == 3
    assert problems == [("lr", "None")]


def test_empty_int_list_is_valid():
    assert decode({"hidden": ""}, SPEC) == ({**DEFAULTS, "hidden": ()}, [])
    assert encode({"hidden": ()}, SPEC)["hidden"] == ""


def test_bool_spellings():
    for raw, value in (("1", True), ("true", True), ("0", False), ("false", False)):
        assert decode({"bn": raw}, SPEC)[0]["bn"] is value


def test_choice_list():
    from core.urlstate import ChoiceList

    spec = {"acts": ChoiceList(("relu", "tanh"), max_len=3, default=("relu",), min_len=1)}
    values, problems = decode(encode({"acts": ("tanh", "relu", "tanh")}, spec), spec)
    assert values == {"acts": ("tanh", "relu", "tanh")} and problems == []
    for raw in ("", "gelu", "relu,relu,relu,relu", "relu,,tanh"):
        values, problems = decode({"acts": raw}, spec)
        assert values == {"acts": ("relu",)} and problems == [("acts", raw)]


# ---------------------------------------------------------------- bindings: a page's config ⇄ its link

@dataclass(frozen=True)
class _Inner:
    size: int | None = None
    name: str = "a"


@dataclass(frozen=True)
class _Outer:
    inner: _Inner = field(default_factory=_Inner)
    rate: float = 0.5
    on: bool = False


def test_a_binding_reads_nested_fields_and_takes_its_defaults_from_the_config():
    b = urlstate.Binding(_Outer(), {"n": ("inner.size", urlstate.Maybe(urlstate.Int(1, 9))),
                                    "name": ("inner.name", urlstate.Choice(("a", "b"))),
                                    "r": ("rate", urlstate.Float(0, 1)), "on": ("on", urlstate.Bool())})
    assert b.check() == []
    assert b.encode(_Outer()) == {"n": "all", "name": "a", "r": "0.5", "on": "0"}
    config = _Outer(_Inner(3, "b"), 0.25, True)
    values, problems = b.decode(b.encode(config))
    assert problems == [] and b.config(values) == config
    values, problems = b.decode({"n": "12", "name": "c", "r": "0.75"})  # 12 and "c" are out of range
    assert problems == [("n", "12"), ("name", "c")] and b.config(values) == _Outer(rate=0.75)


def test_check_names_every_mistake_in_a_binding():
    b = urlstate.Binding(_Outer(), {"x": ("inner.nope", urlstate.Int(0, 1)), "r": ("rate", urlstate.Int(0, 1)),
                                    "name": ("inner.name", urlstate.Choice(("b",)))})
    problems = b.check()
    assert "x: no field inner.nope" in problems
    assert any(p.startswith("r: rate holds") for p in problems)
    assert "name: the default 'a' is refused by its checker" in problems
    assert {"inner.size: neither linked nor listed as unlinked", "on: neither linked nor listed as unlinked"} <= set(
        problems)


PAGE_BINDINGS = {"activations": act_url.BINDING, "backprop": bp.URL, "playground": pg_url.BINDING, "cnn_lab": cnn_url.binding("digits"),
                 "cnn_lab_mnist": cnn_url.binding("mnist")}
# A setup unlike the default in every linked field, per page.
CHANGED = {
    "activations": act_url.ActivationsLink(
        act_url.ExplorerView(("mish", "step"), -3.5, 8.0, 0.25, False),
        act_url.NeuronByHand((1.5, -0.25), (0.75, -2.0), -0.6, "tanh"), (3.0, -1.25, 0.5, 7.0), 0.3,
        replace(act_url.ActivationsLink().neuron, dataset="xor", method="sigmoid_gd", lr=0.03, noise=0.2),
        replace(act_url.ActivationsLink().depth, depth=33, width=40, activation="gelu", init="he_normal",
                batchnorm=True, residual=True, seed=9)),
    "backprop": bp.BackpropConfig(hidden=(4, 3), activation="tanh", loss="bce", lr=0.3, init="he_normal", seed=77,
                                  example=2),
    "playground": pg_url.PlaygroundLink(
        replace(pg_url.PlaygroundLink().config, dataset="spiral", classes=3, noise=0.2, n_points=300, train_pct=70,
                batch_size=16, seed=5, features=("x1", "x2", "sin1"), hidden=(8, 6, 4), dropout=0.1,
                optimizer="momentum", lr=0.0007, reg="l2", reg_rate=0.003, loss="mse"),
        act="relu", per_layer=True, acts=("relu", "tanh", "sigmoid"), show_test=False, discretize=True, speed=7),
}


def _changed_cnn(dataset: str):
    d = cnn_url.default_setup(dataset)
    return replace(d, seed=42, data=replace(d.data, name="cifar10" if dataset == "digits" else "digits",
                                            train_size=333),
                   model=replace(d.model, arch="simple_cnn", batchnorm=not d.model.batchnorm, dropout=0.35),
                   train=replace(d.train, epochs=7, batch_size=100, optimizer="nesterov", lr=0.0123,
                                 weight_decay=0.002, scheduler="cosine", patience=3, class_weights=True,
                                 augment=replace(d.train.augment, crop_padding=3, rotate_deg=12.5, hflip=True)))


CHANGED["cnn_lab"], CHANGED["cnn_lab_mnist"] = _changed_cnn("digits"), _changed_cnn("mnist")


@pytest.mark.parametrize("page", sorted(PAGE_BINDINGS))
def test_every_page_binding_is_complete_and_well_typed(page):
    assert PAGE_BINDINGS[page].check() == []


@pytest.mark.parametrize("page", sorted(PAGE_BINDINGS))
def test_a_link_reproduces_every_linked_setting_of_every_page(page):
    b, config = PAGE_BINDINGS[page], CHANGED[page]
    changed = {name for name, value in b.values(config).items() if value != b.values(b.default)[name]}
    assert changed == set(b.params)  # the case really moves every linked field
    values, problems = b.decode(b.encode(config))
    assert problems == [] and values == b.values(config)
    assert b.values(b.config(values)) == b.values(config)


@pytest.mark.parametrize("page", sorted(PAGE_BINDINGS))
def test_garbage_in_any_parameter_falls_back_to_the_default_with_a_notice(page):
    b = PAGE_BINDINGS[page]
    raw = {name: "![x](http://evil.example/x.png)" for name in b.params}
    values, problems = b.decode(raw)
    assert values == b.values(b.default)
    assert sorted(problems) == sorted(raw.items())


def test_the_activations_widgets_hold_exactly_the_link():
    values = act_url.BINDING.values(CHANGED["activations"])
    state = act_url.widget_state(values)
    assert state["act_lr_sigmoid_gd"] == 0.03 and state["act_lr_perceptron"] == act_url.FIRST_LR["perceptron"]
    assert (state["act_n_in"], state["act_x1"], state["act_w0"]) == (2, -0.25, 0.75)
    assert act_url.values_from_widgets(state) == values


def test_typed_logits_that_do_not_parse_leave_the_default_logits_in_the_link():
    state = act_url.widget_state(act_url.BINDING.values(CHANGED["activations"])) | {"act_logits": "1, banana"}
    assert act_url.values_from_widgets(state)["z"] == act_url.ActivationsLink().logits


def test_a_float_list_refuses_wrong_lengths_and_out_of_range_items():
    inputs = urlstate.FloatList(-2.0, 2.0, 2, 3)
    assert inputs.parse("0.5,-2,2") == (0.5, -2.0, 2.0) and inputs.format((0.5, 0.1 + 0.2)) == "0.5,0.30000000000000004"
    for raw in ("0.5", "1,2,3,4", "1,3", "1,nan", "1,,2", ""):
        with pytest.raises(ValueError):
            inputs.parse(raw)
