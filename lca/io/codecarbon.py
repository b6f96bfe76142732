"""Turn a CodeCarbon log (``emissions.csv``) into a study of the whole training footprint.

CodeCarbon measures the electricity of a run (CPU, GPU, RAM) and multiplies it by a grid
intensity. The study this module writes keeps the measured energy and adds what the log leaves
out: the data-centre overhead (PUE) when the log did not include it, the time share of the
production of the GPUs and of the host server (allocated by use time), and the life-cycle grid
intensity of the country, all from the background library with their sources. End of life is
not added: the completeness check shows it as missing, for the analyst to decide.

    lca import codecarbon emissions.csv --out my-training.yaml
    lca run my-training.yaml
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

from lca.library.background import Library
from lca.core.errors import InputError, Problem
from lca.core.yamlio import read_text

REQUIRED = ("run_id", "duration", "energy_consumed", "country_iso_code")
NUMERIC = ("duration", "energy_consumed", "gpu_count", "pue")
DEFAULT_DATACENTRE = "datacentre.industry-average"
DEFAULT_HOST = "server.generic"
UTILISATION_FROM = "datacentre.jean-zay"  # the dataset whose sourced `utilisation` attribute is used

# GPU model names as CodeCarbon reports them (from nvidia-smi) -> library dataset ids; first match wins.
GPU_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"h100.*pcie", "gpu.nvidia-h100-pcie"),
    (r"h100", "gpu.nvidia-h100"),
    (r"h200", "gpu.nvidia-h200"),
    (r"b200", "gpu.nvidia-b200"),
    (r"a100.*pcie.*80|a100.*80.*pcie", "gpu.nvidia-a100-80gb"),
    (r"a100.*pcie", "gpu.nvidia-a100-pcie-40gb"),
    (r"a100.*80", "gpu.nvidia-a100-80gb"),
    (r"a100", "gpu.nvidia-a100-40gb"),
    (r"v100", "gpu.nvidia-v100"),
)


@dataclass(frozen=True)
class Run:
    """One row of a CodeCarbon log."""

    line: int
    run_id: str
    project_name: str
    duration_s: float
    energy_kwh: float
    country: str
    gpu_count: int
    gpu_model: str
    pue: float | None
    codecarbon_version: str
    timestamp: str
    cloud: str = ""  # "gcp:us-east4" when the log says the run was on a cloud (on_cloud Y), else ""


def read_log(path: str | Path) -> list[Run]:
    """Read every run of a CodeCarbon ``emissions.csv``; InputError lists every bad cell."""
    shown = str(path)
    text = read_text(path)
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not any(rows[0]):
        raise InputError([Problem(shown, 1, "", "empty CSV; give CodeCarbon's emissions.csv")])
    header = [h.strip() for h in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError([Problem(shown, 1, c, "column missing: is this a CodeCarbon emissions.csv?")
                          for c in missing])
    problems: list[Problem] = []
    runs: list[Run] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(Problem(shown, number, "", f"{len(row)} cells where the header has {len(header)}"))
            continue
        cells = dict(zip(header, (c.strip() for c in row)))
        values: dict[str, float | None] = {}
        for column in NUMERIC:
            raw = cells.get(column, "")
            if raw == "":
                values[column] = None
                continue
            try:
                value = float(raw)
            except ValueError:
                problems.append(Problem(shown, number, column, f"{raw!r} is not a number"))
                continue
            if not math.isfinite(value) or value < 0:
                problems.append(Problem(shown, number, column, f"{raw!r} must be a finite number >= 0"))
                continue
            values[column] = value
        for column in ("duration", "energy_consumed"):
            if column in values and values[column] is None:
                problems.append(Problem(shown, number, column, "empty; CodeCarbon always writes it"))
        if not cells["country_iso_code"]:
            problems.append(Problem(shown, number, "country_iso_code", "empty; say where the run took place"))
        duration, energy = values.get("duration"), values.get("energy_consumed")
        if any(p.line == number for p in problems) or duration is None or energy is None:
            continue  # an empty duration or energy is one of these problems already
        runs.append(Run(
            line=number, run_id=cells["run_id"], project_name=cells.get("project_name", ""),
            duration_s=duration, energy_kwh=energy,
            country=cells["country_iso_code"].upper(), gpu_count=int(values.get("gpu_count") or 0),
            gpu_model=cells.get("gpu_model", ""), pue=values.get("pue"),
            codecarbon_version=cells.get("codecarbon_version", ""), timestamp=cells.get("timestamp", ""),
            cloud=_cloud(cells)))
    if problems:
        raise InputError(problems)
    if not runs:
        raise InputError([Problem(shown, 2, "", "no runs in the log")])
    return runs


def electricity_for(country: str, library: Library) -> str | None:
    """The national grid dataset whose geography is this ISO 3166 alpha-3 code, if any.

    Several datasets can share a country's geography (``electricity.fr`` and the cloud region
    ``electricity.gcp-europe-west9``): the national one has the shortest id.
    """
    matches = [ds.id for ds in library.datasets.values()
               if ds.kind == "electricity" and (ds.geography or "").upper() == country]
    return min(matches, key=lambda i: (len(i), i)) if matches else None


def gpu_for(model: str, library: Library) -> str | None:
    """The GPU dataset matching a CodeCarbon ``gpu_model`` text ("4 x NVIDIA A100-SXM4-40GB")."""
    text = model.lower()
    for pattern, dataset in GPU_PATTERNS:
        if re.search(pattern, text) and dataset in library.datasets:
            return dataset
    return None


def study_from_log(path: str | Path, library: Library, *, study_id: str | None = None,
                   run_id: str | None = None, gpu: str | None = None,
                   datacentre: str = DEFAULT_DATACENTRE) -> tuple[dict, list[str]]:
    """The study (a dict ready for YAML) and the warnings an analyst should read."""
    runs = _selected_runs(path, run_id)
    warnings: list[str] = []
    grid = _grid(runs, library, str(path), warnings)
    energy = sum(r.energy_kwh for r in runs)
    hours = sum(r.duration_s for r in runs) / 3600.0
    versions = ", ".join(sorted({r.codecarbon_version for r in runs if r.codecarbon_version})) or "unknown"
    name = Path(path).name
    log_source = f"CodeCarbon {versions} log {name}: {len(runs)} run(s), rows {runs[0].line}-{runs[-1].line}"
    activities: list[dict] = [{
        "id": "training-electricity", "name": "Training electricity as measured (CPU, GPU, RAM)",
        "stage": "C1", "phase": "training", "tier": "data_centre",
        "exchanges": [{"dataset": grid, "amount": "energy_measured", "source": log_source}],
    }]
    parameters: dict[str, dict] = {
        "energy_measured": {"value": f"{energy:.6g} kWh", "source": f"{log_source}, column energy_consumed"},
        "run_hours": {"value": f"{hours:.6g} h", "source": f"{log_source}, column duration"},
    }
    _add_overhead(runs, grid, datacentre, library, parameters, activities, warnings)
    parameters["utilisation"] = {"dataset": UTILISATION_FROM, "attribute": "utilisation"}
    _add_gpus(runs, gpu, library, log_source, parameters, activities, warnings)
    activities.append({
        "id": "host-server", "name": "Host server, time share of its production",
        "phase": "training", "tier": "data_centre",
        "equipment": {"dataset": DEFAULT_HOST, "count": 1, "hours": "run_hours", "utilisation": "utilisation",
                      "assumption": "one host server for the duration of the runs"},
    })
    study = {
        "study": {
            "id": study_id or _slug(runs[0].project_name or Path(path).stem),
            "name": f"Training footprint of {runs[0].project_name or name} (from CodeCarbon)",
            "description": (f"Imported from {name}. Measured electricity plus what the log leaves out: "
                            "data-centre overhead, production of the GPUs and host (by use time), "
                            "life-cycle grid intensity. End of life is not modelled."),
            "functional_unit": {"description": f"the {len(runs)} training run(s) of the log",
                                "quantity": 1, "unit": "training"},
        },
        "parameters": parameters,
        "systems": {"ai": {"name": "Training as logged by CodeCarbon", "activities": activities}},
    }
    return study, warnings


def _selected_runs(path: str | Path, run_id: str | None) -> list[Run]:
    runs = read_log(path)
    if run_id is not None:
        runs = [r for r in runs if r.run_id == run_id]
        if not runs:
            raise InputError([Problem(str(path), None, "run_id", f"no run {run_id!r} in the log")])
    return runs


def _cloud(cells: dict[str, str]) -> str:
    """``provider:region`` of a cloud run (CodeCarbon's on_cloud, cloud_provider, cloud_region), else ""."""
    provider, region = cells.get("cloud_provider", "").lower(), cells.get("cloud_region", "").lower()
    on_cloud = cells.get("on_cloud", "").upper() in ("Y", "YES", "TRUE", "1") or bool(provider and region)
    return f"{provider}:{region}" if on_cloud and provider and region else ""


def _grid(runs: list[Run], library: Library, shown: str, warnings: list[str]) -> str:
    """The electricity dataset of the runs' cloud region when the library has it (``electricity.gcp-us-east4``
    for a run on gcp us-east4), else of their country (one country per study), else the world's."""
    countries = sorted({r.country for r in runs})
    if len(countries) > 1:
        raise InputError([Problem(shown, runs[0].line, "country_iso_code",
                                  f"runs in several countries ({', '.join(countries)}); import one with --run")])
    clouds = sorted({r.cloud for r in runs})
    if len(clouds) == 1 and clouds[0]:
        provider, region = clouds[0].split(":", 1)
        region_grid = f"electricity.{provider}-{region}"
        if region_grid in library.datasets:
            warnings.append(f"the log's runs are on {provider} {region}: its region's grid {region_grid} is used, "
                            f"not the national average of {countries[0]}")
            return region_grid
        warnings.append(f"the log's runs are on {provider} {region}, which the library has no grid for: the "
                        f"national average of {countries[0]} is used (`lca data search --kind electricity {provider}`)")
    grid = electricity_for(countries[0], library)
    if grid is None:
        warnings.append(f"no electricity dataset for {countries[0]}: the world average is used; "
                        f"edit the study to pick another (`lca data list --kind electricity`)")
        return "electricity.world"
    return grid


def _add_overhead(runs: list[Run], grid: str, datacentre: str, library: Library, parameters: dict,
                  activities: list[dict], warnings: list[str]) -> None:
    """The data-centre overhead (PUE - 1) when the log did not include it."""
    pue_logged = {r.pue for r in runs if r.pue is not None}
    if pue_logged and max(pue_logged) > 1.0:
        warnings.append(f"the log's PUE is {max(pue_logged):g}: taken as already applied to energy_consumed")
        return
    pue = library.attribute_quantity(datacentre, "pue").to("dimensionless").magnitude
    ds, variant = library.dataset(datacentre)
    attr = library.attributes(ds, variant)["pue"]
    parameters["pue"] = {"value": float(pue), "source": f"{attr.source} (dataset {datacentre})"}
    activities.append({
        "id": "datacentre-overhead", "name": "Cooling and power supply (PUE overhead)",
        "stage": "C2", "phase": "training", "tier": "data_centre",
        "exchanges": [{"dataset": grid, "amount": "energy_measured * (pue - 1)",
                       "source": "CodeCarbon's PUE column is 1 (not included); overhead = energy x (PUE - 1)"}],
    })


def _add_gpus(runs: list[Run], gpu: str | None, library: Library, log_source: str, parameters: dict,
              activities: list[dict], warnings: list[str]) -> None:
    """The GPUs' production, by GPU-hours, when the log has GPUs and a dataset matches their model."""
    gpu_hours = sum(r.duration_s * r.gpu_count for r in runs) / 3600.0
    if gpu_hours <= 0:
        return
    models = sorted({r.gpu_model for r in runs if r.gpu_count > 0})
    dataset = gpu or gpu_for(" ".join(models), library)
    if dataset is None:
        warnings.append(f"no GPU dataset matches {', '.join(models)!r}: GPU production left out; "
                        "rerun with --gpu DATASET (`lca data list --kind equipment`)")
        return
    parameters["gpu_hours"] = {"value": f"{gpu_hours:.6g} h", "source": f"{log_source}, columns duration x gpu_count"}
    activities.append({
        "id": "gpus", "name": f"GPUs ({', '.join(models) or dataset}), time share of their production",
        "phase": "training", "tier": "data_centre",
        "equipment": {"dataset": dataset, "count": 1, "hours": "gpu_hours", "utilisation": "utilisation",
                      "source": f"GPU-hours from the log; model matched to {dataset}"},
    })


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-._")[:60]
    return slug or "codecarbon-training"
