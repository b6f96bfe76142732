"""Sending a batch to a Dask distributed cluster: one task per study (docs/batch.md).

Each worker process runs ``run_study`` exactly as a local pool worker does: it loads the library
once, claims a Brightway data directory of its own below its data directory (``AI_LCA_DATA_DIR``
on the worker, else its per-user data directory) and builds or reuses the project there. The
numbers do not depend on where a study runs (tested against the serial run, byte for byte).
The workers need this package installed (the same version) and, for per-study files, an
``--out`` folder they can all write to (a shared file system).
"""

from __future__ import annotations

from typing import Any

from .runner import BatchOptions, StudyOutcome, StudyTask, run_study


def _client(address: str):
    try:
        from distributed import Client
    except ImportError:
        from lca.core.errors import InputError, Problem

        raise InputError([Problem("--scheduler", None, "scheduler",
                                  "sending a batch to Dask needs dask[distributed]: pip install 'ai-lca[dask]'")]) from None
    if not address.startswith(("tcp://", "tls://", "ws://", "wss://", "inproc://", "ucx://")):
        from lca.core.errors import InputError, Problem

        raise InputError([Problem("--scheduler", None, "scheduler",
                                  f"{address!r} is not a scheduler address; give tcp://HOST:PORT")])
    return Client(address, timeout="30s", set_as_default=False)


def run_on_dask(address: Any, tasks: list[StudyTask], options: BatchOptions, bar) -> list[StudyOutcome]:
    """Run the tasks on the cluster at ``address`` (or on a ``distributed.Client`` given directly)."""
    client = address if hasattr(address, "submit") else _client(address)
    try:
        with client.as_current():
            return _run(client, tasks, options, bar)
    finally:
        if client is not address:
            client.close()


def _run(client, tasks: list[StudyTask], options: BatchOptions, bar) -> list[StudyOutcome]:
    from distributed import as_completed

    futures = [client.submit(run_study, task, options, True, key=f"lca-study-{task.key[:16]}-{i}", pure=False)
               for i, task in enumerate(tasks)]
    index = {f.key: i for i, f in enumerate(futures)}
    results: dict[int, StudyOutcome] = {}
    for future in as_completed(futures):
        i = index[future.key]
        try:
            results[i] = future.result()
        except Exception as exc:  # the worker died or the task was lost
            from pathlib import Path

            from lca.io.tables import error_row

            task = tasks[i]
            stem = Path(task.file).stem
            message = f"worker failed: {type(exc).__name__}: {exc}"
            results[i] = StudyOutcome(task.file, task.key, stem, "error", message,
                                      [error_row(stem, task.file, message)])
        bar.done(results[i])
    return [results[i] for i in range(len(tasks))]
