"""Outside text (a link parameter, a CSV cell, a typed number, a name inside an uploaded file) made
safe to put into a message that Streamlit renders as Markdown: it shows as the characters it is.

    st.warning(t("bad_url_param", name=name, value=literal(value)))

Streamlit escapes raw HTML already, but Markdown in a message is live: `[text](http://...)` becomes
a link and `![x](http://...)` makes every visitor's browser fetch an image from anywhere. The value
goes into a code span, whose contents CommonMark renders verbatim, and which Streamlit's own
additions leave alone too. Backslash-escaping every punctuation character is not enough: GitHub's
autolink extension (which Streamlit uses) still turned an escaped `http\\:\\/\\/host` into a live
link in the browser test (tests/browser/test_outside_text.py). Line breaks become spaces.

One rewrite even reaches into code spans: Streamlit's frontend (1.67) turns every ":material/" in a
message's source into ":material_" before parsing (its icon syntax), so an invisible WORD JOINER
goes after that colon and the learner sees the ":material/..." they typed.
"""
import re

MAX_CHARS = 60  # a message names the bad value; it need not repeat a whole file
PATH_CHARS = 300  # but a file's path is shown whole: the learner needs all of it to find the file
WORD_JOINER = "\u2060"  # invisible, no break: keeps Streamlit from rewriting ":material/"


def literal(value: object, max_chars: int = MAX_CHARS) -> str:
    """`value` as an inline code span that Markdown shows verbatim: shortened to `max_chars` (with
    "…"), control characters and line breaks as spaces."""
    text = str(value)
    if len(text) > max_chars:
        text = text[:max_chars] + "…"
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = text.replace(":material/", ":" + WORD_JOINER + "material/")
    if not text.strip():
        return "“" + text + "”"  # an empty code span is no code span; blanks carry no markup anyway
    fence = "`" * (1 + max((len(run) for run in re.findall(r"`+", text)), default=0))
    pad = " " if text.startswith("`") or text.endswith("`") else ""  # CommonMark strips one space each side
    return f"{fence}{pad}{text}{pad}{fence}"


def shown_path(path: object) -> str:
    """A file or folder path for a message: whole, shown verbatim (a path may hold `_` or `*`)."""
    return literal(path, PATH_CHARS)
