"""Beyond first order: deployment at scale over a time horizon (fixed costs, break-even year and
scale), the consequence tree of higher-order effects (rebound, re-spending, induced demand,
substitution, obsolescence), the balance before and after them and the break-even rebound
(ITU-T L.1480, L.1801; docs/methodology.md, "Beyond first order")."""

from lca.effects.step import effects_model, with_effects

__all__ = ["effects_model", "with_effects"]
