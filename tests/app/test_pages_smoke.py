"""Every registered page renders with no exception, in both languages, through the router (app.py).

Pages run inside app.py's st.navigation, as they do for a user: that is also what makes the home
page's st.page_link targets resolvable.
"""
import pytest
from streamlit.testing.v1 import AppTest

from core.navigation import PAGES
from tests.conftest import ROOT


def routed_app(lang: str = "en") -> AppTest:
    """The whole app, run once with the session language set (so st.navigation has registered pages)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.session_state["lang"] = lang
    return at.run()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("entry", PAGES, ids=[p.url_path or "home" for p in PAGES])
def test_page_renders_without_exception(entry, lang):
    at = routed_app(lang).switch_page(entry.path).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.main.children, "page rendered nothing"


def test_router_registers_every_page_and_switches_language():
    at = routed_app()
    assert not at.exception
    english_title = at.title[0].value
    at.sidebar.selectbox(key="lang").set_value("zh").run()
    assert not at.exception
    assert at.title[0].value != english_title  # the home page title is translated


def test_home_links_every_topic():
    at = routed_app()
    linked = {link.proto.page for link in at.get("page_link")}
    for entry in PAGES[1:]:
        assert any(entry.path in str(target) or entry.url_path in str(target) for target in linked), entry
