"""core/urlstate.py: settings ⇄ query strings; bad values fall back to defaults and are reported."""
import math

import pytest

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
