"""Where ai-lca keeps caches that can be rebuilt at any time (pint's parsed units, the parsed library)."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "AI_LCA_DATA_DIR"


def cache_folder(name: str) -> Path | None:
    """``<data dir>/cache/<name>`` when ``AI_LCA_DATA_DIR`` is set (tests set it), else the per-user
    cache directory's ``<name>``; created if missing. Best effort: any problem means no cache (None)."""
    try:
        base = os.environ.get(ENV_VAR)
        if base:
            folder = Path(base) / "cache" / name
        else:
            import platformdirs

            folder = Path(platformdirs.user_cache_dir("ai-lca", appauthor=False)) / name
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return folder
    except Exception:
        return None
