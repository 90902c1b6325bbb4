"""AppTest helpers: run a page script (or the whole app) the way Streamlit would."""
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def page_app(path: str, lang: str = "en", timeout: float = 60) -> AppTest:
    """An AppTest for one page script with the session language set (not yet run)."""
    at = AppTest.from_file(str(ROOT / path), default_timeout=timeout)
    at.session_state["lang"] = lang
    return at


@pytest.fixture
def make_page():
    """Factory fixture: `make_page("pages/x.py", lang="zh")`."""
    return page_app
