"""Writing a foreground into bw2data's tables with one ``executemany`` per table.

``Database.write`` inserts rows through peewee's ``insert_many`` in chunks of 125, and peewee
builds the SQL text of every chunk value by value in Python: for a foreground of 10,000
activities that is about half of a first run. ``fast_database(bd, name)`` is bw2data's SQLite
backend with only that step replaced: the same checks on every dataset and exchange (typos,
missing fields), the same row dictionaries (bw2data's ``dict_as_activitydataset`` with its
snowflake ids, ``dict_as_exchangedataset``), each value converted by the peewee field that
would store it (``Field.db_value``: the pickled ``data``), inserted with one prepared statement
per table in the same transaction. Everything else (metadata, the processed datapackage, the
search index, indices) is bw2data's own; tests/test_fastwrite.py checks that both ways store
the same rows and the same matrices.
"""

from __future__ import annotations

from functools import cache


# the parts of bw2data this module relies on; a bw2data without any of them gets its own write
NEEDED = {"bw2data.backends.base": ("SQLiteBackend", "InvalidExchange", "UntypedExchange", "check_exchange_type",
                                    "check_exchange_keys", "check_temporal_distribution_sum",
                                    "check_activity_type", "check_activity_keys"),
          "bw2data.backends.utils": ("dict_as_activitydataset", "dict_as_exchangedataset"),
          "bw2data.backends": ("sqlite3_lci_db",)}


def fast_database(bd, name: str):
    """``bd.Database(name)`` for a SQLite database, writing its rows with executemany (bw2data's
    own ``Database`` when the backend is another, or this bw2data lacks a part relied on)."""
    if bd.databases.get(name, {}).get("backend", "sqlite") != "sqlite" or not _supported():
        return bd.Database(name)
    return _backend_class()(name)


@cache
def _supported() -> bool:
    import importlib

    for module, names in NEEDED.items():
        try:
            found = importlib.import_module(module)
        except ImportError:
            return False
        if not all(hasattr(found, n) for n in names):
            return False
    from bw2data.backends.base import SQLiteBackend

    return callable(getattr(SQLiteBackend, "_efficient_write_many_data", None))


@cache
def _backend_class():
    from bw2data.backends import base, sqlite3_lci_db
    from bw2data.backends.schema import ActivityDataset, ExchangeDataset
    from bw2data.backends.utils import dict_as_activitydataset, dict_as_exchangedataset

    def rows(data: list, check_typos: bool) -> tuple[list, list]:
        activities, exchanges = [], []
        for ds in data:  # bw2data's _efficient_write_dataset, without its inserts
            for exchange in ds.get("exchanges", []):
                if "input" not in exchange or "amount" not in exchange:
                    raise base.InvalidExchange
                if "type" not in exchange:
                    raise base.UntypedExchange
                if check_typos:
                    base.check_exchange_type(exchange.get("type"))
                    base.check_exchange_keys(exchange)
                if "output" not in exchange:
                    exchange["output"] = (ds["database"], ds["code"])
                if "temporal_distribution" in exchange:
                    base.check_temporal_distribution_sum(exchange)
                exchanges.append(dict_as_exchangedataset(exchange))
            ds = {k: v for k, v in ds.items() if k != "exchanges"}
            if check_typos:
                base.check_activity_type(ds.get("type"))
                base.check_activity_keys(ds)
            activities.append(dict_as_activitydataset(ds, add_snowflake_id=True))
        return activities, exchanges

    def insert(model, records: list) -> None:
        if not records:
            return
        names = list(records[0])
        fields = [model._meta.fields[n] for n in names]
        columns = ", ".join(f'"{f.column_name}"' for f in fields)
        sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({", ".join("?" * len(names))})'
        values = [tuple(f.db_value(r[n]) for f, n in zip(fields, names)) for r in records]
        sqlite3_lci_db.db.cursor().executemany(sql, values)

    class FastSQLiteBackend(base.SQLiteBackend):
        """bw2data's SQLite backend; only the row inserts of ``write`` are one statement per table."""

        backend = "sqlite"

        def _efficient_write_many_data(self, data: list, indices: bool = True, check_typos: bool = True) -> None:
            be_complicated = len(data) >= 100 and indices
            if be_complicated:
                self._drop_indices()
            sqlite3_lci_db.db.autocommit = False
            try:
                sqlite3_lci_db.db.begin()
                self.delete(keep_params=True, warn=False, vacuum=False)
                activities, exchanges = rows(data, check_typos)
                insert(ActivityDataset, activities)
                insert(ExchangeDataset, exchanges)
                sqlite3_lci_db.db.commit()
                sqlite3_lci_db.vacuum()
            except BaseException:
                sqlite3_lci_db.db.rollback()
                raise
            finally:
                sqlite3_lci_db.db.autocommit = True
                if be_complicated:
                    self._add_indices()

    return FastSQLiteBackend
