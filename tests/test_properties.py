"""Property-based tests (hypothesis) of the study loader and of the computed results.

- any valid study, dumped with ``dump_study`` and loaded again, gives an equal model, and dumping
  that gives the same text (the round trip keeps every citation);
- on random computable studies run in Brightway: multiplying every amount by ``k`` multiplies
  every total and every breakdown by ``k``; every breakdown sums to its total; a study whose
  reference is a copy of its AI system has a net balance of zero on every criterion.

Brightway-backed examples reuse the session data directory and are few (each writes a
foreground database).
"""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lca
from lca.study.schema import Study
from lca.study import dump_study

# ----- schema-valid studies (no background needed) -----------------------------------------

SLUGS = st.from_regex(r"\A[a-z0-9][a-z0-9._-]{0,15}\Z")
# control characters (Cc) and bidirectional controls are refused in study text (lca.core.yamlio)
TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc", "Cf")), max_size=30)
NON_BLANK = TEXT.filter(lambda s: s.strip())
# a parameter name that reads as a unit or a function is refused (lca.study.names)
IDENTIFIERS = st.from_regex(r"\A[A-Za-z_][A-Za-z0-9_]{0,10}\Z").filter(
    lambda s: s not in __import__("keyword").kwlist and __import__("lca.study.names", fromlist=["x"]).shadowing_problem(s) is None)
UNITS = st.sampled_from(["kWh", "MWh", "kg", "GB", "h", "year", "kgCO2e", "MJ", ""])
NUMBERS = st.floats(min_value=1e-6, max_value=1e9, allow_nan=False, allow_infinity=False)
AMOUNTS = st.one_of(
    NUMBERS, st.integers(0, 10**9),
    st.builds(lambda x, u: f"{x:g} {u}".strip(), NUMBERS, UNITS),
)
CITED = st.one_of(st.fixed_dictionaries({"source": NON_BLANK}), st.fixed_dictionaries({"assumption": NON_BLANK}))
STAGES = st.sampled_from(["A", "B1", "B2", "C1", "C2", "C3", "D1", "D2", "A+B1"])
PHASES = st.sampled_from(["data_acquisition", "data_storage", "training", "inference", "none"])
TIERS = st.sampled_from(["terminal", "network", "data_centre", "other"])
UNCERTAINTY = st.one_of(
    st.builds(lambda g: {"distribution": "lognormal", "gsd": g}, st.floats(1.01, 5)),
    st.builds(lambda a, b: {"distribution": "uniform", "min": a, "max": a + b}, NUMBERS, NUMBERS),
)


def _merge(*parts: dict) -> dict:
    out: dict = {}
    for part in parts:
        out.update(part)
    return out


EXCHANGES = st.builds(
    _merge,
    st.one_of(st.builds(lambda d: {"dataset": d}, NON_BLANK), st.builds(lambda f: {"flow": f}, NON_BLANK)),
    st.fixed_dictionaries({"amount": AMOUNTS}), CITED,
    st.fixed_dictionaries({}, optional={"note": TEXT, "uncertainty": UNCERTAINTY}),
)


@st.composite
def systems(draw):
    ids = draw(st.lists(SLUGS, min_size=1, max_size=4, unique=True))
    activities = []
    for i, ident in enumerate(ids):
        act = {"id": ident, "name": draw(NON_BLANK), "phase": draw(PHASES), "tier": draw(TIERS)}
        if draw(st.booleans()):
            act["stage"] = draw(STAGES)
            act["exchanges"] = draw(st.lists(EXCHANGES, min_size=1, max_size=3))
            if i + 1 < len(ids) and draw(st.booleans()):
                act["exchanges"].append({"activity": ids[i + 1], "amount": draw(NUMBERS)})
        else:
            act["equipment"] = _merge({"dataset": draw(NON_BLANK), "count": draw(st.integers(1, 64)),
                                       "hours": f"{draw(NUMBERS):g} h", "utilisation": draw(st.floats(0.01, 1))},
                                      draw(CITED))
        if draw(st.booleans()):
            act["amortised_over"] = draw(AMOUNTS)
        activities.append(act)
    system = {"name": draw(NON_BLANK), "description": draw(TEXT), "activities": activities}
    na = draw(st.dictionaries(STAGES, st.builds(lambda j: {"justification": j}, NON_BLANK), max_size=2))
    if na:
        system["not_applicable"] = na
    return system


