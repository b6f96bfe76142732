"""Cloud instances by provider and name, as BoaviztAPI's archetypes describe them.

    python inventories/generators/cloud_instances.py [--wheels DIR] [--out DIR]

Reads BoaviztAPI (pinned, see _common.PINS; AGPL-3.0: its files are read, never imported):

- ``data/archetypes/cloud/providers.csv`` and ``data/archetypes/cloud/<provider>.csv``: one row
  per instance (vCPU, memory, local SSD and HDD storage, GPU units, platform), one dataset
  ``instance.<provider>.<name>`` each, its configuration as sourced attributes;
- ``data/archetypes/server.csv``: the instance's platform (host server): its lifetime
  (``USAGE.hours_life_time``), CPU, RAM and GPU as written, in the description and attributes.

Impacts. BoaviztAPI computes an instance's embodied impacts at run time with its own model (each
platform component's factors from ``factors.yml``, completed with defaults and CPU/GPU look-ups,
allocated to the instance by vCPU, memory, storage and GPU shares). Repeating that model here would
mean re-implementing it, defaults included, without a way to check the result: not done. Where
BoaviztAPI's release ships the model's *output*, it is read:

- ``data/utils/complete_Azure_VMs/result.csv``: for Azure instances, the embodied GWP allocated
  to the instance over its host's whole lifetime (``gwp_manufacturing_total_host_lifetime_impact``)
  and the power at 0, 50 and 100 % load (``energy_1h_loadN``: BoaviztAPI's ``avg_power`` in W,
  i.e. Wh per hour), computed by ``generate_impact_azure.py`` against a local BoaviztAPI whose
  version the file does not state. A row is used only when its configuration (vCPU, memory,
  storage, GPU units, platform) equals the 2.5.0 archetype's and its per-hour figure times the
  platform's lifetime gives back its lifetime figure within the file's 2-significant-digit
  rounding (the lifetime has not changed since). Other instances, and every other criterion, are
  ``no data``. (``aws_result.csv`` in the same folder is not used: its column
  ``gwp_manufacturing_impact_total`` holds per-hour figures under a lifetime name, an older form
  of the script.)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import cli, dump_datasets, header, num, open_package, parse_float

SCRIPT = "cloud_instances.py"
CLOUD = "boaviztapi/data/archetypes/cloud"
SERVERS = "boaviztapi/data/archetypes/server.csv"
AZURE_RESULT = "boaviztapi/data/utils/complete_Azure_VMs/result.csv"
CONFIG = ("vcpu", "memory", "ssd_storage", "hdd_storage", "gpu_units")
UNITS = {"vcpu": "", "memory": " GB", "ssd_storage": " GB", "hdd_storage": " GB", "gpu_units": ""}
ROUNDING = 0.12  # the result file's 2 significant digits: a per-hour 0.0005 stands for 0.00045 to 0.00055
LOADS = (0, 50, 100)
NO_DATA = {"gwp": "no data", "adpe": "no data", "pe": "no data", "water": "no data"}


def _first(cell: str) -> str:
    """``"2;2;2"`` (default;min;max) -> ``"2"``."""
    return cell.split(";")[0].strip()


def _attr(value: str, cite: str, note: str | None = None) -> dict:
    out = {"value": value, "year": 2025, "source": cite}
    if note:
        out["note"] = note
    return out


def _platform_words(row: dict) -> str:
    """The host as BoaviztAPI's server.csv writes it: CPU, RAM, GPU (only the fields it fills)."""
    parts = []
    cpu = row.get("CPU.name", "").strip()
    cpus = _first(row.get("CPU.units", ""))
    if cpu:
        parts.append(f"{num(parse_float(cpus))} x {cpu}" if parse_float(cpus) else cpu)
    ram_units, ram_cap = parse_float(_first(row.get("RAM.units", ""))), parse_float(_first(row.get("RAM.capacity", "")))
    if ram_units and ram_cap:
        parts.append(f"{num(ram_units)} x {num(ram_cap)} GB RAM")
    gpus, gpu = parse_float(_first(row.get("GPU.units", ""))), row.get("GPU.name", "").strip()
    if gpus and gpu:
        parts.append(f"{num(gpus)} x {gpu}")
    return ", ".join(parts)


def _configuration(bz, provider: str, row: dict, servers: dict[str, dict]) -> dict:
    path = f"{CLOUD}/{provider}.csv"
    attrs = {}
    for col in CONFIG:
        value = parse_float(row[col])
        if value is None or (value == 0 and col != "vcpu"):
            continue  # no local storage, no GPU: not an attribute (the description says what it has)
        attrs[col] = _attr(f"{num(value)}{UNITS[col]}", bz.cite(path, f"{row['id']}.{col}"))
    host = servers[row["platform"]]
    life = parse_float(_first(host["USAGE.hours_life_time"]))
    if life:
        attrs["lifetime"] = _attr(f"{num(life)} h", bz.cite(SERVERS, f"{row['platform']}.USAGE.hours_life_time"),
                                  "lifetime of the host platform, over which its embodied impacts are allocated")
    return attrs


