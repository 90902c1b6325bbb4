"""core/errors.py: every expected failure carries an i18n key, and renders in the learner's language.

Two checks: (1) every key the code names literally (t("..."), an error or Phrase built with a
literal key) exists in both languages, found by reading the source of pages/, ui/ and core/;
(2) one real failure of each error class, made through the code that raises it, renders in
Chinese with no English sentence left in it (code spans, which hold outside text and names such
as `PLAYGROUND_OFFLINE`, are set aside first).
"""
import ast
import re

import pytest
import torch

from core import errors, i18n
from core.topics.activations.functions import parse_numbers
from core.topics.backprop import parse_hidden
from core.checkpoints import check_compatible, read_checkpoint
from core.topics.playground.upload import parse_csv
from core.data import ImageDataConfig, load_images
from core.idx import read_idx
from core.images import read_image
from core.jobs import JobRefused
from tests.conftest import ROOT

# Calls whose first argument is an i18n key: t / i18n.t, every error class, Phrase (JobRefused takes
# a reason, which it makes into "live_refused_<reason>").
KEYED_CALLS = {"t", "Phrase", "BadCsv", *(cls.__name__ for cls in errors.PlaygroundError.__subclasses__())} - {
    "JobRefused"}
SOURCES = sorted(p for folder in ("pages", "ui", "core") for p in (ROOT / folder).rglob("*.py")
                 if "locales" not in p.parts)


def literal_keys() -> dict[str, str]:
    """Every key the app's source passes as a plain string literal → the first file naming it
    (read with ast: keys in docstrings and prefixes such as t("bp_col_" + name) are not calls' keys)."""
    found: dict[str, str] = {}
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            if name in KEYED_CALLS:
                found.setdefault(node.args[0].value, str(path.relative_to(ROOT)))
    return found


def test_the_source_scan_finds_the_keys_it_should():
    keys = literal_keys()
    # one of each form: a page's t(), an error class, a phrase, ui's t()
    assert {"act_bad_logits", "err_idx_magic", "err_download_off", "live_queued_next"} <= set(keys), sorted(keys)[:20]
    assert len(keys) > 200


def test_every_literal_key_exists_in_both_languages():
    tables = i18n.tables()
    missing = {(key, lang): where for key, where in literal_keys().items() for lang in i18n.LANGUAGES
               if key not in tables[lang]}
    assert missing == {}


def english_left(text: str) -> list[str]:
    """Lowercase English words of 3+ letters outside code spans (a sentence left untranslated)."""
    return re.findall(r"(?<![\w\\])[a-z]{3,}\b", re.sub(r"(`+).*?\1", " ", text))


def _raised(make) -> errors.PlaygroundError:
    with pytest.raises(errors.PlaygroundError) as caught:
        make()
    return caught.value


def _garbage_idx(tmp_path):
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(b"not an idx file at all")
    read_idx(path)


def _csv_with_a_word():
    rows = ["x1,x2,label"] + ["1,2,0", "2,1,1"] * 6 + ["1,two,0"]
    parse_csv(("\n".join(rows) + "\n").encode())


def _mismatched_weights():
    check_compatible(torch.nn.Linear(2, 1), {"weight": torch.zeros(3, 2), "extra": torch.zeros(1)})


FAILURES = {
    "DatasetUnavailable (missing, offline)": lambda tmp: load_images(ImageDataConfig("fashion_mnist")),
    "DatasetUnavailable (corrupt file)": _garbage_idx,
    "BadImage": lambda tmp: read_image(b"GIF89a garbage"),
    "BadCsv": lambda tmp: _csv_with_a_word(),
    "IncompatibleCheckpoint (pickle)": lambda tmp: read_checkpoint(b"\x80\x04" + b"\x00" * 20),
    "IncompatibleCheckpoint (mismatch)": lambda tmp: _mismatched_weights(),
    "BadNumbers": lambda tmp: parse_numbers("2, one"),
    "BadNetwork": lambda tmp: parse_hidden("two"),
}


@pytest.mark.parametrize("name", list(FAILURES))
def test_each_error_renders_in_chinese_with_no_english_sentence(name, tmp_path):
    error = _raised(lambda: FAILURES[name](tmp_path))
    chinese, english = error.message("zh"), error.message("en")
    assert chinese != english and str(error) == english
    assert re.search(r"[\u4e00-\u9fff]", chinese), chinese
    assert len(english_left(chinese)) < 3, (english_left(chinese), chinese)
    assert len(english_left(english)) >= 2  # the check can see English: the English message has it


def test_a_refused_job_renders_in_both_languages():
    refused = JobRefused("session_full", 3)
    assert refused.reason == "session_full" and "3" in refused.message("zh") and "3" in str(refused)
    assert len(english_left(refused.message("zh"))) < 3


def test_phrases_and_lists_inside_a_message_are_translated():
    error = errors.DatasetUnavailable("err_dataset_missing", title="MNIST",
                                      where=[errors.Phrase("err_looked_folder", folder="`/a/`"),
                                             errors.Phrase("err_looked_download", folder="`/b`",
                                                           why=errors.Phrase("err_download_off"))])
    zh = error.message("zh")
    assert "`/a/`；下载到 `/b`：下载已关闭" in zh
    assert "`/a/`; download into `/b`: downloads are off" in str(error)
