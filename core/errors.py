"""Expected failures, each with a sentence a learner can act on, in the learner's language.

    raise DatasetUnavailable("err_idx_magic", path=literal(path))
    ...
    except PlaygroundError as error:
        show_error(error)               # ui: error.message(lang()), never a traceback

An error carries an i18n key and the fields that fill it; `message(lang)` is the sentence in that
language and `str(error)` the English one (logs, tests). Fields that come from outside (a file
name, a typed value, a name inside an upload) are passed through core.text.literal by whoever
raises, so they show as the characters they are. Every key lives in core/locales (most in
errors.py) in both languages; a test renders each error in Chinese and looks for English left in it.
"""
from core import i18n


class PlaygroundError(Exception):
    """Base class: an i18n `key` and its `fields`; `message(lang)` renders them."""

    def __init__(self, key: str, **fields):
        self.key, self.fields = key, fields
        super().__init__(self.message(i18n.DEFAULT_LANGUAGE))

    def message(self, lang: str) -> str:
        """The sentence in `lang` (its fields already safe to show as Markdown)."""
        return i18n.t(self.key, lang, **{k: _in(lang, v) for k, v in self.fields.items()})


class Phrase:
    """A field that is itself a translated phrase (e.g. the reason a download failed)."""

    def __init__(self, key: str, **fields):
        self.key, self.fields = key, fields

    def render(self, lang: str) -> str:
        return i18n.t(self.key, lang, **{k: _in(lang, v) for k, v in self.fields.items()})


def _in(lang: str, value):
    """A field's value for `lang`: a phrase translated, a list's items rendered and joined."""
    if isinstance(value, Phrase):
        return value.render(lang)
    if isinstance(value, (list, tuple)):
        return i18n.t("err_list_separator", lang).join(str(_in(lang, v)) for v in value)
    return value


class DatasetUnavailable(PlaygroundError):
    """A dataset's files are missing, corrupt or could not be downloaded."""


class BadImage(PlaygroundError):
    """An uploaded or drawn image cannot be used."""


class BadUpload(PlaygroundError):
    """An uploaded file (CSV, weights, ...) is malformed or too large."""


class IncompatibleCheckpoint(PlaygroundError):
    """Saved weights do not fit the model they are loaded into."""


class BadNumbers(PlaygroundError):
    """Typed numbers (logits, a range, a temperature) cannot be used."""


class BadNetwork(PlaygroundError):
    """A network's settings (layers, names, learning rate) cannot be used."""
