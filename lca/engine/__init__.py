"""The Brightway bridge: data directory, project set-up, foreground databases and LCA runs."""

from lca.engine.compute import compute_study
from lca.engine.datadir import data_directory

__all__ = ["compute_study", "data_directory"]
