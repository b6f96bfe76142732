"""The study file: its schema, reading it with line numbers, resolving it against the library
(units, parameters, amounts, equipment shares), loop checks and the generated format reference."""

from lca.study.load import dump_study, load_study
from lca.study.model import LoadedStudy, ResolvedActivity, ResolvedInput, ResolvedStudy, ResolvedSystem
from lca.study.parameters import evaluate_parameters, parameter_table
from lca.study.resolve import resolve
from lca.study.scenarios import apply_variants, run_inputs

__all__ = ["apply_variants", "run_inputs", "LoadedStudy", "ResolvedActivity", "ResolvedInput", "ResolvedStudy", "ResolvedSystem", "dump_study",
           "evaluate_parameters", "load_study", "parameter_table", "resolve"]
