"""AppTest helpers: run a page script (or the whole app) the way Streamlit would."""
import time

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def page_app(path: str, lang: str = "en", timeout: float = 60) -> AppTest:
    """An AppTest for one page script with the session language set (not yet run)."""
    at = AppTest.from_file(str(ROOT / path), default_timeout=timeout)
    at.session_state["lang"] = lang
    return at


@pytest.fixture(autouse=True)
def empty_job_runner():
    """Every case starts with no jobs in the server's runner: a page left training by an earlier
    case (its AppTest session simply ends) would otherwise hold a worker until the idle timeout."""
    from ui.live import job_runner
    job_runner().forget_all()
    yield
    job_runner().forget_all()


@pytest.fixture
def make_page():
    """Factory fixture: `make_page("pages/x.py", lang="zh")`."""
    return page_app


def rerun_while(at, condition, timeout: float = 120.0) -> None:
    """Rerun (as the fragment's timer would, a few times a second) while `condition(at)` holds:
    a live run trains in the job runner's workers, and each rerun reads how far it got."""
    deadline = time.monotonic() + timeout
    while condition(at):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)
        at.run()
        assert not at.exception, [e.value for e in at.exception]


def open_with_link(path: str, query: dict[str, str], lang: str = "en") -> AppTest:
    """The page opened from a link with these query parameters (run once)."""
    at = page_app(path, lang=lang)
    for name, value in query.items():
        at.query_params[name] = value
    return at.run()


def query_of(at: AppTest) -> dict[str, str]:
    """The address bar's query parameters after a run, one string each."""
    return {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def link_notices(at: AppTest) -> str:
    """Every warning on the page, joined (the "ignored the link parameter" notices among them)."""
    return " ".join(w.value for w in at.warning)
