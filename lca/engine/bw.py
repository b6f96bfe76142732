"""Import Brightway pointed at our data directory, quietly.

``BRIGHTWAY2_DIR`` must be set before ``bw2data`` is first imported, or Brightway writes into the
user's home directory. When ``bw2data`` is already imported (a notebook that used Brightway
before), its base directory is switched instead.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
import warnings
from pathlib import Path

from lca.core.errors import DataDirectoryError
from lca.engine.datadir import exclusive_lock

# the user's own Brightway directory, read before brightway_at points BRIGHTWAY2_DIR at ours
USER_BRIGHTWAY2_DIR = os.environ.get("BRIGHTWAY2_DIR")


def brightway(data_dir: Path):
    """Return ``(bw2data, bw2calc)`` using ``data_dir / "brightway"`` as Brightway's directory."""
    # bw2data creates its "default" project on first import: two processes doing it at once on a
    # fresh data directory collide in its projects database, so the import holds the lock too
    with exclusive_lock(data_dir):
        return brightway_at(data_dir / "brightway")


def brightway_at(bw_dir: Path):
    """Return ``(bw2data, bw2calc)`` with ``bw_dir`` (created if missing) as Brightway's directory."""
    bw_dir = Path(bw_dir).expanduser().resolve()
    try:
        (bw_dir / "logs").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataDirectoryError(f"cannot use the Brightway directory {bw_dir}: {exc.strerror}") from None
    with contextlib.redirect_stdout(io.StringIO()):
        if "bw2data" not in sys.modules:
            os.environ["BRIGHTWAY2_DIR"] = str(bw_dir)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"(?s).*pypardiso")
            import bw2calc
            import bw2data
        if Path(bw2data.projects._base_data_dir).resolve() != bw_dir:
            bw2data.projects.change_base_directories(bw_dir, base_logs_dir=bw_dir / "logs",
                                                     project_name="default", update=False)
    _quiet_structlog()
    return bw2data, bw2calc


def _quiet_structlog() -> None:
    try:
        import structlog

        structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    except Exception:  # structlog is an optional nicety of bw2data
        pass
