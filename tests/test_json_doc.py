"""docs/json-result.md names every key the JSON result holds.

The demo study and a Monte Carlo run are walked key by key. Keys that are names of the study
(systems, criteria, dataset references, activity ids, parameters, stage/phase/tier keys, unit
processes, flow ids, effect ids, ...) are replaced by ``*``; a key path is documented when the
doc writes a dotted name whose segments match the end of the path (``<key>``, ``<k>``, ...
in the doc also read as ``*``; ``<a|b>`` as either), or, for a path of one literal key, names the
key alone. Trailing ``*`` are dropped: a map of names is documented by its own path; the
effects nested in ``effects.tree`` are read as ``effects.tree.<field>``.
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import DATA, ROOT, STUDIES

DOC = ROOT / "docs" / "json-result.md"
STAR = "*"


def _doc_tokens() -> set[tuple[str, ...]]:
    """Every dotted name of the doc: backticked spans and the JSON examples' keys."""
    text = DOC.read_text(encoding="utf-8")
    spans = re.findall(r"`([^`\n]+)`", text) + re.findall(r'"([A-Za-z_][\w]*)"\s*:', text)
    tokens: set[tuple[str, ...]] = set()
    for span in spans:
        span = span.replace("\\|", "|")
        for word in re.split(r"[\s,/()=]+", span):
            for variant in _expand(word.strip(".")):
                if variant and re.fullmatch(r"[\w*.]+", variant):
                    tokens.add(tuple(variant.split(".")))
    return tokens


def _expand(word: str) -> list[str]:
    """``a.<x|y>.b`` -> ``a.x.b``, ``a.y.b``; any other ``<...>`` -> ``*``."""
    match = re.search(r"<([^<>]*)>", word)
    if match is None:
        return [word]
    inner = match.group(1)
    options = inner.split("|") if "|" in inner else [STAR]
    return [v for o in options for v in _expand(word[:match.start()] + o + word[match.end():])]


def _names(result: dict) -> set[str]:
    """The study's own names: every key that is data, not a field of the format."""
    names = set(result["criteria"]) | set(result["systems"]) | set(result["datasets"])
    names |= set(result.get("parameters") or {})
    for system in result["systems"].values():
        for breakdown in ("by_stage", "by_phase", "by_tier", "by_activity"):
            names |= set(system[breakdown])
        names |= {a["id"] for a in system["activities"]}
    for per_system in (result.get("completeness") or {}).values():
        names |= set(per_system)
    for effect in _effects((result.get("effects") or {}).get("tree", [])):
        names.add(effect["id"])
    for cost in (result.get("deployment") or {}).get("fixed_costs", []):
        names.add(cost["id"])
    names |= set((result.get("scenarios") or {}).get("rows", {}))
    return names


def _effects(tree: list[dict]):
    for effect in tree:
        yield effect
        yield from _effects(effect.get("effects", []))


TREE = ("effects", "tree")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _paths(value, names: set[str], prefix: tuple[str, ...] = ()):
    if isinstance(value, list):
        for item in value:
            yield from _paths(item, names, prefix)
    elif isinstance(value, dict):
        for key, item in value.items():
            segment = STAR if key in names or UUID.fullmatch(key) else key
            path = prefix + (segment,)
            yield path
            # an effect's own `effects` are effects of the same shape: effects.tree.<field>
            nested = prefix == TREE and key == "effects"
            yield from _paths(item, names, prefix if nested else path)


def _documented(path: tuple[str, ...], tokens: set[tuple[str, ...]]) -> bool:
    while path and path[-1] == STAR:
        path = path[:-1]
    if not path:
        return True
    for token in tokens:
        if len(token) > len(path) or token[-1] != path[-1]:
            continue
        tail = path[len(path) - len(token):]
        if all(t == STAR or t == p for t, p in zip(token, tail)):
            return True
    return False


def undocumented(result: dict) -> list[str]:
    tokens = _doc_tokens()
    names = _names(result)
    missing = {".".join(p) for p in _paths(result, names) if not _documented(p, tokens)}
    return sorted(missing)


@pytest.fixture(scope="module")
def demo_json(library, data_dir):
    import lca

    return json.loads(json.dumps(lca.assess(STUDIES / "demo-office-heating.yaml", data_dir=data_dir,
                                            library=library).to_dict()))


@pytest.fixture(scope="module")
def mc_json(library, data_dir):
    import lca

    result = lca.assess(DATA / "energy-mc.yaml", data_dir=data_dir, library=library, iterations=300, seed=3)
    return json.loads(json.dumps(result.to_dict()))


def test_the_walker_sees_a_missing_key():
    # A key no doc could name is reported with its normalised path: datasets.<ref>.zzz_new.
    result = {"criteria": {"gwp": {}}, "systems": {}, "datasets": {"a@b": {"zzz_new": 1, "kind": "x"}}}
    assert undocumented(result) == ["datasets.*.zzz_new"]


def test_every_key_of_the_demo_is_documented(demo_json):
    assert undocumented(demo_json) == []


def test_every_key_of_a_monte_carlo_run_is_documented(mc_json):
    assert "uncertainty" in mc_json and "energy" in mc_json["uncertainty"]["net"]
    assert undocumented(mc_json) == []
