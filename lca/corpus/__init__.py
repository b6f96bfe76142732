"""A claims corpus (docs/corpus.md): a table of published "AI for green" claims, each graded on the
a-e scale of Ligozat et al. (2022) with the project's grading, and audited by its study when the
row names one (``lca audit``).
"""

from .claims import Corpus, CorpusClaim, GradedClaim, grade_counts, load_corpus

__all__ = ["Corpus", "CorpusClaim", "GradedClaim", "grade_counts", "load_corpus"]
