"""core/i18n.py and every string module (core/locales/*.py, core/topics/<topic>/strings.py): complete,
consistent en + zh tables.

The locale modules are discovered, not listed, so a new page's strings are checked automatically.
"""
import importlib
import re

import pytest

from core import i18n
from core.navigation import PAGES

MODULES = i18n.string_modules()
CJK = re.compile(r"[\u4e00-\u9fff]")


# A {field}: a name, optional !conversion and :spec. Braces right after a LaTeX command or ^, _
# (\text{...}, \mathrm{step}, x^{2}) or after another brace ({{escaped}}) are LaTeX, not fields:
# such strings go to st.latex unformatted.
FIELD = re.compile(r"\{([A-Za-z_]\w*)(![rsa])?(:[^{}]*)?\}")
LATEX_BEFORE = re.compile(r"(\\[A-Za-z]+\s*|[\^_{])$")


def _field_matches(text: str) -> list[re.Match]:
    return [m for m in FIELD.finditer(text) if not LATEX_BEFORE.search(text[:m.start()])]


def _fields(text: str) -> set[str]:
    """Names of the {fields} in a string, e.g. {"name", "value"} for "{name}={value!r}"."""
    return {m.group(1) for m in _field_matches(text)}


def _format(text: str) -> str:
    """Format with a value for each field that suits its spec ("x", or 1.5 for "{n:.2f}")."""
    values = {m.group(1): (1.5 if m.group(3) else "x") for m in _field_matches(text)}
    return text.format(**values)


def _module(name):
    return importlib.import_module(name)


def test_string_modules_found():
    assert "core.locales.common" in MODULES
    assert {"core.topics.activations.strings", "core.topics.backprop.strings", "core.topics.playground.strings",
            "core.topics.cnn_lab.strings"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_same_keys_in_both_languages(name):
    module = _module(name)
    assert isinstance(module.EN, dict) and isinstance(module.ZH, dict)
    assert sorted(set(module.EN) - set(module.ZH)) == [], "keys missing in ZH"
    assert sorted(set(module.ZH) - set(module.EN)) == [], "keys missing in EN"


@pytest.mark.parametrize("name", MODULES)
def test_no_empty_strings(name):
    module = _module(name)
    for lang, table in (("en", module.EN), ("zh", module.ZH)):
        for key, text in table.items():
            assert isinstance(key, str) and key
            assert isinstance(text, str) and text.strip(), f"{name}.{lang}[{key!r}] is empty"


@pytest.mark.parametrize("name", MODULES)
def test_same_placeholders_and_format_works(name):
    module = _module(name)
    for key, en in module.EN.items():
        zh = module.ZH.get(key, "")
        assert _fields(en) == _fields(zh), f"{name}[{key!r}]: {_fields(en)} vs {_fields(zh)}"
        if _fields(en):  # strings with fields are formatted by t(): that must work in both languages
            for text in (en, zh):
                try:
                    _format(text)
                except (ValueError, KeyError, IndexError) as exc:
                    pytest.fail(f"{name}[{key!r}] cannot be formatted: {exc}")


def test_field_pattern():
    assert _fields("Ignored {name}={value!r} at {p:.0%}") == {"name", "value", "p"}
    assert _fields("{width}x{height} pixels") == {"width", "height"}
    assert _fields(r"\text{for each point: } \mathrm{step}(x)^{n} {{literal}}") == set()
    assert _fields(r"loss {loss:.3f}, \quad \mathbf{{w}}") == {"loss"}


@pytest.mark.parametrize("name", MODULES)
def test_chinese_table_is_chinese(name):
    module = _module(name)
    # Short technical labels (ReLU, MNIST, a formula) may stay as they are; real sentences may not.
    # A sentence: 3+ lowercase English words (not LaTeX commands like \quad).
    words = re.compile(r"(?<![\\\w])[a-z]{3,}\b")
    sentences = [k for k, v in module.EN.items() if len(words.findall(FIELD.sub("", v))) >= 3]
    untranslated = [k for k in sentences if not CJK.search(module.ZH[k])]
    assert untranslated == [], f"{name}: ZH strings without Chinese: {untranslated[:5]}"


def test_tables_merge_without_duplicate_keys():
    i18n.tables.cache_clear()
    merged = i18n.tables()
    assert set(merged) == set(i18n.LANGUAGES)
    owners = {}
    for name in MODULES:
        for key in _module(name).EN:
            assert key not in owners, f"{key!r} is defined in both {owners.get(key)} and {name}"
            owners[key] = name
    assert set(merged["en"]) == set(owners) == set(merged["zh"])


def test_t_lookup_fallback_and_format(monkeypatch):
    assert i18n.t("page_home", "en") == "Home"
    assert CJK.search(i18n.t("page_home", "zh"))
    assert i18n.t("page_home", "fr") == "Home"  # unknown language: English
    assert i18n.STRICT  # tests/conftest.py: in tests an unknown key fails ...
    with pytest.raises(KeyError, match="no_such_key_xyz"):
        i18n.t("no_such_key_xyz", "zh")
    monkeypatch.setattr(i18n, "STRICT", False)  # ... a learner sees the key itself
    assert i18n.t("no_such_key_xyz", "zh") == "no_such_key_xyz"
    text = i18n.t("bad_url_param", "en", name="lr", value="“abc”")
    assert "lr=“abc”" in text
    assert "lr=“abc”" in i18n.t("bad_url_param", "zh", name="lr", value="“abc”")


def test_every_registered_page_has_its_strings():
    merged = i18n.tables()
    for page in PAGES:
        needed = [page.title_key, page.group_key] + ([page.title_key + "_blurb"] if page.url_path else [])
        for key in needed:
            for lang in i18n.LANGUAGES:
                assert key in merged[lang], f"{page.path}: {key!r} missing in {lang}"


def test_every_dataset_and_architecture_has_its_name_in_both_languages():
    # The menus show these entries by name (core/locales/menus.py), never the raw key; core.registry's
    # entries are checked in tests/unit/test_registry.py.
    from core.data import IMAGE_DATASETS
    from core.models import ARCHITECTURES

    merged = i18n.tables()
    for prefix, registry in (("dataset_", IMAGE_DATASETS), ("arch_", ARCHITECTURES)):
        for key in registry:
            for lang in i18n.LANGUAGES:
                assert prefix + key in merged[lang], f"{prefix + key} missing in {lang}"
