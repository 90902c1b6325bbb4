"""URL state round trip and fallbacks; CSV upload validation with messages in both languages."""
import math

import pytest
import torch

from core import urlstate
from core.topics.playground.upload import MAX_CLASSES, MAX_ROWS, BadCsv, describe_upload, parse_csv, upload_data
from core.errors import BadUpload
from core.i18n import t
from core.topics.playground.network import PlaygroundConfig
from core.topics.playground.url import URL_SPEC, config_from_values, values_from_config


def test_url_round_trip_restores_the_exact_config():
    config = PlaygroundConfig(dataset="spiral", classes=3, noise=0.2, n_points=600, train_pct=70, batch_size=25,
                              seed=42, features=("x1", "x2", "sin1", "x1x2"), hidden=(8, 3, 16),
                              activations=("relu", "tanh", "linear"), dropout=0.15, optimizer="momentum", lr=0.003,
                              reg="l1", reg_rate=0.01, loss="mse")
    values = values_from_config(config, per_layer=True, show_test=False, discretize=True, speed=7)
    query = urlstate.encode(values, URL_SPEC)
    assert all(isinstance(v, str) for v in query.values())
    decoded, problems = urlstate.decode(query, URL_SPEC)
    assert problems == []
    assert config_from_values(decoded) == config
    assert (decoded["test"], decoded["disc"], decoded["speed"], decoded["per"]) == (False, True, 7, True)


def test_choice_list_param():
    param = urlstate.ChoiceList(("a", "b"), max_len=2, default=("a",), min_len=1)
    assert param.parse("b,a") == ("b", "a") and param.format(("a", "b")) == "a,b"
    for bad in ("", "a,b,a", "c"):
        with pytest.raises(ValueError):
            param.parse(bad)


def test_default_url_is_the_default_config():
    decoded, problems = urlstate.decode({}, URL_SPEC)
    assert problems == [] and config_from_values(decoded) == PlaygroundConfig()


@pytest.mark.parametrize("name,raw", [("ds", "mnist"), ("h", "4,99"), ("h", "1,1,1,1,1,1,1"), ("lr", "nan"),
                                      ("f", "x1,x9"), ("f", ""), ("acts", "relu,swish"), ("cls", "two"),
                                      ("noise", "-1"), ("per", "yes"), ("opt", "lbfgs")])
def test_garbage_parameters_fall_back_to_defaults_and_are_reported(name, raw):
    decoded, problems = urlstate.decode({name: raw, "seed": "9"}, URL_SPEC)
    assert problems == [(name, raw)]
    assert decoded[name] == URL_SPEC[name].default and decoded["seed"] == 9
    config_from_values(decoded)  # still a valid setup


def test_global_activation_applies_to_every_layer_unless_per_layer():
    values, _ = urlstate.decode({"h": "3,3,3", "act": "relu", "acts": "tanh,sigmoid"}, URL_SPEC)
    assert config_from_values(values).activations == ("relu",) * 3
    values, _ = urlstate.decode({"h": "3,3,3", "act": "relu", "acts": "tanh,sigmoid", "per": "1"}, URL_SPEC)
    assert config_from_values(values).activations == ("tanh", "sigmoid", "sigmoid")


def _csv(rows, header="x1,x2,label") -> bytes:
    return ("\n".join([header] + [",".join(map(str, r)) for r in rows]) + "\n").encode()


def test_csv_classification_relabels_and_shuffles():
    rows = [(i * 0.1, -i * 0.1, 7 if i % 2 else 3) for i in range(20)]
    x, y, task, classes, whole = parse_csv(_csv(rows))
    assert task == "classify" and classes == whole == 2 and x.shape == (20, 2)
    assert torch.equal(y, torch.tensor([1 if i % 2 else 0 for i in range(20)]))
    data = upload_data(_csv(rows), 50, seed=0)
    assert len(data.x_train) == 10 and data.classes == 2 and data.extent >= 1.9
    assert sorted(torch.cat([data.x_train, data.x_test])[:, 0].tolist()) == sorted(x[:, 0].tolist())


