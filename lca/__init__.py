"""ai-lca: life-cycle assessment of AI services, AI solution against its non-AI reference.

The public API::

    import lca
    study = lca.load_study("inventories/studies/demo-office-heating.yaml")
    result = lca.assess(study)   # Brightway project in the per-user data directory
    result.net["gwp"]            # kg CO2-eq per functional unit, AI minus reference
    result.to_dict()             # the JSON result (docs/json-result.md)

Importing ``lca`` changes no global state of other packages and does not import Brightway (that
happens on the first computation); its one effect is pint's parsed-units cache, kept in the data
directory (``AI_LCA_DATA_DIR``) or the per-user cache directory.
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
