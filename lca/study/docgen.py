"""Generate the reference part of docs/study-format.md from the pydantic models.

    python -m lca.study.docgen          # rewrite the generated section of docs/study-format.md
    python -m lca.study.docgen --check  # exit 1 if it is out of date (the test suite runs this)
"""

from __future__ import annotations

import sys
import typing
from pathlib import Path

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from lca.core.docsection import begin_marker, generator_main, splice

DOC = Path(__file__).resolve().parents[2] / "docs" / "study-format.md"  # a checkout: docs are not installed
BEGIN = begin_marker("lca.study.docgen")


def _type_name(annotation) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if annotation is type(None):
        return "null"
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return " or ".join(_type_name(a) for a in args)
    if origin in (list, tuple):
        inner = ", ".join(_type_name(a) for a in args if a is not Ellipsis)
        return f"list of {inner}"
    if origin is dict:
        return f"mapping of {_type_name(args[0])} to {_type_name(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    return getattr(annotation, "__name__", str(annotation))


def _models(annotation, seen: list) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.append(annotation)
        for info in annotation.model_fields.values():
            _models(info.annotation, seen)
        return
    for arg in typing.get_args(annotation):
        _models(arg, seen)


def reference(root: type[BaseModel]) -> str:
    """Markdown tables, one per model reachable from ``root``, in order of first use."""
    models: list = []
    _models(root, models)
    parts = []
    for model in models:
        parts.append(f"### {model.__name__}\n")
        doc = (model.__doc__ or "").strip()
        if doc and not doc.startswith("!!!"):
            parts.append(doc.split("\n\n")[0].replace("\n", " ") + "\n")
        parts.append("| field | type | required | default | description |")
        parts.append("| --- | --- | --- | --- | --- |")
        for name, info in model.model_fields.items():
            required = info.is_required()
            value = info.default_factory() if info.default_factory is not None else info.default
            default = "" if required or value is PydanticUndefined else f"`{value!r}`"
            desc = (info.description or "").replace("|", "\\|").replace("\n", " ")
            parts.append(f"| `{info.alias or name}` | {_type_name(info.annotation)} | {'yes' if required else 'no'} | {default} | {desc} |")
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def render(text: str) -> str:
    from lca.study.schema import Study

    return splice(text, BEGIN, f"\n{reference(Study)}\n", DOC.name)


def main(argv: list[str] | None = None) -> int:
    return generator_main(DOC, "lca.study.docgen", render, argv)


if __name__ == "__main__":
    sys.exit(main())
