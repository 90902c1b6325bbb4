"""The Try-it tab (draw or upload an image, see it preprocessed and classified) and the Take-it-with-you
tab (download/upload weights, the plain PyTorch code)."""
import streamlit as st
from streamlit_drawable_canvas import st_canvas

from core.topics.cnn_lab import inspection as insp
from core.topics.cnn_lab import lab
from core import images
from core.topics.cnn_lab import charts
from core.errors import BadImage, DatasetUnavailable, IncompatibleCheckpoint
from ui import show_error, t
from ui.cnn_lab import add_run, loaders

CANVAS_PX = 224  # drawing area; 18 px strokes on it shrink to about MNIST's stroke width at 28 px
STEP_PX = 84  # display width of every preprocessing step (steps differ in size; unequal widths overlapped)


def try_tab(rec: lab.RunRecord | None) -> None:
    """Draw or upload an image for the run chosen on the Results tab; a bad file gets a sentence, not a trace."""
    if rec is None:
        st.info(t("cnn_no_runs"))
        return
    st.caption(t("cnn_using_run", label=rec.label()))
    source = st.radio(t("cnn_try_source"), ["draw", "upload"], format_func=lambda k: t(f"cnn_{k}"),
                      horizontal=True, key="cnn_try_source")
    c1, c2 = st.columns([1, 2])
    try:
        image, notes = _drawing(c1, rec.setup.data.name) if source == "draw" else _upload(c1)
        if image is not None:
            _prediction(rec, image, notes, c2)
    except BadImage as error:
        show_error(error)


def _drawing(column, dataset: str) -> tuple:
    """The canvas (white ink on black, like MNIST) → (RGB image or None while empty, no notes)."""
    column.caption(t("cnn_draw_hint" if dataset in lab.DIGIT_DATASETS else "cnn_draw_hint_item"))
    with column:
        drawn = st_canvas(stroke_width=18, stroke_color="#FFFFFF", background_color="#000000", height=CANVAS_PX,
                          width=CANVAS_PX, drawing_mode="freedraw", return_image_data=True, key="cnn_canvas")
    return images.drawn_image(drawn.image_data if drawn is not None else None), []


def _upload(column) -> tuple:
    """The uploader → (RGB image or None, notes about conversions made); BadImage for an unusable file."""
    upload = column.file_uploader(t("cnn_upload"), type=images.UPLOAD_EXTENSIONS, key="cnn_image_up")
    if upload is None:
        return None, []
    return images.read_image_with_notes(upload.getvalue())


def _prediction(rec: lab.RunRecord, image, notes: list[str], column) -> None:
    """The preprocessing steps, the normalisation formula, the conversion notes, then the probability bars."""
    data = loaders.data_for(rec.setup.data)
    prepared, probs = lab.classify_image(rec, data, image)
    column.markdown(f"**{t('cnn_steps')}**")
    column.image(insp.step_tiles(prepared.steps, target=STEP_PX), width=STEP_PX,
                 caption=[t(f"img_step_{name}") for name, _ in prepared.steps])
    column.latex(lab.normalise_latex(data.mean[0], data.std[0]))
    for note in notes + (["cnn_inverted"] if prepared.inverted else []):
        column.caption(t(note))
    best = int(probs.argmax())
    st.subheader(t("cnn_prediction", label=data.classes[best], p=float(probs[best])))
    st.plotly_chart(charts.probability_bars(probs, data.classes, t("cnn_probability")), key="cnn_probs")


def export_tab(rec: lab.RunRecord | None, setup: lab.LabSetup) -> None:
    """Download the chosen run's weights; upload weights saved here (checked, never unpickled); the code."""
    state = st.session_state
    if rec is not None:
        st.caption(t("cnn_using_run", label=rec.label()))
        st.download_button(t("cnn_download"), lambda record=rec: lab.weights_download(record),  # made on click
                           f"cnn_lab_run{rec.run_id}.safetensors", "application/octet-stream", on_click="ignore",
                           key="cnn_download")
    weights = st.file_uploader(t("cnn_upload_weights"), type=["safetensors"], key="cnn_weights_up")
    if weights is not None and weights.file_id not in state.cnn_uploads:  # each file is loaded once
        try:
            record = lab.record_from_upload(state.cnn_next_id, weights.getvalue(), loaders.data_for)
            state.cnn_uploads.add(weights.file_id)
            add_run(record, t("cnn_uploaded", run=record.run_id))
            st.rerun()
        except (IncompatibleCheckpoint, DatasetUnavailable) as error:
            show_error(error)
    with st.expander(t("cnn_code")):
        st.code(loaders.code(setup.to_dict()), language="python")
