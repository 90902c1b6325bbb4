"""CNN lab: train image classifiers live (bounded slices), inspect what they learned, try them, take them home."""
from dataclasses import replace

import streamlit as st

from core import cnn_inspect as insp
from core import images
from core import cnn_lab as lab
from core.augment import AugmentConfig
from core.charts import cnn as charts
from core.codegen_cnn import script
from core.compute import compute_slot
from core.data import IMAGE_DATASETS, ImageDataConfig, dataset_status, load_images
from core.errors import BadImage, DatasetUnavailable, IncompatibleCheckpoint
from core.models import ARCHITECTURES, default_config
from core.recipes import MNIST_DEFAULT
from core.train import OPTIMIZERS, SCHEDULERS
from streamlit_drawable_canvas import st_canvas
from ui import lang, show_error, t

SLICE_S, MAX_RUNS = 0.4, 8  # compute per fragment rerun; finished runs kept per session
SIZES = [0, 200, 500, 1000, 2000, 5000, 10000, 20000]  # 0 = all training images
state = st.session_state
state.setdefault("cnn_runs", [])
state.setdefault("cnn_next_id", 1)
state.setdefault("cnn_uploads", set())


@st.cache_resource(max_entries=4, show_spinner=False)
def _data(name: str, train_size: int | None, seed: int):
    return load_images(ImageDataConfig(name, train_size, seed=seed))  # shared read-only tensors


@st.cache_resource(max_entries=16, show_spinner=False)
def _trained(key: str, _setup: lab.LabSetup):
    return lab.load_trained(_setup)  # KeyError (not cached by Streamlit) when never trained


@st.cache_data(max_entries=32, show_spinner=False)
def _summary(model_json: dict):
    return lab.model_summary(lab.ModelConfig.from_dict(model_json))


@st.cache_resource(max_entries=64, show_spinner=False)
def _fig(kind: str, *args):
    return getattr(charts, kind)(*args)  # keyed by small arrays (building a Figure is slow); never mutated


@st.cache_data(max_entries=16, show_spinner=False)
def _samples(name: str, train_size: int | None, seed: int) -> list:
    data = _data(name, train_size, seed)
    return insp.class_rows(data.denormalise(data.x_train[:2000]), data.y_train[:2000], len(data.classes), seed=seed)


@st.cache_data(max_entries=16, show_spinner=False)
def _script(setup_json: dict) -> str:
    return script(lab.LabSetup.from_dict(setup_json))


def _add(record: lab.RunRecord, notice: str) -> None:
    state.cnn_runs = (state.cnn_runs + [record])[-MAX_RUNS:]
    state.cnn_next_id += 1
    state.cnn_notice = notice


def _start(setup: lab.LabSetup, data) -> None:
    try:
        record = lab.record_from_cache(state.cnn_next_id, setup, data, *_trained(setup.key(), setup))
        _add(record, t("cnn_from_cache"))
    except KeyError:
        state.cnn_live = lab.LiveRun(setup, data)


def _labels() -> dict:
    keys = ["loss", "acc", "step", "train", "val", "batch"]
    out = {k: t(f"cnn_curve_{k}") for k in keys}
    return {**out, "accuracy": out["acc"], "true": t("cnn_col_true"), "pred": t("cnn_col_pred")}


def _live_panel() -> None:
    live = state.get("cnn_live")
    if live is None:
        return
    with compute_slot() as got_core:
        finished = live.advance(SLICE_S) if got_core else False
    if not got_core:
        st.info(t("cnn_waiting_core"), icon=":material/hourglass_top:")
    ev = live.last_step
    st.progress(live.progress, text=t("cnn_running", step=ev.step, total=live.total_steps, epoch=ev.epoch,
                                      epochs=live.setup.train.epochs, elapsed=ev.elapsed, eta=ev.eta)
                if ev else t("cnn_starting"))
    st.plotly_chart(charts.curves([("", live.history)], _labels()), key="cnn_live_curves")
    if finished:
        record = live.finish(state.cnn_next_id)
        state.cnn_live = None
        _add(record, t("cnn_done", run=record.run_id, reason=t(f"cnn_reason_{record.reason}"), steps=record.steps,
                       acc=record.test_acc))
        st.rerun()


