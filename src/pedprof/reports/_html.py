"""The справка as one self-contained HTML page (jinja2, inline SVG charts, no external
resources) — for a platform to embed or a browser to print."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from pedprof.reports._charts import _strip_prologue, render_svg
from pedprof.reports._content import (
    Block,
    Bullets,
    Chart,
    Diagram,
    Heading,
    Orientation,
    Paragraph,
    Report,
    Table,
    narrative,
)

__all__ = ["render_html", "write_html"]

_TEMPLATE = """<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="pedprof {{ version }}">
<title>{{ title }} {{ subtitle }}</title>
<style>
.pedprof-report { font-family: "PT Sans", "Segoe UI", Arial, sans-serif; color: #1d1d1d;
  max-width: 1180px; margin: 0 auto; padding: 24px 32px; line-height: 1.45; font-size: 15px; }
.pedprof-report h1 { text-align: center; font-size: 26px; margin: 8px 0 4px;
  text-transform: uppercase; letter-spacing: .02em; }
.pedprof-report h2 { font-size: 21px; margin: 32px 0 10px; border-bottom: 2px solid #2f5d8a;
  padding-bottom: 4px; }
.pedprof-report h3 { font-size: 17px; margin: 22px 0 8px; }
.pedprof-report p { margin: 6px 0; text-align: justify; }
.pedprof-report p.right { text-align: right; white-space: pre-line; color: #444; }
.pedprof-report p.center { text-align: center; font-size: 17px; }
.pedprof-report p.lead { font-weight: bold; background: #fff4d6; padding: 6px 10px;
  border-left: 4px solid #e0a800; }
.pedprof-report p.note { font-style: italic; color: #444; font-size: 13.5px; }
.pedprof-report ul { margin: 4px 0 8px 0; }
.pedprof-report li { margin: 2px 0; }
.pedprof-report .table-wrap { overflow-x: auto; margin: 6px 0 4px; }
.pedprof-report table { border-collapse: collapse; width: 100%; font-size: 13px; }
.pedprof-report caption { caption-side: top; text-align: left; font-weight: bold;
  padding: 4px 0; font-size: 14px; }
.pedprof-report th, .pedprof-report td { border: 1px solid #9aa7b5; padding: 3px 6px;
  vertical-align: top; }
.pedprof-report th { background: #d9e2f3; text-align: left; }
.pedprof-report td.right { text-align: right; white-space: nowrap; }
.pedprof-report td.bold { font-weight: bold; white-space: nowrap; }
.pedprof-report td.good { background: #e2efda; }
.pedprof-report td.bad { background: #f8d7da; }
.pedprof-report td.neutral { background: #fff2cc; }
.pedprof-report td.muted { background: #ededed; color: #555; }
.pedprof-report .table-note { font-size: 12.5px; font-style: italic; color: #444; }
.pedprof-report figure { margin: 10px 0 18px; }
.pedprof-report figure svg.chart { width: 100%; height: auto; }
.pedprof-report figcaption { text-align: center; font-style: italic; font-size: 13px; }
.pedprof-report nav.toc { background: #f4f7fb; padding: 8px 16px; margin: 16px 0; }
.pedprof-report nav.toc ul { margin: 4px 0; padding-left: 0; columns: 2; list-style: none; }
@media print { .pedprof-report { max-width: none; padding: 0; }
  .pedprof-report h2 { page-break-after: avoid; } .pedprof-report tr { page-break-inside: avoid; }
  .pedprof-report nav.toc { display: none; } }
</style>
</head>
<body>
<main class="pedprof-report">
{% for b in blocks %}
{%- if b.kind == "heading" and b.level == 0 %}
<h1>{{ b.text }}</h1>
{%- elif b.kind == "heading" %}
<h{{ b.level + 1 }}{% if b.anchor %} id="{{ b.anchor }}"{% endif %}>{{ b.text }}</h{{ b.level + 1 }}>
{%- elif b.kind == "toc" %}
<nav class="toc"><strong>Содержание</strong><ul>
{%- for h in toc %}<li><a href="#{{ h.anchor }}">{{ h.text }}</a></li>{% endfor %}
</ul></nav>
{%- elif b.kind == "paragraph" %}
<p class="{{ b.style }}">{{ b.text }}</p>
{%- elif b.kind == "bullets" %}
<ul>{% for item in b.entries %}<li>{{ item }}</li>{% endfor %}</ul>
{%- elif b.kind == "table" %}
<div class="table-wrap"><table>
{%- if b.caption %}<caption>{{ b.caption }}</caption>{% endif %}
<colgroup>{% for w in b.widths %}<col style="width: {{ w }}%">{% endfor %}</colgroup>
<thead><tr>{% for c in b.columns %}<th>{{ c }}</th>{% endfor %}</tr></thead>
<tbody>
{%- for row in b.rows %}
<tr>{% for c in row %}<td class="{{ c.cls }}">{{ c.text }}</td>{% endfor %}</tr>
{%- endfor %}
</tbody></table></div>
{%- if b.note %}<p class="table-note">{{ b.note }}</p>{% endif %}
{%- elif b.kind == "chart" %}
<figure>{{ b.svg | safe }}<figcaption>{{ b.title }}</figcaption></figure>
{%- endif %}
{% endfor %}
<p class="note">Справка сформирована {{ created }}.</p>
</main>
</body>
</html>
"""


def _cell_class(cell: Any) -> str:
    parts = []
    if cell.tone:
        parts.append(cell.tone)
    if cell.align == "right":
        parts.append("right")
    if cell.bold:
        parts.append("bold")
    return " ".join(parts)


def _view(blocks: list[Block], charts: bool) -> tuple[list[dict[str, Any]], list[Heading]]:
    out: list[dict[str, Any]] = []
    toc = [b for b in blocks if isinstance(b, Heading) and b.level == 1 and b.anchor]
    toc_done = False
    for b in blocks:
        if isinstance(b, Orientation):
            continue
        if isinstance(b, Heading):
            if b.level == 1 and not toc_done:
                out.append({"kind": "toc"})
                toc_done = True
            out.append({"kind": "heading", "text": b.text, "level": b.level, "anchor": b.anchor})
        elif isinstance(b, Paragraph):
            out.append({"kind": "paragraph", "text": b.text, "style": b.style})
        elif isinstance(b, Bullets):
            out.append({"kind": "bullets", "entries": b.items})
        elif isinstance(b, Table):
            rows = [[{"text": c.text, "cls": _cell_class(c)} for c in row] for row in b.rows]
            weights = b.widths or tuple(1.0 for _ in b.columns)
            out.append(
                {
                    "kind": "table",
                    "widths": [f"{100 * w / sum(weights):.1f}" for w in weights],
                    "caption": b.caption,
                    "columns": b.columns,
                    "rows": rows,
                    "note": b.note,
                }
            )
        elif isinstance(b, Chart) and charts:
            svg = render_svg(b)
            out.append({"kind": "chart", "svg": svg, "title": b.title})
        elif isinstance(b, Diagram) and charts:
            from pedprof.cycle.documents import chain_svg

            svg = _strip_prologue(chain_svg(b.chains))
            out.append({"kind": "chart", "svg": svg, "title": b.title})
    return out, toc


def render_html(report: Report, *, charts: bool = True, full: bool | None = None) -> str:
    """The report as one self-contained HTML page.

    :param report: the report.
    :param charts: include the charts (inline SVG).
    :param full: the full справка (default: ``report.full``).
    :returns: the HTML text.
    """
    from importlib.metadata import version

    env = jinja2.Environment(autoescape=True, trim_blocks=False, lstrip_blocks=False)
    template = env.from_string(_TEMPLATE)
    blocks, toc = _view(narrative(report, charts=charts, full=full), charts)
    return template.render(
        blocks=blocks,
        toc=toc,
        title=report.title,
        subtitle=report.subtitle,
        created=f"{report.created:%d.%m.%Y}",
        version=version("pedprof"),
    )


def write_html(
    report: Report, path: str | Path, *, charts: bool = True, full: bool | None = None
) -> Path:
    """Write the report as one self-contained ``.html`` file.

    :param report: the report.
    :param path: the file to write.
    :param charts: include the charts.
    :param full: the full справка (default: ``report.full``).
    :returns: the path written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(report, charts=charts, full=full), encoding="utf-8")
    return path
