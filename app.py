"""The Neural Playground router: pages grouped by topic, a language switch, an about box.

Run with `streamlit run app.py` (or `make run`). Pages are listed in core/navigation.py.
"""
import gc
import importlib

import streamlit as st


@st.cache_resource(show_spinner=False)
def _import_pages() -> bool:
    """Import every module the pages use, once per server, in one thread (the others wait).

    Why: on a fresh server, learners who open the app at the same moment have their first runs
    import the same modules in parallel script threads, and where two imports wait on each other
    Python hands one of them a half-initialised module (seen by bench.workshop with twenty
    sessions: "partially initialized module 'pandas' has no attribute 'Series'")."""
    from core.navigation import page_imports

    for name in ("pandas", "plotly.graph_objects", *page_imports()):
        importlib.import_module(name)
    # The ~220,000 objects these imports made (torch, Plotly, Streamlit) live as long as the
    # server. Frozen, the cyclic collector no longer walks them: a full collection looks only at
    # what the sessions made since (Plotly figures hold reference cycles, which only it frees), so
    # it is cheap, and it comes as often as that garbage calls for (Python runs one once the
    # objects that outlived younger collections reach a quarter of those the last one kept; the
    # collection after the freeze keeps almost none).
    gc.collect()
    gc.freeze()
    gc.collect()
    return True


_import_pages()

from core import i18n  # noqa: E402  (after the imports above)
from core.navigation import PAGES  # noqa: E402
from ui import t  # noqa: E402
from ui.live import job_runner  # noqa: E402

st.set_page_config(page_title="Neural Playground", page_icon=":material/neurology:", layout="wide")
job_runner()  # the training workers start with the first visit, not with the first Start

# The language lives in session state; a ?lang= link parameter sets it on first load.
if "lang" not in st.session_state:
    requested = st.query_params.get("lang", i18n.DEFAULT_LANGUAGE)
    st.session_state.lang = requested if requested in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE

groups: dict[str, list] = {}
for entry in PAGES:
    # The home page (url_path "") is the default page, which Streamlit serves at "/".
    url = {"url_path": entry.url_path} if entry.url_path else {"default": True}
    page = st.Page(entry.path, title=t(entry.title_key), icon=entry.icon, **url)
    groups.setdefault(t(entry.group_key), []).append(page)
current = st.navigation(groups)

with st.sidebar:
    st.selectbox(t("language"), list(i18n.LANGUAGES), format_func=i18n.LANGUAGES.get, key="lang")
    with st.expander(t("about")):
        st.caption(t("about_text"))

current.run()