st.title(t("page_cnn_lab"))
st.caption(t("cnn_intro"))
tabs = st.tabs([t(f"cnn_tab_{k}") for k in ("data", "model", "train", "results", "compare", "try", "export")])

with tabs[0]:
    names = list(IMAGE_DATASETS)
    default = "mnist" if dataset_status().get("mnist") else "digits"
    c1, c2, c3 = st.columns([2, 2, 1])
    name = c1.selectbox(t("cnn_dataset"), names, names.index(default), lambda k: IMAGE_DATASETS[k].title,
                        key="cnn_dataset")
    size = c2.select_slider(t("cnn_train_size"), SIZES, 0, lambda n: f"{n:,}" if n else t("cnn_all"), key="cnn_size")
    seed = int(c3.number_input(t("cnn_seed"), 0, 9999, MNIST_DEFAULT.train.seed, key="cnn_seed"))
    try:
        with st.spinner(t("loading")):
            data = _data(name, size or None, seed)
    except DatasetUnavailable as error:
        show_error(error)
        st.button(t("cnn_use_digits"), on_click=lambda: state.update(cnn_dataset="digits"), key="cnn_to_digits")
        st.stop()
    st.caption(t("cnn_source", source=data.source, train=len(data.x_train), val=len(data.x_val), test=len(data.x_test)))
    with st.expander(t("cnn_samples"), expanded=True):
        st.image(_samples(name, size or None, seed), caption=data.classes)
    st.subheader(t("cnn_augment"))
    r_aug = MNIST_DEFAULT.train.augment
    c1, c2, c3 = st.columns(3)
    augment = AugmentConfig(c1.slider(t("cnn_crop"), 0, 4, r_aug.crop_padding, key="cnn_crop"),
                            c3.checkbox(t("cnn_flip"), r_aug.hflip, key="cnn_flip"),
                            c2.slider(t("cnn_rotate"), 0.0, 30.0, float(r_aug.rotate_deg), 5.0, key="cnn_rotate"))
    if augment.hflip and data.classes[:3] == ["0", "1", "2"]:
        st.warning(t("cnn_flip_digits"))
    if augment.active:
        x01 = data.denormalise(data.x_train[:8])
        st.image(insp.augment_preview(x01, augment, seed=seed), caption=t("cnn_augment_preview"))

with tabs[1]:
    archs = list(ARCHITECTURES)
    arch = st.selectbox(t("cnn_arch"), archs, archs.index(MNIST_DEFAULT.model.arch), lambda a: ARCHITECTURES[a].title,
                        key="cnn_arch")
    base = MNIST_DEFAULT.model if arch == MNIST_DEFAULT.model.arch else default_config(arch)
    c1, c2 = st.columns(2)
    channels, side, _ = data.image_shape
    model_cfg = replace(base, in_channels=channels, image_size=side, num_classes=len(data.classes),
                        batchnorm=c1.toggle(t("cnn_batchnorm"), base.batchnorm, key=f"cnn_bn_{arch}"),
                        dropout=c2.slider(t("cnn_dropout"), 0.0, 0.7, float(base.dropout), 0.05, key=f"cnn_do_{arch}"))
    st.markdown(t("cnn_conv_formula"))
    st.latex(r"n_{\mathrm{out}} = \left\lfloor \frac{n + 2p - k}{s} \right\rfloor + 1")
    rows, total = _summary(model_cfg.to_dict())
    st.metric(t("cnn_total_params"), f"{total:,}")
    st.dataframe(rows, hide_index=True, width="stretch", column_config={
        k: t(f"cnn_col_{'layer' if k == 'layer' else k}") for k in ("layer", "kind", "shape", "params")})

