"""Home: what the playground is, a link to every topic, and which datasets this machine has."""
import streamlit as st

from core.data import available_datasets, data_dir, dataset_status, shared_mnist_dir
from core.navigation import PAGES
from ui import t

st.title(t("app_title"))
st.markdown(f"**{t('app_tagline')}**")
st.write(t("home_intro"))

st.subheader(t("home_topics"))
topics = [p for p in PAGES if p.url_path]
for row_start in range(0, len(topics), 3):
    for column, entry in zip(st.columns(3), topics[row_start:row_start + 3]):
        with column.container(border=True):
            st.page_link(entry.path, label=t(entry.title_key), icon=entry.icon)
            st.caption(t(entry.title_key + "_blurb"))

st.subheader(t("home_data"))
st.markdown(t("home_data_text", data_dir=data_dir().resolve(), shared=shared_mnist_dir()))
status = dataset_status()
st.dataframe(
    [{t("home_col_dataset"): t(f"dataset_{key}"),
      t("home_col_status"): t("available") if status.get(key) else t("not_available"),
      t("home_col_source"): status.get(key) or "—"} for key in available_datasets()],
    hide_index=True, width="stretch")
