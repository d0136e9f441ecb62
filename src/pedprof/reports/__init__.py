"""The information-analytical report (ИАС): .docx, .xlsx and .html.

:func:`build_report` gathers the content once — the analysis, the targeted
recommendations, the effectiveness of measures and, when available, a rating of
organisations; :func:`write_docx` (the narrative справка ready to be approved by order),
:func:`write_xlsx` (the tables, with native Excel charts, for further work) and
:func:`write_html` (one self-contained page with inline SVG charts) render it;
:func:`write_reports` writes all three.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pedprof.reports._content import Report, build_report, narrative, period_words
from pedprof.reports._docx import write_docx
from pedprof.reports._html import render_html, write_html
from pedprof.reports._xlsx import write_xlsx

__all__ = [
    "FORMATS",
    "Report",
    "build_report",
    "narrative",
    "period_words",
    "render_html",
    "report_stem",
    "write_docx",
    "write_html",
    "write_reports",
    "write_xlsx",
]

FORMATS = ("docx", "xlsx", "html")


def report_stem(report: Report) -> str:
    """The file name without extension: ``ias-<profile>-<period>``."""
    return f"ias-{report.profile.id}-{report.analysis.period}"


def write_reports(
    report: Report,
    directory: str | Path,
    *,
    formats: Iterable[str] = FORMATS,
    charts: bool = True,
) -> dict[str, Path]:
    """Write the report in each of ``formats`` into ``directory``.

    :param report: the report (:func:`build_report`).
    :param directory: the output directory (created if needed).
    :param formats: any of ``docx``, ``xlsx``, ``html``.
    :param charts: include charts in .docx and .html.
    :returns: format → path written.
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    stem = report_stem(report)
    written: dict[str, Path] = {}
    for fmt in formats:
        if fmt not in FORMATS:
            raise ValueError(f"unknown report format {fmt!r}; expected one of {FORMATS}")
        path = out / f"{stem}.{fmt}"
        if fmt == "docx":
            written[fmt] = write_docx(report, path, charts=charts)
        elif fmt == "xlsx":
            written[fmt] = write_xlsx(report, path)
        else:
            written[fmt] = write_html(report, path, charts=charts)
    return written
