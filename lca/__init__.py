"""ai-lca: life-cycle assessment of AI services, AI solution against its non-AI reference.

The public API::

    import lca
    study = lca.load_study("inventories/studies/demo-office-heating.yaml")
    result = lca.assess(study)   # Brightway project in the per-user data directory
    result.net["gwp"]            # kg CO2-eq per functional unit, AI minus reference
    result.to_dict()             # the JSON result (docs/json-result.md)

Importing ``lca`` imports nothing heavy: each name below is loaded on first use (``lca --help``
never imports Brightway). Importing changes no global state of other packages; the one effect of
the first amount parsed is pint's parsed-units cache, kept in the data directory
(``AI_LCA_DATA_DIR``) or the per-user cache directory.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing and importlib take milliseconds to import, before `lca` can catch Ctrl-C (lca.entry)

__version__ = "0.2.0"

_EXPORTS = {
    "InputError": "lca.core.errors", "Problem": "lca.core.errors",
    "Library": "lca.library.background", "load_library": "lca.library.background",
    "assess": "lca.pipeline", "validate": "lca.pipeline",
    "StudyResult": "lca.results", "SystemResult": "lca.results",
    "load_study": "lca.study",
}
__all__ = ["InputError", "Library", "Problem", "StudyResult", "SystemResult", "__version__", "assess",
           "load_library", "load_study", "validate"]

if TYPE_CHECKING:
    from typing import Any

    from lca.core.errors import InputError, Problem
    from lca.library.background import Library, load_library
    from lca.pipeline import assess, validate
    from lca.results import StudyResult, SystemResult
    from lca.study import load_study


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'lca' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
