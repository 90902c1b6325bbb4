"""User-visible text in English and Simplified Chinese: `t("key", lang)`.

Each topic keeps its strings in `core/topics/<topic>/strings.py` (shared ones in `core/locales/`):
two dicts, `EN` and `ZH`, with the same keys (a test checks that). Strings may contain `{name}` fields:
`t("epoch_of", "en", epoch=2, total=5)`.
"""
import importlib
import os
import pkgutil
from functools import lru_cache
from pathlib import Path

import core.locales
import core.topics

LANGUAGES = {"en": "English", "zh": "简体中文"}
DEFAULT_LANGUAGE = "en"


def string_modules() -> list[str]:
    """Every module holding strings: core/locales/*.py (shared) and core/topics/<topic>/strings.py."""
    shared = [f"core.locales.{m.name}" for m in pkgutil.iter_modules(core.locales.__path__)]
    topics = [f"core.topics.{m.name}.strings" for m in pkgutil.iter_modules(core.topics.__path__) if m.ispkg
              and (Path(core.topics.__path__[0]) / m.name / "strings.py").exists()]
    return sorted(shared + topics)


@lru_cache(maxsize=1)
def tables() -> dict[str, dict[str, str]]:
    """All string modules merged: {"en": {...}, "zh": {...}}. A key defined twice is an error."""
    merged: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    owner: dict[str, str] = {}
    for name in string_modules():
        module = importlib.import_module(name)
        for lang, table in (("en", module.EN), ("zh", module.ZH)):
            for key, text in table.items():
                if lang == "en" and key in owner:
                    raise KeyError(f"i18n key {key!r} is defined in both {owner[key]} and {name}")
                owner.setdefault(key, name)
                merged[lang][key] = text
    return merged


# A learner never sees a crash for a missing string: the key itself is shown. Tests set
# PLAYGROUND_STRICT_I18N=1 (tests/conftest.py) so that a missing key fails them instead.
STRICT = os.environ.get("PLAYGROUND_STRICT_I18N", "") == "1"


def t(key: str, lang: str = DEFAULT_LANGUAGE, **fields) -> str:
    """The text for `key` in `lang` (falling back to English, then to the key itself; KeyError in
    strict mode)."""
    all_tables = tables()
    text = all_tables.get(lang, {}).get(key) or all_tables["en"].get(key)
    if text is None:
        if STRICT:
            raise KeyError(f"no i18n text for {key!r}")
        text = key
    return text.format(**fields) if fields else text
