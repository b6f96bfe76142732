"""Cost of the higher-order effects in the Monte Carlo and Sobol analysis of the demo.

    .venv/bin/python benchmarks/bench_effects.py

Prints the time of the uncertainty sections without and with the demo's effects (the target
system is solved a second time on the same draws, and the Sobol analysis runs on the net after
effects too). Measured: 2,000 iterations 4.4 s -> 5.2 s; 10,000 iterations 2.7 s -> 5.4 s (x 2.0).
"""

import time, lca
from lca.library.background import load_library
from lca.study import load_study, resolve
from lca.effects import effects_model
from lca.uncertainty.analysis import uncertainty_sections
lib = load_library()
loaded = load_study("inventories/studies/demo-office-heating.yaml")
res = resolve(loaded, lib)
fx = effects_model(loaded, res, lib)
uncertainty_sections(loaded, lib, 100, 1, resolved=res)  # warm
for n in (2000, 10000):
    t = time.perf_counter(); uncertainty_sections(loaded, lib, n, 1, resolved=res); a = time.perf_counter() - t
    t = time.perf_counter(); out = uncertainty_sections(loaded, lib, n, 1, resolved=res, effects=fx); b = time.perf_counter() - t
    print(n, f"without effects {a:.2f} s, with effects {b:.2f} s, ratio {b/a:.2f}")
