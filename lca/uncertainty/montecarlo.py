"""Monte Carlo of both systems with shared draws, all iterations at once.

One quantile per input and iteration is drawn with numpy's ``Generator`` (seeded: the same seed
gives the same results), mapped through each input's inverse CDF, and the study is evaluated for
every iteration in bulk (:meth:`StudyModel.evaluate`), final energy (kWh) with the criteria. Both
systems are computed from the same draws, so the net ``ai - reference`` of an iteration carries
only the differences between the systems, not independent noise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from lca.uncertainty.distributions import UncertainInput
from lca.uncertainty.energy_mc import ENERGY
from lca.uncertainty.model import StudyModel

PERCENTILES = {"p2_5": 2.5, "p50": 50.0, "p97_5": 97.5}
HISTOGRAM_BINS = 30
BLOCK = 50_000  # iterations evaluated together (study amounts re-evaluated as arrays of this length)


def new_seed() -> int:
    """A fresh seed from the operating system's entropy, reported so that a run can be repeated."""
    entropy = np.random.SeedSequence().entropy  # an int when drawn from the operating system
    if not isinstance(entropy, int):
        raise RuntimeError("the operating system gave no entropy for a random seed")
    return int(entropy % 2**32)


def sample(inputs: list[UncertainInput], n: int, seed: int) -> dict[str, np.ndarray]:
    """``n`` values of every input (name -> array), from ``seed``; one column of quantiles per input."""
    rng = np.random.default_rng(seed)
    quantiles = rng.random((n, len(inputs)))
    return {inp.name: inp.ppf(quantiles[:, j]) for j, inp in enumerate(inputs)}


def statistics(samples: np.ndarray) -> dict[str, float]:
    """Mean, median and the 2.5 / 97.5 percentiles of a sample (in the sample's unit)."""
    out = {"mean": float(np.mean(samples))}
    values = np.percentile(samples, list(PERCENTILES.values()))
    out.update({key: float(v) for key, v in zip(PERCENTILES, values)})
    return {"mean": out["mean"], "p2_5": out["p2_5"], "p50": out["p50"], "p97_5": out["p97_5"]}


def interval_verdict(p2_5: float, p97_5: float) -> str:
    """``benefit`` when the whole 95 % interval of the net is below zero, ``loss`` when above,
    ``cannot tell`` when it straddles zero, ``no difference`` when it is exactly zero."""
    if p2_5 == 0 and p97_5 == 0:
        return "no difference"
    if p97_5 < 0:
        return "benefit"
    if p2_5 > 0:
        return "loss"
    return "cannot tell"


@dataclass(frozen=True)
class MonteCarloResult:
    iterations: int
    seed: int
    systems: list[str]
    criteria: list[str]
    scores: np.ndarray  # (iterations, systems, criteria), criterion units per functional unit
    inputs: list[UncertainInput]
    energy: np.ndarray | None = None  # (iterations, systems) final energy, kWh per functional unit

    def system(self, key: str) -> np.ndarray:
        """Scores of one system, shape (iterations, criteria)."""
        return self.scores[:, self.systems.index(key), :]

    @property
    def net(self) -> np.ndarray | None:
        """AI minus reference per iteration, shape (iterations, criteria); None without a reference."""
        if "reference" not in self.systems:
            return None
        return self.system("ai") - self.system("reference")

    def to_dict(self) -> dict:
        """The ``uncertainty`` section of the JSON result (docs/json-result.md)."""
        systems = {key: {c: statistics(self.system(key)[:, j]) for j, c in enumerate(self.criteria)}
                   for key in self.systems}
        out: dict = {"iterations": self.iterations, "seed": self.seed, "systems": systems, "net": None}
        net = self.net
        if net is not None:
            out["net"] = {}
            for j, c in enumerate(self.criteria):
                row = statistics(net[:, j])
                row["p_benefit"] = float(np.mean(net[:, j] < 0))
                out["net"][c] = row
            out["verdicts"] = {c: interval_verdict(v["p2_5"], v["p97_5"]) for c, v in out["net"].items()}
            out["histograms"] = {c: _histogram(net[:, j]) for j, c in enumerate(self.criteria)}
        if self.energy is not None:
            _add_energy(out, self.energy, self.systems)
        out["inputs"] = [{"name": i.name, "label": i.label, "kind": i.kind, "distribution": i.dist.distribution,
                          "base": i.base if i.kind not in ("variants", "brightway") else None, "unit": i.unit}
                         for i in self.inputs]
        return out


def _add_energy(out: dict, energy: np.ndarray, systems: list[str]) -> None:
    """Final energy (``energy``, kWh) into the section, beside the criteria: per system, and the net."""
    for s, key in enumerate(systems):
        out["systems"][key][ENERGY] = statistics(energy[:, s])
    if out["net"] is None:
        return
    net = energy[:, systems.index("ai")] - energy[:, systems.index("reference")]
    out["net"][ENERGY] = {**statistics(net), "p_benefit": float(np.mean(net < 0))}
    out["verdicts"][ENERGY] = interval_verdict(out["net"][ENERGY]["p2_5"], out["net"][ENERGY]["p97_5"])
    out["histograms"][ENERGY] = _histogram(net)


def _histogram(values: np.ndarray) -> dict:
    lo, hi = float(np.min(values)), float(np.max(values))
    if hi - lo <= 1e-9 * max(abs(lo), abs(hi), 1e-300):  # no spread (rounding noise only): one bin
        return {"edges": [lo, hi], "counts": [int(values.size)]}
    counts, edges = np.histogram(values, bins=HISTOGRAM_BINS)
    return {"edges": edges.tolist(), "counts": counts.tolist()}


def run_monte_carlo(model: StudyModel, iterations: int, seed: int | None = None,
                    progress: Callable[[int], None] | None = None) -> MonteCarloResult:
    """``iterations`` draws of every declared input, both systems evaluated on the same draws."""
    if iterations < 1:
        raise ValueError("iterations must be at least 1")
    seed = new_seed() if seed is None else int(seed)
    values = sample(model.inputs, iterations, seed)
    scores = np.empty((iterations, len(model.systems), len(model.criteria)))
    energy = np.empty((iterations, len(model.systems))) if model.energy_linear is not None else None
    for start in range(0, iterations, BLOCK):  # bounds the memory of re-evaluated amounts
        stop = min(iterations, start + BLOCK)
        block = {name: v[start:stop] for name, v in values.items()}
        scores[start:stop], block_energy = model.evaluate(block, stop - start, progress)
        if energy is not None and block_energy is not None:
            energy[start:stop] = block_energy
    return MonteCarloResult(iterations, seed, model.systems, model.criteria, scores, model.inputs, energy)