def test_csv_regression_without_header():
    rows = [(i, i, i * 0.25) for i in range(12)]
    x, y, task, classes, whole = parse_csv(_csv(rows, header="").strip())
    assert task == "regress" and classes == 1 and whole == 0 and y.dtype == torch.float32
    assert y.abs().max() == pytest.approx(1.0)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_many_whole_number_labels_are_said_to_be_regression(lang):
    rows = [(i * 0.01, -i * 0.01, i) for i in range(1000)]  # 1,000 distinct integer labels
    x, y, task, classes, whole = parse_csv(_csv(rows))
    assert (task, classes, whole) == ("regress", 1, 1000)
    sentence = describe_upload(upload_data(_csv(rows), 50, 0), lang)
    assert t("pg_csv_many_labels", lang, distinct=1000, limit=MAX_CLASSES) in sentence
    few = describe_upload(upload_data(_csv([(i, i, i * 0.25) for i in range(12)]), 50, 0), lang)
    assert t("pg_csv_many_labels", lang, distinct=12, limit=MAX_CLASSES) not in few


@pytest.mark.parametrize("cell", ["1e308", "-3.5e38", "1e39"])
def test_values_that_overflow_float32_are_refused_naming_row_and_column(cell):
    assert math.isfinite(float(cell)) and math.isinf(torch.tensor(float(cell), dtype=torch.float32).item())
    with pytest.raises(BadCsv) as caught:
        parse_csv(_csv([(1, 2, 0)] * 4 + [(cell, 2, 1)] + [(1, 2, 1)] * 8))
    assert caught.value.key == "pg_csv_too_large"
    assert caught.value.fields["row"] == 5 and caught.value.fields["column"] == 1
    assert "Row 5, column 1" in str(caught.value)


def test_the_largest_float32_is_accepted():
    largest = torch.finfo(torch.float32).max
    x, *_ = parse_csv(_csv([(largest, 2, 0)] + [(1, 2, 1)] * 12))
    assert torch.isfinite(x).all() and x[0, 0].item() == largest


@pytest.mark.parametrize("raw,key", [
    (_csv([(1, 2)] * 12), "pg_csv_columns"),
    (_csv([(1, 2, 0, 5)] * 12), "pg_csv_columns"),
    (_csv([(1, "abc", 0)] + [(1, 2, 1)] * 12), "pg_csv_not_number"),
    (_csv([(1, 2, 0)] * 5 + [(1, "nan", 1)] + [(1, 2, 1)] * 6), "pg_csv_not_finite"),
    (_csv([(1, 2, "inf")] + [(1, 2, 1)] * 12), "pg_csv_not_finite"),
    (_csv([(1, 2, "1e308")] + [(1, 2, 1)] * 12), "pg_csv_too_large"),
    (_csv([(1, 2, 0)] * (MAX_ROWS + 1)), "pg_csv_too_many"),
    (_csv([(1, 2, 0)] * 3), "pg_csv_too_few"),
    (_csv([(1, 2, 0)] * 20), "pg_csv_one_class"),
    (b"\xff\xfe\x00bad", "pg_csv_not_text"),
    (b"1,2,3\n" * 100_000, "pg_csv_too_big"),
    (b"", "pg_csv_too_few"),
])
def test_bad_csv_gives_a_message_in_both_languages(raw, key):
    with pytest.raises(BadUpload) as caught:
        parse_csv(raw)
    error = caught.value
    assert isinstance(error, BadCsv) and error.key == key
    english, chinese = error.message("en"), error.message("zh")
    assert english == str(error) and english != chinese and "{" not in english + chinese
    assert english == t(key, "en", **error.fields)


def test_bad_csv_names_the_row():
    with pytest.raises(BadCsv, match="Row 3, column 2"):
        parse_csv(_csv([(1, 2, 0), (1, 2, 1), (1, "x", 0)] + [(1, 2, 1)] * 10))
