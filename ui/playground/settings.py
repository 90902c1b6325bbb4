"""The playground's settings: every widget, read into one config (written to the URL) and its data."""
from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from core.registry import OPTIMIZERS
from core.topics.playground.datasets import PG_DATASETS, fixed_classes, is_regression
from core.topics.playground.network import (ACTIVATIONS, FEATURES, LOSSES, MAX_LAYERS, MAX_NEURONS, REGULARIZERS,
                                            PlaygroundConfig, PlaygroundData, make_data)
from core.topics.playground.upload import MAX_ROWS, BadCsv, apply_upload, describe_upload
from core.topics.playground.url import (LR_OPTIONS, RATE_OPTIONS, URL_SPEC, choice_labels, chosen_features,
                                        config_from_values, values_from_widgets)
from core.urlstate import options_with
from ui import labels, lang, show_error, t, write_url_state

LAYERS_PER_ROW = 3  # hidden-layer inputs per row in the network section


@dataclass
class Settings:
    config: PlaygroundConfig         # what the widgets say (the uploaded file's task and classes applied)
    data: PlaygroundData             # generated from the config, or the uploaded file's points
    uploaded: PlaygroundData | None  # the uploaded file's points (they live only in this session)
    digest: str | None               # names the uploaded file, so a new file restarts the run
    right: DeltaGenerator            # the network column, where the live run is drawn


def _top_rows(names: dict) -> None:
    ss = st.session_state
    bar = st.columns([2, 1, 1])
    bar[0].slider(t("pg_speed"), 1, 100, key="pg_speed")
    bar[1].toggle(t("pg_show_test"), key="pg_test")
    bar[2].toggle(t("pg_discretize"), key="pg_disc")
    row = st.columns(7)
    row[0].select_slider(t("pg_lr"), options_with(LR_OPTIONS, ss.pg_lr), key="pg_lr")
    row[1].selectbox(t("pg_optimizer"), list(OPTIMIZERS), key="pg_opt", format_func=labels("opt_", OPTIMIZERS).get)
    row[2].selectbox(t("pg_activation"), list(ACTIVATIONS), key="pg_act", format_func=names["act"].get,
                     disabled=ss.pg_per)
    row[3].selectbox(t("pg_reg"), REGULARIZERS, key="pg_reg", format_func=names["reg"].get)
    row[4].select_slider(t("pg_reg_rate"), options_with(RATE_OPTIONS, ss.pg_rr), key="pg_rr",
                         disabled=ss.pg_reg == "none")
    row[5].slider(t("pg_dropout"), 0.0, 0.9, step=0.05, key="pg_drop")
    row[6].selectbox(t("pg_loss"), LOSSES, key="pg_loss", format_func=names["loss"].get,
                     disabled=is_regression(ss.pg_ds), help=t("pg_loss_regression"))


def _data_column(names: dict):
    """The data widgets; returns (the uploaded file or None, the container for its verdict)."""
    ss = st.session_state
    st.subheader(t("pg_data"))
    st.selectbox(t("pg_dataset"), list(PG_DATASETS), key="pg_ds", format_func=names["ds"].get)
    fixed = fixed_classes(ss.pg_ds)
    st.slider(t("pg_classes"), 2, 5, key="pg_cls", disabled=fixed, help=t("pg_classes_fixed") if fixed else None)
    st.slider(t("pg_noise"), 0.0, 0.5, step=0.01, key="pg_noise")
    st.slider(t("pg_points"), 50, 1000, step=50, key="pg_n")
    st.slider(t("pg_train_ratio"), 10, 90, step=5, key="pg_train")
    st.slider(t("pg_batch"), 1, 100, key="pg_bs")
    st.number_input(t("seed"), 0, 99999, key="pg_seed")
    with st.expander(t("pg_upload"), icon=":material/upload_file:"):
        upload = st.file_uploader(t("pg_upload"), type=["csv", "txt"], key="pg_csv", label_visibility="collapsed",
                                  help=t("pg_upload_help", rows=MAX_ROWS))
        st.caption(t("pg_upload_help", rows=MAX_ROWS))
    status = st.container()  # the file's verdict, filled in once the settings are read
    st.subheader(t("pg_features"), help=t("pg_features_help"))
    for f in FEATURES:
        st.checkbox(f"${FEATURES[f].latex}$", key=f"pg_f_{f}")
    return upload, status


def _network_column(names: dict) -> None:
    ss = st.session_state
    head = st.columns([1, 1, 1.5], vertical_alignment="bottom")
    head[0].subheader(t("pg_network"))
    head[1].number_input(t("pg_layers"), 0, MAX_LAYERS, key="pg_layers")
    head[2].toggle(t("pg_per_layer"), key="pg_per")
    # A few layers per row: Streamlit hides a number input's +/- buttons below 7.5rem (120 px) of width.
    cells = [cell for _ in range(0, ss.pg_layers, LAYERS_PER_ROW) for cell in st.columns(LAYERS_PER_ROW)]
    for i, cell in zip(range(ss.pg_layers), cells):
        cell.number_input(t("pg_neurons", i=i + 1), 1, MAX_NEURONS, key=f"pg_n{i}")
        if ss.pg_per:
            cell.selectbox(t("pg_activation"), list(ACTIVATIONS), key=f"pg_act{i}",
                           format_func=names["act"].get, label_visibility="collapsed")


def settings() -> Settings:
    """Draw every setting, write them to the URL and build the config and its data."""
    ss = st.session_state
    names = choice_labels(lang())  # {parameter: {option: name}}, looked up by the widgets' format_func
    _top_rows(names)
    left, right = st.columns([1, 4], gap="medium")
    with left:
        upload, status = _data_column(names)
    with right:
        _network_column(names)
    if not chosen_features(ss):
        left.warning(t("pg_features_none"))
    ss.pg_values = values = values_from_widgets(ss)
    write_url_state(values, URL_SPEC)
    config = config_from_values(values)
    uploaded, digest = None, None
    if upload is not None:
        try:
            config, uploaded, digest = apply_upload(upload.getvalue(), config)
            status.success(describe_upload(uploaded, lang()))
            status.caption(t("pg_upload_not_shared"))
        except BadCsv as error:
            show_error(error, where=status)
            status.info(t("pg_upload_fix"))
    return Settings(config, uploaded or make_data(config), uploaded, digest, right)
