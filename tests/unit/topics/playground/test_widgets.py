"""The playground page's bookkeeping, done in core: URL values ↔ widget state, labels, the share link, uploads."""
from urllib.parse import parse_qs, urlsplit

import pytest

from core import urlstate
from core.urlstate import options_with
from core.topics.playground.upload import BadCsv, apply_upload, describe_upload, upload_data
from core.i18n import t
from core.topics.playground.network import ACTIVATIONS, FEATURES, MAX_LAYERS, PlaygroundConfig
from core.topics.playground.url import (LR_OPTIONS, NEW_LAYER_WIDTH, SCALAR_PARAMS, URL_SPEC, choice_labels,
                                        chosen_features, config_from_values, share_url, values_from_config,
                                        values_from_widgets, widget_defaults)
from core.topics.playground.datasets import PG_DATASETS


def _values(**query) -> dict:
    values, problems = urlstate.decode(query, URL_SPEC)
    assert problems == []
    return values


@pytest.mark.parametrize("query", [{}, {"h": "3,5,2", "per": "1", "acts": "relu,tanh,elu", "f": "x1x2,sin1"},
                                   {"h": "", "act": "gelu", "lr": "0.0007", "test": "0", "ds": "reg_plane"}])
def test_widget_state_round_trips_the_url_values(query):
    values = _values(**query)
    state = widget_defaults(values)
    assert values_from_widgets(state) == values
    # Every widget the page draws has a starting value: one per scalar, feature and possible layer.
    expected = ({f"pg_{n}" for n in SCALAR_PARAMS} | {f"pg_f_{f}" for f in FEATURES} | {"pg_layers"}
                | {f"pg_{kind}{i}" for kind in ("n", "act") for i in range(MAX_LAYERS)})
    assert set(state) == expected


def test_layers_beyond_the_link_get_a_width_and_the_implied_activation():
    state = widget_defaults(_values(h="7,3", per="1", acts="relu,sigmoid"))
    assert [state[f"pg_n{i}"] for i in range(MAX_LAYERS)] == [7, 3] + [NEW_LAYER_WIDTH] * (MAX_LAYERS - 2)
    assert [state[f"pg_act{i}"] for i in range(3)] == ["relu", "sigmoid", "sigmoid"]
    state = widget_defaults(_values(h="2", act="elu"))
    assert {state[f"pg_act{i}"] for i in range(MAX_LAYERS)} == {"elu"}


def test_widget_changes_reach_the_config():
    state = widget_defaults(_values())
    state.update(pg_layers=3, pg_n2=9, pg_per=True, pg_act1="relu", pg_f_x1=False, pg_f_sin2=True, pg_lr=0.3)
    config = config_from_values(values_from_widgets(state))
    assert config.hidden == (4, 2, 9) and config.activations == ("tanh", "relu", "tanh")
    assert config.features == ("x2", "sin2") and config.lr == 0.3
    state["pg_per"] = False  # a global activation again: the per-layer choices are not in the link
    values = values_from_widgets(state)
    assert values["acts"] == () and config_from_values(values).activations == ("tanh",) * 3


def test_features_come_back_in_the_checkbox_order():
    state = widget_defaults(_values(f="sin2,x1"))
    assert chosen_features(state) == ("x1", "sin2") == values_from_widgets(state)["f"]


def test_no_ticked_feature_falls_back_to_x1_x2():
    state = widget_defaults(_values())
    state.update({f"pg_f_{f}": False for f in FEATURES})
    assert chosen_features(state) == ()
    assert values_from_widgets(state)["f"] == ("x1", "x2")


def test_options_with_keeps_an_off_scale_value_exact():
    assert options_with(LR_OPTIONS, 0.03) == list(LR_OPTIONS)
    scale = options_with(LR_OPTIONS, 0.0007)
    assert 0.0007 in scale and scale == sorted(scale) and len(scale) == len(LR_OPTIONS) + 1


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_choice_labels_name_every_option(lang):
    labels = choice_labels(lang)
    assert set(labels["ds"]) == set(PG_DATASETS) and set(labels["act"]) == set(ACTIVATIONS)
    for name, options in labels.items():
        assert set(options) == set(URL_SPEC[name].options)
        assert all(text and not text.startswith("pg_") for text in options.values())  # every key is translated
    assert labels["ds"]["spiral"] == t("pg_ds_spiral", lang)


def test_share_url_reopens_the_same_setup():
    config = PlaygroundConfig(dataset="xor", hidden=(5, 3), activations=("relu", "relu"), lr=0.3, seed=17)
    values = values_from_config(config, per_layer=False, show_test=False)
    link = share_url("http://host:8501/playground?old=1&ds=spiral", values)
    parts = urlsplit(link)
    assert parts.path == "/playground" and "old" not in parts.query
    query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    decoded, problems = urlstate.decode(query, URL_SPEC)
    assert problems == [] and config_from_values(decoded) == config and decoded["test"] is False


def _csv(n: int = 20) -> bytes:
    return ("x1,x2,label\n" + "\n".join(f"{i * 0.1},{-i * 0.2},{i % 3}" for i in range(n)) + "\n").encode()


def test_apply_upload_swaps_in_the_file_and_keys_it():
    config = PlaygroundConfig(dataset="spiral", train_pct=70, seed=4)
    new_config, data, digest = apply_upload(_csv(), config)
    assert new_config.dataset == "upload" and new_config.seed == 4 and new_config.hidden == config.hidden
    reference = upload_data(_csv(), 70, 4)
    assert data.x_train.equal(reference.x_train) and data.classes == 3
    assert apply_upload(_csv(), config)[2] == digest != apply_upload(_csv(21), config)[2]
    with pytest.raises(BadCsv):
        apply_upload(b"x1,x2\n1,2\n", config)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_describe_upload_counts_rows_and_names_the_task(lang):
    classify = upload_data(_csv(30), 50, 0)
    sentence = describe_upload(classify, lang)
    assert "30" in sentence and t("pg_task_classify", lang, classes=3) in sentence
    regress = upload_data(("\n".join(f"{i},{i},{i * 0.37}" for i in range(12))).encode(), 50, 0)
    assert t("pg_task_regress", lang) in describe_upload(regress, lang)
