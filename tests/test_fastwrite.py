"""The foreground written with one executemany per table (lca/engine/fastwrite.py) stores what
bw2data's own ``Database.write`` stores: the same rows and the same processed matrices."""

from __future__ import annotations

import numpy as np


def _foreground(db: str, n: int = 150) -> dict:
    # 150 activities (over bw2data's 100: the path that drops and rebuilds the indices), a chain
    # where a_i consumes 0.5 of a_(i+1), one exchange with a lognormal spread
    data = {}
    for i in range(n):
        exchanges = [{"input": (db, f"a{i}"), "amount": 1.0, "type": "production"}]
        if i + 1 < n:
            exchanges.append({"input": (db, f"a{i + 1}"), "amount": 0.5, "type": "technosphere",
                              "uncertainty type": 2, "loc": np.log(0.5), "scale": 0.1})
        data[(db, f"a{i}")] = {"name": f"activity {i}", "unit": "unit", "type": "process", "code": f"a{i}",
                               "database": db, "location": "GLO", "exchanges": exchanges}
    return data


def _stored(bd, db: str):
    from bw2data.backends.schema import ActivityDataset, ExchangeDataset

    def plain(value):  # the database name replaced, so that two databases compare
        return repr(value).replace(repr(db), "'DB'")

    acts = sorted((a.code, a.name, a.location, a.product, a.type, plain(a.data))
                  for a in ActivityDataset.select().where(ActivityDataset.database == db))
    exs = sorted((e.input_code, e.output_code, e.type, plain(e.data))
                 for e in ExchangeDataset.select().where(ExchangeDataset.output_database == db))
    return acts, exs


def test_the_fast_write_stores_what_bw2data_stores(data_dir):
    import bw2data as bd

    from lca.engine.fastwrite import fast_database

    bd.projects.set_current("ai-lca-test-fastwrite")
    bd.Database("slow").write(_foreground("slow"))
    fast_database(bd, "fast").write(_foreground("fast"))
    slow, fast = _stored(bd, "slow"), _stored(bd, "fast")
    assert len(fast[0]) == 150 and len(fast[1]) == 150 + 149  # productions + the chain's exchanges
    assert fast == slow
    assert len(bd.Database("fast")) == 150 and bd.get_node(database="fast", code="a7")["name"] == "activity 7"

    def technosphere(name):  # the processed matrix, rows and columns as codes
        from bw2data.backends.schema import ActivityDataset

        code = {a.id: a.code for a in ActivityDataset.select().where(ActivityDataset.database == name)}
        package = bd.Database(name).datapackage()
        [res] = [r for r in package.resources if r["name"].endswith("technosphere_matrix.indices")]
        indices = package.get_resource(res["name"])[0]
        values = package.get_resource(res["name"].replace("indices", "data"))[0]
        return sorted((code[int(r)], code[int(c)], float(v)) for (r, c), v in zip(indices.tolist(), values))

    assert technosphere("fast") == technosphere("slow")
    assert ("a3", "a2", 0.5) in technosphere("fast")  # a2 consumes 0.5 of a3


def test_a_bw2data_without_the_parts_relied_on_gets_its_own_write(data_dir, monkeypatch):
    import bw2data as bd
    from bw2data.backends import base

    from lca.engine import fastwrite

    fastwrite._supported.cache_clear()
    monkeypatch.delattr(base, "check_exchange_keys")  # as a bw2data that renamed it would be
    try:
        bd.projects.set_current("ai-lca-test-fastwrite")
        db = fastwrite.fast_database(bd, "fallback")
        assert type(db).__name__ != "FastSQLiteBackend"
    finally:
        monkeypatch.undo()
        fastwrite._supported.cache_clear()
    assert type(fastwrite.fast_database(bd, "fallback")).__name__ == "FastSQLiteBackend"
