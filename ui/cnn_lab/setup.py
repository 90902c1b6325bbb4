"""The Data and Model tabs: which images (with a preview of the augmentation) and which network."""
import streamlit as st

from core.topics.cnn_lab import inspection as insp
from core.topics.cnn_lab import lab
from core.augment import AugmentConfig
from core.data import IMAGE_DATASETS, ImageData, ImageDataConfig
from core.errors import DatasetUnavailable
from core.models import ARCHITECTURES, ModelConfig
from core.urlstate import options_with
from ui import labels, show_error, t
from ui.cnn_lab import loaders


def data_tab() -> tuple[ImageDataConfig, ImageData, AugmentConfig]:
    """Dataset, subset size and seed; the samples of each class; the augmentation and its preview.

    Stops the script (after offering the offline digits) when the chosen dataset is not on disk.
    """
    names = list(IMAGE_DATASETS)
    c1, c2, c3 = st.columns([2, 2, 1])
    # Every widget starts from session state (ui.cnn_lab.init_state fills it from the link), so no defaults here.
    name = c1.selectbox(t("cnn_dataset"), names, format_func=labels("dataset_", names).get, key="cnn_dataset")
    size = c2.select_slider(t("cnn_train_size"), options_with(lab.TRAIN_SIZES, st.session_state.cnn_size),
                            format_func=lambda n: f"{n:,}" if n else t("cnn_all"), key="cnn_size")
    seed = int(c3.number_input(t("cnn_seed"), 0, 9999, key="cnn_seed"))
    config = ImageDataConfig(name, size or None, seed=seed)  # size 0 means every training image
    try:
        with st.spinner(t("loading")):
            data = loaders.data_for(config)
    except DatasetUnavailable as error:
        show_error(error)
        st.button(t("cnn_use_digits"), on_click=lambda: st.session_state.update(cnn_dataset="digits"),
                  key="cnn_to_digits")
        st.stop()
    st.caption(t("cnn_source", source=data.source, train=len(data.x_train), val=len(data.x_val),
                 test=len(data.x_test)))
    with st.expander(t("cnn_samples"), expanded=True):
        st.image(loaders.samples(name, size or None, seed), caption=data.classes)
    return config, data, _augmentation(data, seed)


def _augmentation(data: ImageData, seed: int) -> AugmentConfig:
    """Crop padding, rotation and flip; a warning when flipping digits; real images before and after."""
    st.subheader(t("cnn_augment"))
    c1, c2, c3 = st.columns(3)
    augment = AugmentConfig(
        crop_padding=c1.slider(t("cnn_crop"), 0, 4, key="cnn_crop"),
        hflip=c3.checkbox(t("cnn_flip"), key="cnn_flip"),
        rotate_deg=c2.slider(t("cnn_rotate"), 0.0, 30.0, step=5.0, key="cnn_rotate"))
    if lab.flip_mirrors_digits(augment, data.classes):
        st.warning(t("cnn_flip_digits"))
    if augment.active:
        st.image(insp.dataset_augment_preview(data, augment, seed=seed), caption=t("cnn_augment_preview"))
    return augment


def model_tab(data: ImageData) -> ModelConfig:
    """Architecture, BatchNorm and Dropout (remembered per architecture); the conv formula; the summary."""
    archs = list(ARCHITECTURES)
    arch = st.selectbox(t("cnn_arch"), archs, format_func=labels("arch_", archs).get, key="cnn_arch")
    base = lab.base_model(arch)
    st.session_state.setdefault(f"cnn_bn_{arch}", base.batchnorm)  # the link set them for its own architecture
    st.session_state.setdefault(f"cnn_do_{arch}", float(base.dropout))
    c1, c2 = st.columns(2)
    batchnorm = c1.toggle(t("cnn_batchnorm"), key=f"cnn_bn_{arch}")
    dropout = c2.slider(t("cnn_dropout"), 0.0, 0.7, step=0.05, key=f"cnn_do_{arch}")
    config = lab.fit_model(base, data.image_shape, len(data.classes), batchnorm, dropout)
    st.markdown(t("cnn_conv_formula"))
    st.latex(lab.CONV_OUTPUT_LATEX)
    rows, total = loaders.summary(config.to_dict())
    st.metric(t("cnn_total_params"), f"{total:,}")
    st.caption(t("cnn_summary"))
    st.dataframe(rows, hide_index=True, width="stretch", height=35 * (len(rows) + 1) + 3,  # every row, no scroll
                 column_config={k: t(f"cnn_col_{k}") for k in ("layer", "kind", "shape", "params")})
    return config