with tabs[2]:
    r = MNIST_DEFAULT.train
    c1, c2, c3 = st.columns(3)
    lrs = sorted({1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, r.lr})
    wds = sorted({0.0, 1e-5, 1e-4, 5e-4, 1e-3, 1e-2, r.weight_decay})
    train_cfg = replace(
        r, augment=augment, seed=seed,
        epochs=int(c1.number_input(t("cnn_epochs"), 1, 30, r.epochs, key="cnn_epochs")),
        batch_size=c2.select_slider(t("cnn_batch"), [16, 32, 64, 128, 256, 512], r.batch_size, key="cnn_bs"),
        optimizer=c3.selectbox(t("cnn_optimizer"), list(OPTIMIZERS), list(OPTIMIZERS).index(r.optimizer), key="cnn_opt"),
        lr=c1.select_slider(t("cnn_lr"), lrs, r.lr, key="cnn_lr"),
        weight_decay=c2.select_slider(t("cnn_wd"), wds, r.weight_decay, key="cnn_wd"),
        scheduler=c3.selectbox(t("cnn_scheduler"), list(SCHEDULERS), list(SCHEDULERS).index(r.scheduler), key="cnn_sched"),
        patience=int(c1.number_input(t("cnn_patience"), 0, 10, r.patience, key="cnn_patience")),
        class_weights=c2.checkbox(t("cnn_class_weights"), r.class_weights, key="cnn_cw"))
    setup = lab.LabSetup(ImageDataConfig(name, size or None, seed=seed), model_cfg,
                         lab.with_eval_every(train_cfg, len(data.x_train)), seed)
    state.cnn_setup = setup  # what Start would train (read by tests)
    st.markdown(t("cnn_loss_formula"))
    st.latex(r"p_i = \frac{e^{z_i}}{\sum_j e^{z_j}} \qquad "
             r"\mathcal{L} = -\frac{1}{B}\sum_{b=1}^{B} w_{y_b}\,\log p_{y_b}")
    running = state.get("cnn_live") is not None
    c1, c2, _ = st.columns([1, 1, 3])
    c1.button(t("cnn_start"), on_click=_start, args=(setup, data), disabled=running, type="primary", key="cnn_start")
    c2.button(t("cnn_stop"), on_click=lambda: state.get("cnn_live") and setattr(state.cnn_live, "stop_requested", True), disabled=not running, key="cnn_stop")
    if state.get("cnn_notice"):
        st.success(state.cnn_notice)
    st.fragment(run_every=0.5 if running else None)(_live_panel)()
    if not running and state.cnn_runs:
        st.plotly_chart(_fig("curves", [("", state.cnn_runs[-1].history.to_dict())], _labels()), key="cnn_last_curves")

runs = {rec.run_id: rec for rec in reversed(state.cnn_runs)}  # newest first
rec = None
with tabs[3]:
    if not runs:
        st.info(t("cnn_no_runs"))
    else:
        rec = runs[st.selectbox(t("cnn_run"), list(runs), 0, lambda i: runs[i].label())]
        rdata = _data(rec.setup.data.name, rec.setup.data.train_size, rec.setup.data.seed)
        classes = rdata.classes
        cm = insp.confusion(rdata.y_test, rec.test_pred, len(classes))
        c1, c2 = st.columns([1, 3])
        c1.metric(t("cnn_test_acc"), f"{rec.test_acc:.2%}")
        normalised = c2.toggle(t("cnn_normalised"), True, key="cnn_norm")
        st.subheader(t("cnn_confusion"))
        st.plotly_chart(_fig("confusion_matrix", insp.normalise_rows(cm) if normalised else cm, classes, normalised,
                             _labels()), key="cnn_cm")
        c1, c2 = st.columns([2, 1])
        c1.markdown(f"**{t('cnn_per_class')}**")
        c1.plotly_chart(_fig("per_class_bars", insp.per_class_accuracy(cm), classes, t("cnn_curve_acc")), key="cnn_pc")
        c2.markdown(f"**{t('cnn_confused_pairs')}**")
        c2.dataframe([{t("cnn_col_true"): classes[a], t("cnn_col_pred"): classes[b], t("cnn_col_count"): n}
                      for a, b, n in insp.confused_pairs(cm)], hide_index=True)
        st.subheader(t("cnn_misclassified"))
        tiles = insp.mistake_tiles(rec.test_probs, rdata)
        if tiles:
            st.image([tile[0] for tile in tiles], caption=[t("cnn_mistake_caption", true=a, pred=b, conf=p)
                                                           for _, a, b, p in tiles])
        else:
            st.info(t("cnn_no_mistakes"))
        st.subheader(t("cnn_filters"))
        if (filters := insp.filter_tile(rec.model, rdata.image_shape)) is not None:
            st.image(filters, caption=t("cnn_filters_mlp") if rec.setup.model.arch == "mlp" else None)
        st.subheader(t("cnn_feature_maps"))
        index = int(st.number_input(t("cnn_image_index"), 0, len(rdata.x_test) - 1, 0, key="cnn_fm_index"))
        tiles = insp.feature_map_tiles(rec.model, rdata, index)
        st.image([tile for tile, _ in tiles], caption=[caption for _, caption in tiles])
        if len(tiles) == 1:
            st.info(t("cnn_no_conv"))

