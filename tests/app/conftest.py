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
