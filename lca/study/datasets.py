"""References from a study to the library's datasets."""

from __future__ import annotations

import difflib

from lca.library.background import Library


def unknown_dataset(ref: str, library: Library, exc: KeyError) -> str:
    ident = ref.partition("@")[0]
    if ident in library.datasets:
        return str(exc.args[0])
    close = difflib.get_close_matches(ident, list(library.datasets), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else "; `lca data list` shows the datasets"
    return f"unknown dataset {ident!r}{hint}"