with tabs[4]:
    if len(runs) < 2:
        st.info(t("cnn_compare_need_two"))
    else:
        picks = st.multiselect(t("cnn_compare_pick"), list(runs), list(runs)[:2], format_func=lambda i: runs[i].label(),
                               max_selections=2, key="cnn_pick")
        if len(picks) == 2:
            a, b = runs[picks[0]], runs[picks[1]]
            st.plotly_chart(_fig("curves", [(f"#{a.run_id}", a.history.to_dict()), (f"#{b.run_id}", b.history.to_dict())],
                                 _labels()), key="cnn_cmp_curves")
            diff = lab.settings_diff(a.setup, b.setup)
            if not diff:
                st.info(t("cnn_same_settings"))
            st.dataframe([{t("cnn_col_setting"): k, f"#{a.run_id}": str(va), f"#{b.run_id}": str(vb)}
                          for k, va, vb in diff], hide_index=True)

with tabs[5]:
    if rec is None:
        st.info(t("cnn_no_runs"))
    else:
        source = st.radio(t("cnn_try_source"), ["draw", "upload"], format_func=lambda k: t(f"cnn_{k}"),
                          horizontal=True, key="cnn_try_source")
        image, notes, c1, c2 = None, [], *st.columns([1, 2])
        try:
            if source == "draw":
                c1.caption(t("cnn_draw_hint"))
                with c1:
                    drawn = st_canvas(stroke_width=18, stroke_color="#FFFFFF", background_color="#000000",
                                      height=224, width=224, drawing_mode="freedraw", return_image_data=True,
                                      key="cnn_canvas")
                rgba = drawn.image_data if drawn is not None else None
                if rgba is not None and rgba[..., :3].max() > 0:  # white ink drawn on the black canvas
                    image = images.canvas_to_image(rgba)
            elif (upload := c1.file_uploader(t("cnn_upload"), type=images.UPLOAD_EXTENSIONS,
                                             key="cnn_image_up")) is not None:
                image, notes = images.read_image_with_notes(upload.getvalue())
            if image is not None:
                prepared = lab.prepare_input(image, rec.setup.data.name, rdata.image_shape)
                probs = lab.predict_image(rec, rdata, prepared).numpy()
                c2.markdown(f"**{t('cnn_steps')}**")
                c2.image([insp.mosaic(img[None], 1, max(1, 84 // img.shape[0]), 0, False) for _, img in prepared.steps],
                         caption=[t(f"img_step_{n}") for n, _ in prepared.steps])
                c2.latex(r"x' = \frac{x - \mu}{\sigma},\quad \mu = %.3f,\ \sigma = %.3f" % (rdata.mean[0], rdata.std[0]))
                for note in notes + (["cnn_inverted"] if prepared.inverted else []):
                    c2.caption(t(note))
                best = int(probs.argmax())
                st.subheader(t("cnn_prediction", label=classes[best], p=float(probs[best])))
                st.plotly_chart(charts.probability_bars(probs, classes, t("cnn_probability")), key="cnn_probs")
        except BadImage as error:
            st.error(images.image_error_text(error, lang()), icon=":material/error:")

with tabs[6]:
    if rec is not None:
        st.download_button(t("cnn_download"), lambda record=rec: lab.weights_download(record),  # made on click
                           f"cnn_lab_run{rec.run_id}.safetensors", "application/octet-stream", on_click="ignore",
                           key="cnn_download")
    weights = st.file_uploader(t("cnn_upload_weights"), type=["safetensors"], key="cnn_weights_up")
    if weights is not None and weights.file_id not in state.cnn_uploads:
        try:
            record = lab.record_from_upload(state.cnn_next_id, weights.getvalue(),
                                            lambda d: _data(d.name, d.train_size, d.seed))
            state.cnn_uploads.add(weights.file_id)
            _add(record, t("cnn_uploaded", run=record.run_id))
            st.rerun()
        except (IncompatibleCheckpoint, DatasetUnavailable) as error:
            show_error(error)
    with st.expander(t("cnn_code")):
        st.code(_script(setup.to_dict()), language="python")