STUDIES = st.builds(
    lambda info, params, ai, ref: {"study": info, "parameters": params,
                                   "systems": {"ai": ai, **({"reference": ref} if ref else {})}},
    st.fixed_dictionaries(
        {"id": SLUGS, "name": NON_BLANK,
         "functional_unit": st.fixed_dictionaries({"description": NON_BLANK},
                                                  optional={"quantity": NUMBERS, "unit": NON_BLANK})},
        optional={"description": TEXT, "authors": st.lists(TEXT, max_size=3)}),
    st.dictionaries(IDENTIFIERS, st.builds(_merge, st.fixed_dictionaries({"value": AMOUNTS}), CITED), max_size=3),
    systems(), st.one_of(st.none(), systems()),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(STUDIES)
def test_valid_studies_round_trip_through_load_and_dump(tmp_path_factory, data):
    model = Study.model_validate(data)
    path = tmp_path_factory.mktemp("roundtrip") / "study.yaml"
    text = dump_study(model)
    path.write_text(text, encoding="utf-8")
    loaded = lca.load_study(path)
    assert loaded.model == model
    assert dump_study(loaded) == text
    # citations survive: every exchange keeps its source or assumption
    for key in ("ai", "reference"):
        system = getattr(model.systems, key)
        for act_before, act_after in zip(system.activities if system else [],
                                         getattr(loaded.model.systems, key).activities if system else []):
            for ex_before, ex_after in zip(act_before.exchanges, act_after.exchanges):
                assert (ex_after.source, ex_after.assumption) == (ex_before.source, ex_before.assumption)


# ----- computable studies, run in Brightway --------------------------------------------------

FLOWS = ["Methane, fossil (air)", "Cobalt (natural resource, in ground)"]


def _datasets(library):
    by_amount = sorted(d.id for d in library.datasets.values() if d.unit in ("kWh", "kg", "GB", "hour", "TB"))
    equipment = sorted(d.id for d in library.datasets.values()
                       if d.unit == "unit" and "lifetime" in d.attributes)
    return by_amount, equipment


@st.composite
def computable_systems(draw, library):
    """Activities whose every amount is ``scale_k * x`` (a study parameter), children consumed by parents."""
    by_amount, equipment = _datasets(library)
    size = draw(st.integers(1, 4))
    activities = []
    for i in range(size):
        act = {"id": f"a{i}", "name": f"Activity {i}", "phase": draw(PHASES), "tier": draw(TIERS)}
        x = draw(st.floats(0.1, 1000).map(lambda v: float(f"{v:.4g}")))
        if draw(st.integers(0, 3)) == 0:
            act["equipment"] = {"dataset": draw(st.sampled_from(equipment)), "count": draw(st.integers(1, 8)),
                                "hours": f"scale_k * {x:g} h", "utilisation": draw(st.sampled_from([0.25, 0.5, 0.85, 1])),
                                "assumption": "generated"}
        else:
            act["stage"] = draw(st.sampled_from(["C1", "C2", "D2", "A+B1"]))
            exchanges = []
            for _ in range(draw(st.integers(1, 3))):
                if draw(st.booleans()):
                    ds = library.datasets[draw(st.sampled_from(by_amount))]
                    exchanges.append({"dataset": ds.id, "amount": f"scale_k * {x:g} {ds.unit}", "assumption": "generated"})
                else:
                    exchanges.append({"flow": draw(st.sampled_from(FLOWS)), "amount": f"scale_k * {x / 100:g} kg",
                                      "assumption": "generated"})
            if i + 1 < size and draw(st.booleans()):
                exchanges.append({"activity": f"a{i + 1}", "amount": draw(st.sampled_from([0.5, 1, 3]))})
            act["exchanges"] = exchanges
        if draw(st.integers(0, 4)) == 0:
            act["amortised_over"] = draw(st.sampled_from([2, 10, 1000]))
        activities.append(act)
    return {"name": "Generated", "activities": activities}


def _write(tmp_path_factory, data) -> object:
    path = tmp_path_factory.mktemp("prop") / "study.yaml"
    path.write_text(dump_study(Study.model_validate(data)), encoding="utf-8")
    return lca.load_study(path)


def _close(a: float, b: float, scale: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-7, abs_tol=1e-9 * max(scale, 1e-30))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data(), k=st.sampled_from([0.5, 3.0, 1000.0]))
def test_results_are_linear_breakdowns_sum_and_self_net_is_zero(data, k, library, data_dir, tmp_path_factory):
    system = data.draw(computable_systems(library))
    study = {"study": {"id": "generated", "name": "Generated", "functional_unit": {"description": "one unit"}},
             "parameters": {"scale_k": {"value": 1, "assumption": "scale of every amount"}},
             "systems": {"ai": system, "reference": system}}
    loaded = _write(tmp_path_factory, study)
    base = lca.assess(loaded, data_dir=data_dir, library=library)
    scaled = lca.assess(loaded, data_dir=data_dir, library=library, overrides={"scale_k": k})
    for key in ("ai", "reference"):
        one, many = base.systems[key], scaled.systems[key]
        for crit, total in one.total.items():
            size = sum(abs(v[crit]) for v in one.by_activity.values()) or abs(total)
            # linearity: every amount x k  =>  every result x k
            assert _close(many.total[crit], k * total, k * size)
            for name in ("by_stage", "by_phase", "by_tier", "by_activity"):
                parts, scaled_parts = getattr(one, name), getattr(many, name)
                assert set(parts) == set(scaled_parts)
                for part, values in parts.items():
                    assert _close(scaled_parts[part][crit], k * values[crit], k * size)
                # breakdowns sum to the total
                assert _close(sum(v[crit] for v in parts.values()), total, size)
    # the reference is the AI system itself: AI minus reference is zero on every criterion
    for crit, net in base.net.items():
        assert abs(net) <= 1e-9 * max(abs(base.systems["ai"].total[crit]), 1e-30)

