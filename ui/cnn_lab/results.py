"""The Results tab (one run: accuracy, confusion, mistakes, filters, feature maps) and the Compare tab."""
import streamlit as st

from core.topics.cnn_lab import inspection as insp
from core.topics.cnn_lab import lab
from ui import t
from ui.cnn_lab import chart_labels, loaders


def results_tab(runs: dict[int, lab.RunRecord]) -> lab.RunRecord | None:
    """Pick a run (newest first) and show what it learned; returns that run (None when there is none).

    `runs` maps run ids to records, newest first.
    """
    if not runs:
        st.info(t("cnn_no_runs"))
        return None
    rec = runs[st.selectbox(t("cnn_run"), list(runs), 0, lambda i: runs[i].label())]
    data = loaders.data_for(rec.setup.data)
    cm = insp.confusion(data.y_test, rec.test_pred, len(data.classes))
    _scores(rec, cm, data.classes)
    _mistakes(rec, data)
    st.subheader(t("cnn_filters"))
    filters = insp.filter_tile(rec.model, data.image_shape)
    if filters is not None:
        st.image(filters, caption=t("cnn_filters_mlp") if rec.setup.model.arch == "mlp" else None)
    _feature_maps(rec, data)
    return rec


def _scores(rec: lab.RunRecord, cm, classes: list[str]) -> None:
    """Test accuracy; the confusion matrix (counts or row shares); per-class accuracy; most-confused pairs."""
    c1, c2 = st.columns([1, 3])
    c1.metric(t("cnn_test_acc"), f"{rec.test_acc:.2%}")
    normalised = c2.toggle(t("cnn_normalised"), True, key="cnn_norm")
    st.subheader(t("cnn_confusion"))
    shown = insp.normalise_rows(cm) if normalised else cm
    st.plotly_chart(loaders.fig("confusion_matrix", shown, classes, normalised, chart_labels()), key="cnn_cm")
    c1, c2 = st.columns([2, 1])
    c1.markdown(f"**{t('cnn_per_class')}**")
    c1.plotly_chart(loaders.fig("per_class_bars", insp.per_class_accuracy(cm), classes, t("cnn_curve_acc")),
                    key="cnn_pc")
    c2.markdown(f"**{t('cnn_confused_pairs')}**")
    headers = (t("cnn_col_true"), t("cnn_col_pred"), t("cnn_col_count"))
    c2.dataframe(insp.confused_pair_rows(cm, classes, headers), hide_index=True)


def _mistakes(rec: lab.RunRecord, data) -> None:
    """The most confident mistakes on the test set, captioned true → predicted (confidence)."""
    st.subheader(t("cnn_misclassified"))
    tiles = insp.mistake_tiles(rec.test_probs, data)
    if not tiles:
        st.info(t("cnn_no_mistakes"))
        return
    st.image([tile for tile, _, _, _ in tiles],
             caption=[t("cnn_mistake_caption", true=a, pred=b, conf=p) for _, a, b, p in tiles])


def _feature_maps(rec: lab.RunRecord, data) -> None:
    """A test image chosen by index, then the maps of every convolution for it."""
    st.subheader(t("cnn_feature_maps"))
    index = int(st.number_input(t("cnn_image_index"), 0, len(data.x_test) - 1, 0, key="cnn_fm_index"))
    tiles = insp.feature_map_tiles(rec.model, data, index)
    st.image([tile for tile, _ in tiles], caption=[caption for _, caption in tiles])
    if len(tiles) == 1:  # only the input image: nothing convolved it
        st.info(t("cnn_no_conv"))


def compare_tab(runs: dict[int, lab.RunRecord]) -> None:
    """Two runs' curves overlaid and the settings in which they differ."""
    if len(runs) < 2:
        st.info(t("cnn_compare_need_two"))
        return
    ids = list(runs)
    state = st.session_state
    # The two newest runs until the learner picks (then their picks, less any run let go: MAX_RUNS),
    # so the comparison follows new runs instead of staying on the oldest or going blank.
    chosen = state.get("cnn_pick_chosen") and any(i in runs for i in state.get("cnn_pick", []))
    state.cnn_pick = [i for i in state.cnn_pick if i in runs] if chosen else ids[:2]
    picks = st.multiselect(t("cnn_compare_pick"), ids, format_func=lambda i: runs[i].label(),
                           max_selections=2, key="cnn_pick", on_change=lambda: state.update(cnn_pick_chosen=True))
    if len(picks) != 2:
        return
    a, b = runs[picks[0]], runs[picks[1]]
    both = [(f"#{a.run_id}", a.history.to_dict()), (f"#{b.run_id}", b.history.to_dict())]
    st.plotly_chart(loaders.fig("curves", both, chart_labels()), key="cnn_cmp_curves")
    rows = lab.settings_rows(a, b, t("cnn_col_setting"))
    if not rows:
        st.info(t("cnn_same_settings"))
    st.dataframe(rows, hide_index=True)
