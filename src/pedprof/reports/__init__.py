"""The information-analytical report (ИАС): .docx, .xlsx, .html and .pdf.

:func:`build_report` gathers the content once — the analysis, the targeted
recommendations, the effectiveness of measures and, when available, a rating of
organisations; :func:`write_docx` (the narrative справка ready to be approved by order),
:func:`write_xlsx` (the tables, with native Excel charts, for further work) and
:func:`write_html` (one self-contained page with inline SVG charts) render it;
:func:`write_reports` writes any of them, and a PDF of the .docx through LibreOffice
(:func:`write_pdf`) when asked for.

The справка is concise by default (goal and basis, the summary table, conclusions per
criterion, problem zones, recommendations, measures and decisions); ``full=True`` (in
:func:`build_report` or here) writes every section and appendix.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pedprof.reports._content import Report, build_report, narrative, period_words
from pedprof.reports._docx import write_docx
from pedprof.reports._html import render_html, write_html
from pedprof.reports._pdf import LibreOfficeMissingError, find_soffice, write_pdf
from pedprof.reports._xlsx import write_xlsx

__all__ = [
    "ALL_FORMATS",
    "FORMATS",
    "LibreOfficeMissingError",
    "Report",
    "build_report",
    "find_soffice",
    "narrative",
    "period_words",
    "render_html",
    "report_stem",
    "write_docx",
    "write_html",
    "write_pdf",
    "write_reports",
    "write_xlsx",
]

#: The formats written by default.
FORMATS = ("docx", "xlsx", "html")
#: Every format :func:`write_reports` can write (``pdf`` needs LibreOffice).
ALL_FORMATS = ("docx", "xlsx", "html", "pdf")


def report_stem(report: Report) -> str:
    """The file name without extension: ``ias-<profile>-<period>``."""
    return f"ias-{report.profile.id}-{report.analysis.period}"


def write_reports(
    report: Report,
    directory: str | Path,
    *,
    formats: Iterable[str] = FORMATS,
    charts: bool = True,
    full: bool | None = None,
) -> dict[str, Path]:
    """Write the report in each of ``formats`` into ``directory``.

    :param report: the report (:func:`build_report`).
    :param directory: the output directory (created if needed).
    :param formats: any of ``docx``, ``xlsx``, ``html``, ``pdf`` (the .docx converted by
        LibreOffice; :class:`LibreOfficeMissingError` when it is not installed, raised
        before anything is written).
    :param charts: include charts in .docx, .html and .pdf.
    :param full: the full справка rather than the concise one (default: ``report.full``).
    :returns: format → path written.
    """
    wanted = list(dict.fromkeys(formats))
    for fmt in wanted:
        if fmt not in ALL_FORMATS:
            raise ValueError(f"unknown report format {fmt!r}; expected one of {ALL_FORMATS}")
    if "pdf" in wanted and find_soffice() is None:
        raise LibreOfficeMissingError(
            "Справку в формате PDF можно получить, только если установлен LibreOffice "
            "(программа soffice не найдена). Установите LibreOffice или сохраните файл .docx "
            "как PDF в своём офисном пакете."
        )
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    stem = report_stem(report)
    written: dict[str, Path] = {}
    for fmt in wanted:
        path = out / f"{stem}.{fmt}"
        if fmt == "docx":
            written[fmt] = write_docx(report, path, charts=charts, full=full)
        elif fmt == "xlsx":
            written[fmt] = write_xlsx(report, path)
        elif fmt == "html":
            written[fmt] = write_html(report, path, charts=charts, full=full)
    if "pdf" in wanted:
        import tempfile

        docx_path = written.get("docx")
        with tempfile.TemporaryDirectory(prefix="pedprof-ias-") as tmp:
            if docx_path is None:
                docx_path = write_docx(report, Path(tmp) / f"{stem}.docx", charts=charts, full=full)
            written["pdf"] = write_pdf(docx_path, out / f"{stem}.pdf")
    return written
