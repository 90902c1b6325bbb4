"""2-D playground: TensorFlow Playground in real PyTorch. Data, features, network, live training, link, code."""
import streamlit as st

from core.charts.playground import boundary_figure, chart_labels, loss_figure, network_figure
from core.codegen_playground import generate_script
from core.csv_upload import MAX_ROWS, BadCsv, apply_upload, describe_upload
from core.live import LiveRun
from core.playground import ACTIVATIONS, FEATURES, LOSSES, MAX_LAYERS, MAX_NEURONS, REGULARIZERS, epochs_done
from core.playground import feature_labels, maths_latex, make_data, metric_rows, new_run, run_snapshot
from core.playground_url import LR_OPTIONS, RATE_OPTIONS, URL_SPEC, chosen_features, choice_labels
from core.playground_url import config_from_values, options_with, share_url, values_from_widgets, widget_defaults
from core.toy2d_extra import PG_DATASETS, fixed_classes, is_regression
from core.registry import OPTIMIZERS
from ui import labels, lang, read_url_state, show_error, t, write_url_state
from ui.live import LiveSpec, live_panel, remote_run

ss = st.session_state
# Animation period and the most compute seconds one frame may spend. A frame redraws three charts;
# at 0.25 s a loaded 2-core machine ran frames back to back and a Pause waited up to 2.1 s behind
# them (tests/browser/test_live_presses.py), at 0.5 s it is answered between frames.
FRAME_SECONDS, FRAME_BUDGET = 0.5, 0.2
LAYERS_PER_ROW = 3  # hidden-layer inputs per row in the network section

# Settings: from the link on the first visit, then from the widgets (keys pg_<url name>).
if "pg_values" not in ss:
    ss.pg_values = read_url_state(URL_SPEC)
for key, value in widget_defaults(ss.pg_values).items():
    ss.setdefault(key, value)
NAMES = choice_labels(lang())  # {parameter: {option: name}}, looked up by the widgets' format_func
st.title(t("page_playground"))
st.caption(t("pg_intro"))
bar = st.columns([2, 1, 1])
bar[0].slider(t("pg_speed"), 1, 100, key="pg_speed")
bar[1].toggle(t("pg_show_test"), key="pg_test")
bar[2].toggle(t("pg_discretize"), key="pg_disc")

train_row = st.columns(7)
train_row[0].select_slider(t("pg_lr"), options_with(LR_OPTIONS, ss.pg_lr), key="pg_lr")
train_row[1].selectbox(t("pg_optimizer"), list(OPTIMIZERS), key="pg_opt", format_func=labels("opt_", OPTIMIZERS).get)
train_row[2].selectbox(t("pg_activation"), list(ACTIVATIONS), key="pg_act", format_func=NAMES["act"].get,
                       disabled=ss.pg_per)
train_row[3].selectbox(t("pg_reg"), REGULARIZERS, key="pg_reg", format_func=NAMES["reg"].get)
train_row[4].select_slider(t("pg_reg_rate"), options_with(RATE_OPTIONS, ss.pg_rr), key="pg_rr",
                           disabled=ss.pg_reg == "none")
train_row[5].slider(t("pg_dropout"), 0.0, 0.9, step=0.05, key="pg_drop")
train_row[6].selectbox(t("pg_loss"), LOSSES, key="pg_loss", format_func=NAMES["loss"].get,
                       disabled=is_regression(ss.pg_ds), help=t("pg_loss_regression"))

left, right = st.columns([1, 4], gap="medium")
with left:
    st.subheader(t("pg_data"))
    st.selectbox(t("pg_dataset"), list(PG_DATASETS), key="pg_ds", format_func=NAMES["ds"].get)
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
    upload_status = st.container()  # the file's verdict, filled in once the settings are read
    st.subheader(t("pg_features"), help=t("pg_features_help"))
    for f in FEATURES:
        st.checkbox(f"${FEATURES[f].latex}$", key=f"pg_f_{f}")

with right:
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
                           format_func=NAMES["act"].get, label_visibility="collapsed")

if not chosen_features(ss):
    left.warning(t("pg_features_none"))
ss.pg_values = values = values_from_widgets(ss)
write_url_state(values, URL_SPEC)
config = config_from_values(values)

uploaded, digest = None, None
if upload is not None:
    try:
        config, uploaded, digest = apply_upload(upload.getvalue(), config)
        upload_status.success(describe_upload(uploaded, lang()))
        upload_status.caption(t("pg_upload_not_shared"))
    except BadCsv as error:
        show_error(error, where=upload_status)
        upload_status.info(t("pg_upload_fix"))
data = uploaded or make_data(config)
LABELS = chart_labels(lang())


def draw(run: LiveRun) -> None:
    """One animation frame's pictures, all from one forward pass over the grid."""
    snap = run_snapshot(run, data)
    top = st.columns([1.4, 1, 1, 1, 1])
    top[0].markdown(f"### {t('pg_epoch_counter', epoch=epochs_done(run), step=run.progress().step)}")
    for column, (label, value) in zip(top[1:], metric_rows(run.history)):
        column.metric(t(label), value)
    diagram, output = st.columns([3, 2])
    diagram.plotly_chart(network_figure(snap, feature_labels(run.setup.features), LABELS),
                         width="stretch", key="pg_network_chart", config={"displayModeBar": False})
    diagram.caption(t("pg_network_caption"))
    output.markdown(f"**{t('pg_output')}**")
    output.plotly_chart(boundary_figure(snap, data, ss.pg_test, ss.pg_disc, LABELS), width="stretch",
                        key="pg_boundary_chart", config={"displayModeBar": False})
    output.caption(t("pg_output_caption" if data.task == "classify" else "pg_output_caption_regress"))
    output.plotly_chart(loss_figure(run.history, LABELS), width="stretch", key="pg_loss_chart",
                        config={"displayModeBar": False})


# Any change of setup starts a fresh run, as in TF Playground (the panel compares `setup`). It trains
# in the job runner at `speed` steps per frame; each report brings the weights the pictures are drawn from.
# A generated set is rebuilt there from the config; an uploaded one (only in this session) travels along.
spec = LiveSpec(name="pg", setup=(config, digest),
                make_run=lambda: remote_run("playground", config, uploaded, local=new_run(config, data),
                                            ship_weights=True), draw=draw,
                slice_s=FRAME_BUDGET, every_s=FRAME_SECONDS, steps_per_slice=ss.pg_speed,
                buttons=("start", "pause", "resume", "step", "reset"))
with right:
    live_panel(spec)

with st.expander(t("pg_maths"), icon=":material/function:"):
    for text_key, formula in maths_latex(config.features):
        st.markdown(t(text_key))
        st.latex(formula)

with st.expander(t("pg_code"), icon=":material/code:"):
    script = generate_script(config, data.task, data.classes)
    st.caption(t("pg_code_caption") + (" " + t("pg_code_caption_upload") if uploaded is not None else ""))
    st.code(script, language="python")
    st.download_button(t("pg_download_code"), script, file_name="playground_setup.py", mime="text/x-python")

with st.expander(t("pg_share"), icon=":material/share:"):
    st.markdown(t("pg_share_text"))
    st.code(share_url(st.context.url or "", values), language=None)
