"""Outside text stays text: core.text.literal, and every message that quotes a link parameter, a CSV
cell, a typed number, typed layer sizes or a name inside an uploaded file, rendered by a real
CommonMark renderer (markdown-it-py) in both languages. Streamlit's own extensions (`:red[...]`,
`:material/...:`, `$...$`, bare-URL links) are not CommonMark: tests/browser/test_outside_text.py
checks those in the real app."""
import html
import re

import pytest
import torch
from markdown_it import MarkdownIt

from core import i18n

from core.topics import backprop
from core.topics.activations.functions import BadNumbers, parse_numbers
from core.checkpoints import check_compatible, read_checkpoint
from core.topics.playground.upload import BadCsv, parse_csv
from core.errors import IncompatibleCheckpoint
from core.text import MAX_CHARS, WORD_JOINER, literal

PAYLOADS = [
    "[click me](http://evil.example/)",
    "![x](http://evil.example/pixel.png)",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "**bold** _it_ `code` ~~gone~~",
    "x\n# Heading\n\n    code block",
    "<http://evil.example/auto>",
    "http://evil.example/bare",
    "1. item",
    "&amp; &lt;",
    "a\\*b",
    "| a | b |",
]
MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])  # with GitHub's tables and ~~


def rendered(markdown: str) -> tuple[str, str]:
    """(HTML, its visible text) of `markdown` as a GFM renderer shows it (the invisible word
    joiner that keeps Streamlit's ":material/" rewrite away dropped)."""
    out = MARKDOWN.render(markdown).replace(WORD_JOINER, "")
    return out, html.unescape(re.sub(r"<[^>]+>", "", out)).strip()


def visible(value: str) -> str:
    """What a reader should see for `value`: the same characters, line breaks as spaces."""
    return re.sub(r"\s", " ", value)


def assert_literal(message: str, payload: str) -> None:
    """`payload` shows as its characters: inside code spans, with no other markup made of it."""
    out, text = rendered(message)
    assert not re.search(r"<(a|img|script|strong|em|pre|h\d|del|s|table|ol|ul|li)\b", out), out
    assert visible(payload[:MAX_CHARS]) in text, (payload, text)
    shown = "".join(html.unescape(code) for code in re.findall(r"<code>(.*?)</code>", out, flags=re.S))
    assert visible(payload[:MAX_CHARS]) in shown, out


@pytest.mark.parametrize("payload", PAYLOADS)
def test_literal_renders_as_the_characters_themselves(payload):
    assert_literal(f"Ignored {literal(payload)} here.", payload)


def test_the_payloads_are_live_without_it():
    """The renderer does turn them into markup: otherwise the test above could not fail."""
    live = [p for p in PAYLOADS if re.search(r"<(a|img|script|strong|code|h\d|pre|ol|del)\b", rendered(p)[0])]
    assert set(PAYLOADS[:7]) | {"1. item"} <= set(live), live


def test_streamlit_markdown_extensions_sit_in_code_spans():
    """:red[...], :material/...:, $...$ and bare URLs are Streamlit / GFM additions that a code span
    keeps literal (the browser test checks them in the real app)."""
    for payload in (":red[alarm]", ":material/home:", "$x^2$", ":smile:", "http://evil.example/", "`tick` ``two``"):
        out, _ = rendered(f"See {literal(payload)}.")
        assert html.unescape(re.search(r"<code>(.*?)</code>", out).group(1)) == payload, out


def test_long_values_are_cut_and_control_characters_shown_as_spaces():
    assert literal("a" * 500) == "`" + "a" * MAX_CHARS + "…`"
    assert literal("a\x00b\x1bc\u2028d") == "`a b c d`"
    assert literal("") == "“”" and literal("  ") == "“  ”"


# ---------------------------------------------------------------- every message that quotes outside text

def _csv_error(cell: str) -> BadCsv:
    rows = ["x1,x2,label"] + ["1,2,0", "2,1,1"] * 6 + [f"1,{cell},0"]
    with pytest.raises(BadCsv) as caught:
        parse_csv(("\n".join(rows) + "\n").encode())
    return caught.value


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
@pytest.mark.parametrize("payload", PAYLOADS)
def test_messages_quoting_outside_text_show_it_literally(payload, lang):
    one_line = payload.replace("\n", " ")  # a CSV cell or a typed token holds no line break
    messages = [i18n.t("bad_url_param", lang, name="lr", value=literal(payload))]
    # A CSV cell (the csv module's quoting keeps commas and quotes inside one cell).
    error = _csv_error('"' + one_line.replace('"', '""') + '"')
    messages.append(error.message(lang))
    # A typed number on the activations page (split at commas and spaces: the first token).
    token = one_line.replace(";", " ").replace(",", " ").split()[0]
    if token:
        with pytest.raises(BadNumbers) as caught:
            parse_numbers(token + "x")
        messages.append(caught.value.message(lang))
        payload_shown = {0: payload, 1: one_line[:30], 2: token + "x"}  # a CSV message quotes 30 characters
    else:
        payload_shown = {0: payload, 1: one_line[:30]}
    for i, message in enumerate(messages):
        assert_literal(message, payload_shown[i])


@pytest.mark.parametrize("payload", PAYLOADS)
def test_typed_hidden_sizes_and_checkpoint_names_show_literally(payload):
    with pytest.raises(backprop.BadNetwork) as caught:
        backprop.parse_hidden(payload + "x")
    assert_literal(str(caught.value), (payload + "x")[:MAX_CHARS])
    model = torch.nn.Linear(2, 1)
    with pytest.raises(IncompatibleCheckpoint) as caught:
        check_compatible(model, {"weight": torch.zeros(1, 2), "bias": torch.zeros(1), payload: torch.zeros(1)})
    assert_literal(str(caught.value), payload)


def test_a_damaged_checkpoint_message_stays_text():
    with pytest.raises(IncompatibleCheckpoint) as caught:
        read_checkpoint(b"\x10\x00\x00\x00\x00\x00\x00\x00" + b'{"[x](http://e/)": 1}' + b"\x00" * 8)
    out, _ = rendered(str(caught.value))
    assert "<a" not in out
