"""Streamlit helpers shared by the pages: language, messages, URL parameters.

This is the only UI code outside pages/ and app.py; core/ never imports it.
"""
import streamlit as st

from core import i18n, urlstate
from core.errors import PlaygroundError
from core.text import literal


def _leave_legacy_multipage_mode() -> None:
    """Route even the very first deep link through app.py.

    Until app.py has called st.navigation once in this server process, Streamlit treats a `pages/`
    folder as its old multipage mode and runs a linked page script directly (no router, no
    language switch). The first page to import this module switches that mode off and reruns.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def lang() -> str:
    """The language chosen in the sidebar (session-wide), English by default."""
    value = st.session_state.get("lang", i18n.DEFAULT_LANGUAGE)
    return value if value in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def t(key: str, **fields) -> str:
    """Translate `key` into the session's language."""
    return i18n.t(key, lang(), **fields)


def labels(prefix: str, keys) -> dict[str, str]:
    """{key: translated label} fixed at this run's language, for a widget's format_func (`.get`).

    A dict, not a function of the session: Streamlit's testing harness calls format_func outside
    the script run, where the session's language is not known.
    """
    return {k: t(f"{prefix}{k}") for k in keys}


def show_error(error: PlaygroundError, offer_offline: bool = False, where=st) -> None:
    """Show an expected failure in the learner's language (never a traceback), in `where` (a
    container or placeholder; the page by default)."""
    where.error(error.message(lang()), icon=":material/error:")
    if offer_offline:
        st.info(t("use_offline_instead"), icon=":material/wifi_off:")


def read_url_state(spec: dict[str, urlstate.Param]) -> dict:
    """Typed values from the page's query parameters; bad ones fall back with a visible notice."""
    raw = {name: st.query_params[name] for name in spec if name in st.query_params}
    values, problems = urlstate.decode(raw, spec)
    for name, value in problems:
        st.warning(t("bad_url_param", name=name, value=literal(value)), icon=":material/link_off:")
    return values


def write_url_state(values: dict, spec: dict[str, urlstate.Param]) -> None:
    """Put the current settings into the URL (only the keys in `spec`; others are kept)."""
    encoded = urlstate.encode(values, spec)
    changed = {k: v for k, v in encoded.items() if st.query_params.get(k) != v}
    if changed:
        st.query_params.update(changed)


# Last, once every name above exists: the rerun this may raise ends this import, and a session
# whose first run imported `ui` at the same moment must not find a half-made module without `t`
# (seen by bench.workshop on a fresh server: "cannot import name 't' from 'ui'").
_leave_legacy_multipage_mode()
