"""The corpus report (HTML, PDF): grades by domain as a Sankey diagram (domain → grade → verdict),
the share of audited claims whose gain survives the AI service, how much of the gain the AI
service eats, the burden shifts, and every claim linked to its study report. Drawn as SVG in the
page (no script, no remote resource), rendered like the study report (Jinja2, WeasyPrint).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from markupsafe import Markup, escape

from lca.report.fmt import doi_href, num, pct, safe_href, utc_stamp
from lca.review.grading import GRADE_MEANINGS, GRADES

GRADE_COLOURS = {"a": "#b91c1c", "b": "#ea580c", "c": "#ca8a04", "d": "#65a30d", "e": "#15803d"}
VERDICT_COLOURS = {"holds": "#166534", "holds_on_some": "#b45309", "does_not_hold": "#991b1b",
                   "cannot_tell": "#6b7280", "footprint only": "#9ca3af", "study failed": "#111827",
                   "no study": "#d1d5db"}
VERDICT_ORDER = tuple(VERDICT_COLOURS)
SHARE_BINS = (("under 1 %", 0.0, 0.01), ("1-10 %", 0.01, 0.10), ("10-50 %", 0.10, 0.50),
              ("50-100 %", 0.50, 1.0), ("100 % or more: eats the gain", 1.0, float("inf")))
NO_GAIN = "no gain to eat"


def _text(x, y, text, anchor="start", size=11, weight="normal", fill="#1f2937") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" font-weight="{weight}" '
            f'fill="{fill}">{escape(text)}</text>')


def sankey_svg(rows, width: int = 660) -> Markup:
    """Domain → grade → verdict, band widths proportional to the number of claims."""
    columns = [
        sorted({r.graded.item.claim.domain for r in rows}),
        [g for g in GRADES if any(r.graded.grade.grade == g for r in rows)],
        [v for v in VERDICT_ORDER if any(r.verdict == v for r in rows)],
    ]
    keys = [lambda r: r.graded.item.claim.domain, lambda r: r.graded.grade.grade, lambda r: r.verdict]
    counts = [Counter(k(r) for r in rows) for k in keys]
    n = max(len(rows), 1)
    gap, top, node_w = 8.0, 28.0, 12.0
    height_avail = max(220.0, 14.0 * n)
    unit = min((height_avail - gap * (len(c) - 1)) / n for c in columns if c) if rows else 1.0
    xs = [150.0, width / 2 - node_w / 2, width - 170.0]
    pos: list[dict[str, list[float]]] = []  # per column: node -> [y, out-offset, in-offset]
    body = []
    for ci, nodes in enumerate(columns):
        y = top
        pos.append({})
        for node in nodes:
            h = counts[ci][node] * unit
            pos[ci][node] = [y, y, y]
            colour = GRADE_COLOURS.get(node, "#374151") if ci == 1 else (VERDICT_COLOURS.get(node, "#374151")
                                                                         if ci == 2 else "#374151")
            body.append(f'<rect x="{xs[ci]:.1f}" y="{y:.1f}" width="{node_w}" height="{max(h, 1):.1f}" '
                        f'fill="{colour}"><title>{escape(node)}: {counts[ci][node]}</title></rect>')
            label = f"{node} ({counts[ci][node]})" if ci != 1 else f"{node}: {counts[ci][node]}"
            if ci == 0:
                body.append(_text(xs[0] - 6, y + h / 2 + 4, label, anchor="end", size=10))
            elif ci == 1:
                body.append(_text(xs[1] + node_w / 2, y - 2 if h < 12 else y + h / 2 + 4, node.upper(),
                                  anchor="middle", size=10, weight="bold", fill="#ffffff" if h >= 12 else "#1f2937"))
            else:
                body.append(_text(xs[2] + node_w + 6, y + h / 2 + 4, label.replace("_", " "), size=10))
            y += h + gap
    links = []
    for ci in (0, 1):
        flows = Counter((keys[ci](r), keys[ci + 1](r)) for r in rows)
        order = {node: i for i, node in enumerate(columns[ci + 1])}
        for (src, dst) in sorted(flows, key=lambda sd: (columns[ci].index(sd[0]), order[sd[1]])):
            h = flows[(src, dst)] * unit
            y0 = pos[ci][src][1]
            y1 = pos[ci + 1][dst][2]
            pos[ci][src][1] += h
            pos[ci + 1][dst][2] += h
            x0, x1 = xs[ci] + node_w, xs[ci + 1]
            mid = (x0 + x1) / 2
            grade = src if ci == 1 else dst
            colour = GRADE_COLOURS[grade]
            links.append(f'<path d="M{x0:.1f},{y0:.1f} C{mid:.1f},{y0:.1f} {mid:.1f},{y1:.1f} {x1:.1f},{y1:.1f} '
                         f'L{x1:.1f},{y1 + h:.1f} C{mid:.1f},{y1 + h:.1f} {mid:.1f},{y0 + h:.1f} {x0:.1f},{y0 + h:.1f} Z" '
                         f'fill="{colour}" fill-opacity="0.45"><title>{escape(src)} → {escape(dst)}: '
                         f'{flows[(src, dst)]}</title></path>')
    total_h = max((p[0] for col in pos for p in col.values()), default=top)
    height = max(top + height_avail + gap * max(len(c) for c in columns) + 10, total_h + 40)
    head = [_text(xs[0], 14, "domain", anchor="end", size=10, weight="bold"),
            _text(xs[1] + node_w / 2, 14, "grade (a worst … e best)", anchor="middle", size=10, weight="bold"),
            _text(xs[2], 14, "verdict of the study", size=10, weight="bold")]
    svg = (f'<svg class="chart sankey" data-chart="sankey" xmlns="http://www.w3.org/2000/svg" '
           f'viewBox="0 0 {width} {height:.0f}" width="100%" role="img" font-family="sans-serif">'
           f"<title>Claims by domain, grade and verdict</title>")
    return Markup(svg + "".join(head + links + body) + "</svg>")


def share_bins(rows) -> list[tuple[str, int]]:
    """Audited claims by how much of the gain the AI service eats (on the criterion judged)."""
    audited = [r for r in rows if r.criterion is not None]
    out = []
    for label, lo, hi in SHARE_BINS:
        out.append((label, sum(1 for r in audited if r.ai_service_share is not None and lo <= r.ai_service_share < hi)))
    out.append((NO_GAIN, sum(1 for r in audited if r.ai_service_share is None)))
    return out


def share_svg(bins: list[tuple[str, int]], width: int = 660) -> Markup:
    top, bar_h, gap, label_w = 10.0, 16.0, 6.0, 210.0
    most = max((n for _, n in bins), default=0) or 1
    body = []
    for i, (label, n) in enumerate(bins):
        y = top + i * (bar_h + gap)
        w = (width - label_w - 60) * n / most
        body.append(_text(label_w - 8, y + bar_h - 4, label, anchor="end", size=10))
        body.append(f'<rect x="{label_w}" y="{y:.1f}" width="{max(w, 0.5):.1f}" height="{bar_h}" fill="#6b21a8">'
                    f"<title>{escape(label)}: {n}</title></rect>")
        body.append(_text(label_w + w + 6, y + bar_h - 4, str(n), size=10))
    height = top + len(bins) * (bar_h + gap) + 6
    return Markup(f'<svg class="chart" data-chart="ai-service-share" xmlns="http://www.w3.org/2000/svg" '
                  f'viewBox="0 0 {width} {height:.0f}" width="100%" role="img" font-family="sans-serif">'
                  f"<title>How much of the gain the AI service eats</title>" + "".join(body) + "</svg>")


@dataclass(frozen=True)
class CorpusContext:
    title: str
    corpus_file: str
    corpus_sha256: str
    generated: str
    version: str
    total: int
    counts: dict[str, int]
    meanings: dict[str, str]
    by_domain: list[tuple[str, dict[str, int], int]]
    sankey: Markup
    audited: int
    survives: int
    fails: int
    unknown: int
    share_chart: Markup
    bins: list[tuple[str, int]]
    shifts: list
    rows: list
    criteria: dict[str, dict]
    disagreements: list


def _source_link(claim) -> Markup:
    href = doi_href(claim.source.doi) or safe_href(claim.source.url)
    if href is None:
        return Markup("")
    label = f"doi:{claim.source.doi}" if claim.source.doi else "link"
    return Markup('<a href="{}" rel="noopener noreferrer">{}</a>').format(href, label)


def corpus_context(audit) -> CorpusContext:
    from pathlib import Path

    from lca import __version__
    from lca.report import _epoch as source_date_epoch

    rows = audit.rows
    domains = sorted({r.graded.item.claim.domain for r in rows})
    by_domain = []
    for d in domains:
        c = Counter(r.graded.grade.grade for r in rows if r.graded.item.claim.domain == d)
        by_domain.append((d, {g: c.get(g, 0) for g in GRADES}, sum(c.values())))
    audited = [r for r in rows if r.criterion is not None]
    bins = share_bins(rows)
    table = []
    for r in rows:
        claim = r.graded.item.claim
        gain = claim.claimed_gain
        table.append({
            "id": r.id, "row": r.graded.item.row, "citation": claim.source.citation, "link": _source_link(claim),
            "domain": claim.domain, "statement": claim.statement, "grade": r.graded.grade,
            "evidence": claim.evaluated.gain + (f"; AI service counted: {', '.join(claim.evaluated.ai_service)}"
                                                if claim.evaluated.ai_service else "; AI service not counted"),
            "claimed": f"{gain.value:g} {gain.unit} ({gain.criterion})" if gain else "",
            "verdict": r.verdict, "criterion": r.criterion, "survives": r.survives,
            "judged": {True: "survives", False: "does not survive", None: "cannot tell"}[r.survives],
            "share": pct(r.ai_service_share) if r.ai_service_share is not None else ("–" if r.criterion else ""),
            "report": r.report, "study_error": r.study_error, "note": r.graded.item.note,
        })
    shifts = [t for t, r in zip(table, rows) if r.burden_shift]
    return CorpusContext(
        title="Audit of a corpus of AI-for-green claims", corpus_file=Path(audit.corpus.path).name,
        corpus_sha256=audit.corpus.sha256, generated=utc_stamp(source_date_epoch()), version=__version__,
        total=len(rows), counts=audit.counts(), meanings=GRADE_MEANINGS, by_domain=by_domain,
        sankey=sankey_svg(rows), audited=len(audited), survives=sum(1 for r in audited if r.survives is True),
        fails=sum(1 for r in audited if r.survives is False), unknown=sum(1 for r in audited if r.survives is None),
        share_chart=share_svg(bins), bins=bins, shifts=shifts, rows=table, criteria=audit.criteria,
        disagreements=[t for t, r in zip(table, rows) if r.graded.grade.agrees is False],
    )


def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from lca.core.resources import templates_dir
    from lca.report import fmt

    env = Environment(loader=FileSystemLoader(str(templates_dir())), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(num=fmt.num, pct=fmt.pct)
    return env


def render_corpus_html(audit, *, pdf: bool = False) -> str:
    return _environment().get_template("corpus.html.j2").render(c=corpus_context(audit), pdf=pdf)


def render_corpus_pdf(audit) -> bytes:
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return HTML(string=render_corpus_html(audit, pdf=True), base_url=None).write_pdf(
        pdf_identifier=audit.corpus.sha256[:32].encode())


__all__ = ["num", "render_corpus_html", "render_corpus_pdf", "sankey_svg", "share_bins"]
