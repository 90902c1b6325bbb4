"""core/navigation.py: the page list, and the modules the router imports before any page runs."""
import importlib
import re

from core.navigation import PAGES, PageEntry, page_imports
from tests.conftest import ROOT


def test_page_imports_lists_each_module_once_in_order(tmp_path, monkeypatch):
    (tmp_path / "a.py").write_text('"""A page."""\nimport json\nimport os.path as p\nfrom collections import deque\n'
                                   'x = 1\nif x:\n    import csv  # not at the top level: imported when it runs\n')
    (tmp_path / "b.py").write_text("from json import dumps\nfrom . import sibling\nimport json, string\n"
                                   "from pkg import mod, name\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text("")
    monkeypatch.setattr("core.navigation.ROOT", tmp_path)
    pages = [PageEntry(name, "t", "i", "g", name) for name in ("a.py", "b.py")]
    assert page_imports(pages) == ["json", "os.path", "collections", "string", "pkg", "pkg.mod"]


def test_the_real_pages_imports_are_all_listed_and_importable():
    # Read another way than the code does: the unindented import lines of each page script.
    names = page_imports()
    for entry in PAGES:
        source = (ROOT / entry.path).read_text(encoding="utf-8")
        for module in re.findall(r"^(?:from|import) ([\w.]+)", source, flags=re.MULTILINE):
            assert module in names, (entry.path, module)
    assert {"ui.cnn_lab", "ui.cnn_lab.training", "ui.playground.training", "ui.backprop.stepper",
            "ui.activations.depth"} <= set(names)
    for name in names:
        importlib.import_module(name)
