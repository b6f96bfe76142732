"""lca batch on a real Dask cluster: a local scheduler and two worker processes; the tables are
byte-identical to the serial run (tests/data/tiny.yaml and claim-heating.yaml, see test_batch.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lca.batch import BatchOptions, run_batch, write_batch

distributed = pytest.importorskip("distributed")
DATA = Path(__file__).parent / "data"


def test_dask_cluster_gives_the_serial_tables(tmp_path, data_dir):
    folder = tmp_path / "studies"
    folder.mkdir()
    for name in ("tiny.yaml", "claim-heating.yaml"):
        shutil.copy(DATA / name, folder / name)
    (folder / "broken.yaml").write_text("study: {id: broken\n")  # isolation on the cluster too
    serial = BatchOptions(out_dir=str(tmp_path / "serial"))
    write_batch(run_batch([str(folder)], serial, jobs=1), serial, ["csv", "parquet"])
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  host="127.0.0.1") as cluster:
        on_dask = BatchOptions(out_dir=str(tmp_path / "dask"))
        result = run_batch([str(folder)], on_dask, scheduler=cluster.scheduler_address)
        write_batch(result, on_dask, ["csv", "parquet"])
    assert [o.status for o in result.outcomes] == ["error", "ok", "ok"]  # broken, claim-heating, tiny
    for name in ("results.csv", "results.parquet"):
        assert (tmp_path / "serial" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes()
    # each worker process claimed a Brightway data directory of its own
    slots = sorted(p.name for p in (data_dir / "workers").iterdir() if p.is_dir())
    assert len(slots) >= 2
