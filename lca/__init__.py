"""ai-lca: life-cycle assessment of AI services, AI solution against its non-AI reference.

The public API::

    import lca
    study = lca.load_study("inventories/studies/demo-office-heating.yaml")
    result = lca.assess(study, data_dir="/tmp/ai-lca")
    result.net["gwp"]          # kg CO2-eq per functional unit, AI minus reference
    result.to_dict()           # the JSON result (docs/json-result.md)

Importing ``lca`` has no side effects: Brightway is imported on the first computation.
"""

__version__ = "0.1.0"

from .background import Library, load_library  # noqa: E402
from .errors import InputError, Problem  # noqa: E402
from .pipeline import assess, validate  # noqa: E402
from .results import StudyResult, SystemResult  # noqa: E402
from .study import load_study  # noqa: E402

__all__ = [
    "InputError", "Library", "Problem", "StudyResult", "SystemResult", "__version__",
    "assess", "load_library", "load_study", "validate",
]
