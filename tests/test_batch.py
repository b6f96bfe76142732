"""lca batch: isolation, resumption, the same numbers as lca run, serial = pool = Dask byte for byte.

The batch folder holds copies of two hand-checkable studies and one broken file:

    tiny.yaml           AI gwp 654 kgCO2e, net -296 (tests/data/tiny.yaml, header comment)
    claim-heating.yaml  AI gwp 962, reference 1000, net -38; pe net -2800 (its header comment)
    broken.yaml         a YAML syntax error: one error row, the others go on
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lca.batch import BatchOptions, run_batch, write_batch
from lca.cli import main
from lca.io.tables import COLUMNS, read_csv_rows

DATA = Path(__file__).parent / "data"


@pytest.fixture()
def folder(tmp_path) -> Path:
    studies = tmp_path / "studies"
    studies.mkdir()
    for name in ("tiny.yaml", "claim-heating.yaml"):
        shutil.copy(DATA / name, studies / name)
    (studies / "broken.yaml").write_text("study: {id: broken\n")
    return studies


def _value(rows, study, system, criterion, breakdown="total", key="", statistic="value") -> float:
    (value,) = [float(r[7]) for r in rows if r[0] == study and r[2:7] == [system, criterion, breakdown, key, statistic]]
    return value


def test_batch_isolates_a_broken_study(folder, tmp_path, data_dir):
    code = main(["batch", str(folder), "--out", str(tmp_path / "out"), "--jobs", "1", "--quiet"])
    assert code == 2  # a study had an input error; the others were computed and written
    rows = read_csv_rows(tmp_path / "out" / "results.csv")
    assert rows[0] == list(COLUMNS)
    errors = [r for r in rows[1:] if r[4] == "error"]
    assert len(errors) == 1 and errors[0][0] == "broken" and "YAML syntax error" in errors[0][5]
    assert _value(rows, "tiny", "ai", "gwp") == pytest.approx(654.0)
    assert _value(rows, "tiny", "net", "gwp") == pytest.approx(-296.0)
    assert _value(rows, "claim-heating", "reference", "gwp") == pytest.approx(1000.0)
    assert _value(rows, "claim-heating", "net", "pe") == pytest.approx(-2800.0)
    # the AI service eats 162 / 200 = 81 % of the GWP gain (claim-heating.yaml header)
    assert _value(rows, "claim-heating", "ai", "gwp", "verdict", "ai_service_share") == pytest.approx(0.81)


def test_resumed_batch_recomputes_only_the_changed_study(folder, tmp_path, data_dir):
    options = BatchOptions(out_dir=str(tmp_path / "out"))
    first = run_batch([str(folder)], options, jobs=1)
    write_batch(first, options, ["csv"])
    assert [o.skipped for o in first.outcomes] == [False, False, False]
    text = (folder / "tiny.yaml").read_text()
    (folder / "tiny.yaml").write_text(text + "\n# an edit: the file's hash changes\n")
    second = run_batch([str(folder)], options, jobs=1)
    computed = sorted(Path(o.file).name for o in second.computed)
    assert computed == ["broken.yaml", "tiny.yaml"]  # failed studies are retried; claim-heating reused
    assert [r for o in second.outcomes for r in o.rows] == [r for o in first.outcomes for r in o.rows]
    third = run_batch([str(folder)], options, jobs=1, resume=False)
    assert len(third.computed) == 3


def test_batch_gives_the_same_table_as_lca_run(folder, tmp_path, data_dir):
    study = str(folder / "claim-heating.yaml")
    assert main(["run", study, "--out", str(tmp_path / "run"), "--format", "csv", "--quiet"]) == 0
    assert main(["batch", study, "--out", str(tmp_path / "batch"), "--jobs", "1", "--quiet"]) == 0
    assert (tmp_path / "run" / "claim-heating.csv").read_bytes() == (tmp_path / "batch" / "results.csv").read_bytes()


def test_serial_and_pool_tables_are_byte_identical(folder, tmp_path, data_dir):
    (folder / "broken.yaml").unlink()
    serial = BatchOptions(out_dir=str(tmp_path / "serial"))
    pool = BatchOptions(out_dir=str(tmp_path / "pool"))
    write_batch(run_batch([str(folder)], serial, jobs=1), serial, ["csv", "parquet"])
    result = run_batch([str(folder)], pool, jobs=2)
    assert not result.failed
    write_batch(result, pool, ["csv", "parquet"])
    for name in ("results.csv", "results.parquet"):
        assert (tmp_path / "serial" / name).read_bytes() == (tmp_path / "pool" / name).read_bytes()


def test_per_study_files_and_list_input(folder, tmp_path, data_dir):
    listing = tmp_path / "studies.txt"
    listing.write_text("# two studies\nstudies/tiny.yaml\n\nstudies/claim-heating.yaml  # the claim\n")
    code = main(["batch", str(listing), "--out", str(tmp_path / "out"), "--jobs", "1", "--quiet",
                 "--format", "csv,xlsx,json"])
    assert code == 0
    assert {p.name for p in (tmp_path / "out").iterdir()} >= {"results.csv", "results.xlsx", "tiny.json",
                                                                 "claim-heating.json"}


def test_batch_refuses_monte_carlo_without_a_seed(folder, tmp_path, capsys):
    assert main(["batch", str(folder), "--out", str(tmp_path / "o"), "--iterations", "100"]) == 2
    assert "--seed" in capsys.readouterr().err


def test_missing_source_is_a_located_error(tmp_path, capsys):
    assert main(["batch", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")]) == 2
    assert "nowhere:1: (file): not found" in capsys.readouterr().err


def test_a_batch_killed_half_way_resumes_where_it_was(folder, tmp_path, data_dir, monkeypatch):
    import lca.batch.runner as runner

    (folder / "broken.yaml").unlink()
    monkeypatch.setattr(runner._Progress, "SAVE_EVERY_S", 0.0)  # save the state after every study
    real = runner.run_study

    def killed_at_tiny(task, options, own_slot=True):
        if task.file.endswith("tiny.yaml"):
            raise KeyboardInterrupt  # the user pressed Ctrl-C during the second study
        return real(task, options, own_slot)

    options = BatchOptions(out_dir=str(tmp_path / "out"))
    monkeypatch.setattr(runner, "run_study", killed_at_tiny)
    with pytest.raises(KeyboardInterrupt):
        run_batch([str(folder)], options, jobs=1)  # claim-heating.yaml (first in order) completed
    monkeypatch.setattr(runner, "run_study", real)
    resumed = run_batch([str(folder)], options, jobs=1)
    assert [(Path(o.file).name, o.skipped) for o in resumed.outcomes] == [("claim-heating.yaml", True),
                                                                           ("tiny.yaml", False)]


def test_monte_carlo_batch_serial_equals_pool(tmp_path, data_dir):
    folder = tmp_path / "mc"
    folder.mkdir()
    shutil.copy(DATA / "mc-shared.yaml", folder / "mc-shared.yaml")
    shutil.copy(DATA / "claim-heating.yaml", folder / "claim-heating.yaml")
    tables = []
    for jobs in (1, 2):
        options = BatchOptions(out_dir=str(tmp_path / f"out{jobs}"), iterations=200, seed=7)
        result = run_batch([str(folder)], options, jobs=jobs)
        assert not result.failed, result.failed
        write_batch(result, options, ["csv"])
        tables.append((tmp_path / f"out{jobs}" / "results.csv").read_bytes())
    assert tables[0] == tables[1]
    assert b",p_benefit," in tables[0] and b",p97_5," in tables[0]
