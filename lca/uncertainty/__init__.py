"""Uncertainty of a study: declared distributions, fast Monte Carlo of both systems with shared
draws, Sobol and one-at-a-time sensitivity, and break-even of a scale parameter.

See docs/uncertainty.md. Nothing heavy is imported here; import the submodules.
"""
