"""Below the playground: the maths it computes, the plain PyTorch script of the setup, the link to share it."""
import streamlit as st

from core.topics.playground.codegen import generate_script
from core.topics.playground.network import maths_latex
from core.topics.playground.url import share_url
from ui import t
from ui.playground.settings import Settings


def extras(chosen: Settings) -> None:
    """Three expanders: maths, code (with a download), share."""
    config, data = chosen.config, chosen.data
    with st.expander(t("pg_maths"), icon=":material/function:"):
        for text_key, formula in maths_latex(config.features):
            st.markdown(t(text_key))
            st.latex(formula)
    with st.expander(t("pg_code"), icon=":material/code:"):
        script = generate_script(config, data.task, data.classes)
        st.caption(t("pg_code_caption") + (" " + t("pg_code_caption_upload") if chosen.uploaded is not None else ""))
        st.code(script, language="python")
        st.download_button(t("pg_download_code"), script, file_name="playground_setup.py", mime="text/x-python")
    with st.expander(t("pg_share"), icon=":material/share:"):
        st.markdown(t("pg_share_text"))
        st.code(share_url(st.context.url or "", st.session_state.pg_values), language=None)
