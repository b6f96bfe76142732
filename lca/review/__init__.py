"""Review of an assessed study: the grade of the claim (a-e), ITU completeness, the verdict and
their findings."""

from lca.review.step import check_claim, review

__all__ = ["check_claim", "review"]
