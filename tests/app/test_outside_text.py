"""Outside text reaches the pages' messages as literal text: a link parameter, typed layer sizes and
typed numbers carrying Markdown / HTML payloads, through the real pages (AppTest), each message's
Markdown rendered by a CommonMark renderer (tests/unit/test_text.py)."""
import pytest

from tests.app.conftest import page_app
from tests.unit.test_text import assert_literal

LINK = "[click me](http://evil.example/)"
IMAGE = "![x](http://evil.example/pixel.png)"


def messages(at) -> list[str]:
    return [m.value for m in [*at.warning, *at.error]]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_garbage_link_parameter_is_quoted_as_text(lang):
    at = page_app("pages/playground.py", lang=lang)
    at.query_params.update({"lr": LINK, "opt": IMAGE})
    at.run()
    assert not at.exception
    shown = messages(at)
    assert len(shown) == 2, shown
    assert_literal(next(m for m in shown if "lr" in m), LINK)
    assert_literal(next(m for m in shown if "opt" in m), IMAGE)


def test_backprop_typed_sizes_and_link_stay_text():
    at = page_app("pages/backprop.py")
    at.query_params.update({"act": IMAGE})
    at.run()
    assert_literal(" ".join(messages(at)), IMAGE)
    at.text_input(key="bp_hidden").input(LINK).run()
    assert not at.exception
    assert_literal(at.error[0].value, LINK)


def test_typed_logits_stay_text():
    at = page_app("pages/activations.py").run()
    at.text_input(key="act_logits").input("**bold**").run()
    assert not at.exception
    assert_literal(at.error[0].value, "**bold**")