def _azure_results(bz, archetypes: list[dict], servers: dict[str, dict]) -> dict[str, dict]:
    """Azure result rows whose configuration and lifetime agree with the 2.5.0 archetypes (see docstring)."""
    rows = {r["id"]: r for r in bz.csv_dicts(AZURE_RESULT)}
    out = {}
    for arch in archetypes:
        res = rows.get(arch["id"])
        if res is None or res["platform"] != arch["platform"]:
            continue
        if any(parse_float(res[c]) != parse_float(arch[c]) for c in CONFIG):
            continue
        total, hourly = parse_float(res["gwp_manufacturing_total_host_lifetime_impact"]), \
            parse_float(res["gwp_manufacturing_1h_impact"])
        life = parse_float(_first(servers[arch["platform"]]["USAGE.hours_life_time"]))
        if not total or not hourly or not life or abs(hourly * life / total - 1) > ROUNDING:
            continue
        out[arch["id"]] = res
    return out


def _result_variant(bz, ident: str, res: dict) -> dict:
    key = f"{ident}.gwp_manufacturing_total_host_lifetime_impact"
    gwp = {"value": f"{num(parse_float(res['gwp_manufacturing_total_host_lifetime_impact']))} kgCO2e",
           "year": 2025, "source": f"BoaviztAPI cloud-instance model output, {bz.cite(AZURE_RESULT, key)}",
           "note": ("embodied GWP of the host's manufacture allocated to this instance over the host's lifetime, "
                    "computed by generate_impact_azure.py (same folder) with a BoaviztAPI whose version the file "
                    "does not state (2025 is the year of the release that ships the file); 2 significant digits; "
                    "end of life not included")}
    attrs = {}
    for load in LOADS:
        power = parse_float(res[f"energy_1h_load{load}"])
        if power is not None:
            attrs[f"power_load{load}"] = _attr(
                f"{power:.4g} W", bz.cite(AZURE_RESULT, f"{ident}.energy_1h_load{load}"),
                f"BoaviztAPI's modelled average power of the instance at {load} % CPU load (its verbose avg_power)")
    return {"label": "BoaviztAPI cloud-instance model output shipped with BoaviztAPI 2.5.0 (Azure result file)",
            "attributes": attrs, "impacts": {**NO_DATA, "gwp": gwp}}


def _dataset(bz, provider: str, provider_name: str, row: dict, servers: dict, result: dict | None) -> dict:
    ident = row["id"]
    host = servers[row["platform"]]
    words = _platform_words(host)
    vcpu, mem = num(parse_float(row["vcpu"])), num(parse_float(row["memory"]))
    how = ("Embodied GWP: BoaviztAPI's own model output for this instance, read from the Azure result file its "
           "release ships (see the variant's note); ADPe, primary energy and water: no data."
           if result else
           "Configuration only: BoaviztAPI computes an instance's impacts with its model at run time and its release "
           "ships no precomputed figure for this instance, so every impact is no data. Scale a server dataset by "
           "the vCPU or memory share to estimate it, and say so in the study.")
    desc = (f"{provider_name} instance {ident}, {vcpu} vCPU and {mem} GB memory, on BoaviztAPI's platform "
            f"{row['platform']}" + (f" ({words})" if words else "") + f". {how}")
    if row.get("source", "").strip():
        desc += f" Instance specification source, as BoaviztAPI gives it: {row['source'].strip()}"
    variant = _result_variant(bz, ident, result) if result else {
        "label": f"BoaviztAPI 2.5.0 archetype {provider}/{ident}, configuration only", "impacts": dict(NO_DATA)}
    vname = "boaviztapi-result" if result else "boaviztapi-2.5.0"
    return {"id": f"instance.{provider}.{ident}", "kind": "service",
            "name": f"{provider_name} {ident} cloud instance ({vcpu} vCPU, {mem} GB)", "unit": "unit",
            "covers": "A+B1", "description": desc, "attributes": _configuration(bz, provider, row, servers),
            "default": vname, "variants": {vname: variant}}


def generate(wheels=None) -> dict[str, str]:
    """Write the cloud instances of every BoaviztAPI provider (configuration, and impacts where shipped)."""
    bz = open_package("boaviztapi", wheels)
    servers = {r["id"]: r for r in bz.csv_dicts(SERVERS)}
    files = {}
    for prov in bz.csv_dicts(f"{CLOUD}/providers.csv"):
        provider, provider_name = prov["provider.name"], prov["provider.description"]
        rows = bz.csv_dicts(f"{CLOUD}/{provider}.csv")
        results = _azure_results(bz, rows, servers) if provider == "azure" else {}
        datasets = [_dataset(bz, provider, provider_name, r, servers, results.get(r["id"]))
                    for r in sorted(rows, key=lambda r: r["id"])]
        files[f"cloud-instances-{provider}.yaml"] = dump_datasets(datasets, header(SCRIPT, [bz], [
            f"{provider_name} instances ({len(datasets)}) from BoaviztAPI's cloud archetypes; "
            f"{len(results)} with BoaviztAPI's own embodied GWP output, the others configuration only.",
            "How each is derived: see the generator's docstring and each dataset's description."]))
    return files


if __name__ == "__main__":
    sys.exit(cli(SCRIPT, generate))
