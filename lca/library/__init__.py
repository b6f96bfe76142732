"""The background library: criteria and their characterisation factors, biosphere flows, background
datasets with their sourced variants, world production of materials; the catalogue behind
``lca data`` and the generated docs/data.md."""

from lca.library.background import NO_DATA, Dataset, Library, load_library

__all__ = ["NO_DATA", "Dataset", "Library", "load_library"]
