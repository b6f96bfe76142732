"""The typed result of an assessment and its JSON form (docs/json-result.md)."""

from lca.results.model import (SCHEMA_VERSION, ActivityInfo, CriterionInfo, EnergyResult, ExchangeResult,
                               Finding, StudyResult, SystemResult, Values)

__all__ = ["SCHEMA_VERSION", "ActivityInfo", "CriterionInfo", "EnergyResult", "ExchangeResult", "Finding", "StudyResult",
           "SystemResult", "Values"]
