"""A claims corpus (docs/corpus.md): a table of published "AI for green" claims, each graded on the
a-e scale of Ligozat et al. (2022) with the project's grading, and audited by its study when the
row names one (``lca audit``).

The names below are imported on first use: ``lca`` builds its parser from ``lca.corpus.cli``, and
the grading (lca.review, lca.study) must not be imported by every command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .claims import Corpus, CorpusClaim, GradedClaim, grade_counts, load_corpus

__all__ = ["Corpus", "CorpusClaim", "GradedClaim", "grade_counts", "load_corpus"]


def __getattr__(name: str):
    if name in __all__:
        from . import claims

        return getattr(claims, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
