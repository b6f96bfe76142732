"""Where the data shipped with ai-lca lives: the inventories and the report templates.

In a wheel they are inside the package, at ``lca/_data/inventories`` and ``lca/_data/templates``
(the build maps the repository's ``inventories/`` and ``reports/templates/`` there, see
pyproject.toml); in a checkout (an editable install, the test suite) they are read from the
repository itself. Either way they are found through the package, never through the current
directory, so ``lca`` works from any folder. A missing folder is an ``InstallationError`` that
says so, never an empty library.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from lca.core.errors import InstallationError

_PACKAGED = {"inventories": "inventories", "templates": "templates"}
_CHECKOUT = {"inventories": ("inventories",), "templates": ("reports", "templates")}


def _find(name: str) -> Path:
    packaged = resources.files("lca") / "_data" / _PACKAGED[name]
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2].joinpath(*_CHECKOUT[name])
    if checkout.is_dir():
        return checkout
    raise InstallationError(
        f"the {name} shipped with ai-lca are missing (looked in {packaged} and {checkout}): "
        "the installation is incomplete; reinstall ai-lca from a wheel or a checkout")


def inventories_dir() -> Path:
    """The shipped inventories: ``background/``, ``methods/``, ``materials/``, ``studies/``."""
    return _find("inventories")


def templates_dir() -> Path:
    """The report templates (Jinja2) and their CSS."""
    return _find("templates")


def repository_root() -> Path | None:
    """The checkout ai-lca runs from, or None when installed from a wheel (docs generators need it)."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() and (root / "docs").is_dir() else None
