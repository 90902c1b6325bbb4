"""The pages the app registers, in menu order. app.py and the tests both read this list.

Add a page here only when it works: the router registers exactly these, and the AppTest and browser
tests open every one.
"""
import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class PageEntry:
    path: str          # script path relative to the repo root
    title_key: str     # i18n key of the menu title
    icon: str          # Material icon or emoji
    group_key: str     # i18n key of the menu section
    url_path: str      # stable URL path ("" for the home page, which Streamlit serves at /)


PAGES: list[PageEntry] = [
    PageEntry("pages/home.py", "page_home", ":material/home:", "group_start", ""),
    PageEntry("pages/activations.py", "page_activations", ":material/show_chart:", "group_basics", "activations"),
    PageEntry("pages/backprop.py", "page_backprop", ":material/account_tree:", "group_basics", "backprop"),
    PageEntry("pages/playground.py", "page_playground", ":material/scatter_plot:", "group_training", "playground"),
    PageEntry("pages/cnn_lab.py", "page_cnn_lab", ":material/grid_view:", "group_vision", "cnn_lab"),
]


def page_imports(pages: list[PageEntry] = PAGES) -> list[str]:
    """The modules the page scripts import at their top level, in order, read from their source
    (ast), so that the router can import them all once, in one thread, before any page runs.

    `from ui.cnn_lab import setup, training` names the package and its modules setup and training
    (this repo's own modules: a .py file or a package folder beside the package's __init__.py)."""
    names: list[str] = []
    for entry in pages:
        for node in ast.parse((ROOT / entry.path).read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                found = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                folder = ROOT.joinpath(*node.module.split("."))
                found = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names
                                         if (folder / f"{alias.name}.py").exists() or (folder / alias.name).is_dir()]
            else:
                continue
            names.extend(name for name in found if name not in names)
    return names
