"""core/ never imports Streamlit: every module imports in a fresh interpreter without pulling it in."""
import ast
import json
import subprocess
import sys

from tests.conftest import ROOT

CORE = ROOT / "core"

_IMPORT_ALL = """
import importlib, json, pkgutil, sys
import core
names = ["core"] + [m.name for m in pkgutil.walk_packages(core.__path__, "core.")]
for name in names:
    importlib.import_module(name)
print(json.dumps({"modules": names, "streamlit": sorted(m for m in sys.modules if m.split(".")[0] == "streamlit")}))
"""


def test_every_core_module_imports_without_streamlit():
    done = subprocess.run([sys.executable, "-c", _IMPORT_ALL], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["streamlit"] == [], f"importing core pulled in {result['streamlit'][:5]}"
    # The walk really found the package's modules (including sub-packages).
    on_disk = {".".join(p.relative_to(ROOT).with_suffix("").parts) for p in CORE.rglob("*.py")
               if p.name != "__init__.py" and "__pycache__" not in p.parts}
    assert on_disk <= set(result["modules"])


def _streamlit_imports(path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "streamlit"]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "streamlit":
            found.append(node.module)
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in
              ("import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant)
              and str(node.args[0].value).split(".")[0] == "streamlit"):
            found.append(node.args[0].value)
    return found


def test_no_file_in_core_imports_streamlit():
    offenders = {str(p.relative_to(ROOT)): _streamlit_imports(p) for p in CORE.rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_checker_sees_every_import_form(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nimport streamlit as st\nfrom streamlit.runtime import x\n"
                      "def f():\n    import streamlit.components.v1\n"
                      "importlib.import_module('streamlit')\n")
    assert _streamlit_imports(sample) == ["streamlit", "streamlit.runtime", "streamlit.components.v1", "streamlit"]


def _imported_modules(path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found += [node.module] + [f"{node.module}.{a.name}" for a in node.names]
    return found


def _topic_of(module: str, layer: str) -> str | None:
    """'core.topics.cnn_lab.lab' -> 'cnn_lab' for layer 'core.topics'; None outside that layer."""
    parts, prefix = module.split("."), layer.split(".")
    if parts[:len(prefix)] != prefix or len(parts) <= len(prefix):
        return None
    name = parts[len(prefix)]
    return name if (ROOT.joinpath(*prefix) / name).is_dir() else None  # `from ui import t` names no topic


def test_no_topic_imports_another_topic():
    offenders = []
    for folder in (ROOT / "core" / "topics", ROOT / "ui"):
        for path in folder.rglob("*.py"):
            rel = path.relative_to(folder).parts
            if len(rel) < 2:  # core/topics/__init__.py, ui/__init__.py, ui/live.py: shared by every topic
                continue
            for module in _imported_modules(path):
                others = {_topic_of(module, "core.topics"), _topic_of(module, "ui")} - {None, rel[0]}
                offenders += [f"{path.relative_to(ROOT)} imports {module}" for _ in others]
    assert offenders == []


def test_every_topic_has_its_page_ui_and_core_package():
    topics = {p.name for p in (ROOT / "core" / "topics").iterdir() if (p / "__init__.py").exists()}
    assert topics == {"activations", "backprop", "playground", "cnn_lab"}
    for topic in topics:
        assert (ROOT / "pages" / f"{topic}.py").exists() and (ROOT / "ui" / topic / "__init__.py").exists(), topic
