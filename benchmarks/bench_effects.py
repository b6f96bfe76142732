"""Cost of the higher-order effects in the Monte Carlo and Sobol analysis of the demo.

    .venv/bin/python benchmarks/bench_effects.py

Prints the time of the uncertainty sections without and with the demo's effects (the target
system is solved a second time on the same draws, and the Sobol analysis runs on the net after
effects too). Measured on a shared 2-core machine: x 1.2 to 1.5 at 2,000 iterations, x 2.0 to 2.4 at
10,000 (4.7 s -> 11.5 s at worst).
"""

import time

from lca.effects import effects_model
from lca.library.background import load_library
from lca.study import load_study, resolve
from lca.uncertainty.analysis import uncertainty_sections


def seconds(**kw) -> float:
    start = time.perf_counter()
    uncertainty_sections(LOADED, LIBRARY, resolved=RESOLVED, **kw)
    return time.perf_counter() - start


LIBRARY = load_library()
LOADED = load_study("inventories/studies/demo-office-heating.yaml")
RESOLVED = resolve(LOADED, LIBRARY)
EFFECTS = effects_model(LOADED, RESOLVED, LIBRARY)
seconds(iterations=100, seed=1)  # warm: Brightway project and matrices
for n in (2000, 10000):
    a, b = seconds(iterations=n, seed=1), seconds(iterations=n, seed=1, effects=EFFECTS)
    print(n, f"without effects {a:.2f} s, with effects {b:.2f} s, ratio {b / a:.2f}")
