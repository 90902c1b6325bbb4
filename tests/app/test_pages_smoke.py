"""Every registered page renders with no exception, in both languages, and through the router."""
import pytest

from core.navigation import PAGES
from tests.app.conftest import page_app
from tests.conftest import ROOT
from streamlit.testing.v1 import AppTest


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("entry", PAGES, ids=[p.url_path or "home" for p in PAGES])
def test_page_renders_without_exception(entry, lang):
    at = page_app(entry.path, lang=lang).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.main.children, "page rendered nothing"


def test_router_registers_every_page_and_switches_language():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    english_title = at.title[0].value
    at.sidebar.selectbox(key="lang").set_value("zh").run()
    assert not at.exception
    assert at.title[0].value != english_title  # the home page title is translated


def test_home_links_every_topic():
    at = page_app("pages/home.py").run()
    linked = {link.proto.page for link in at.get("page_link")}
    for entry in PAGES[1:]:
        assert any(entry.path in str(target) or entry.url_path in str(target) for target in linked), entry
