"""The ИАС as LibreOffice prints it: the .docx converted to PDF (``soffice --headless``) and
read back with pypdf. Many municipalities use LibreOffice, Р7-Офис or МойОфис: a table
must not lose rows at a page break, nor a word be broken inside a cell.

Skipped, with a message, where LibreOffice is not installed — unless
``PEDPROF_REQUIRE_LIBREOFFICE=1`` (set by ``.ci/run``), which turns the skip into a failure.
"""

from __future__ import annotations

import itertools
import os
import re
from importlib import resources
from pathlib import Path

import docx
import pandas as pd
import pytest
from pypdf import PdfReader

import pedprof
from pedprof.cycle.measures import load_measures
from pedprof.reports import build_report, find_soffice, write_reports
from pedprof.reports._pdf import convert_to_pdf

if find_soffice() is None:
    if os.environ.get("PEDPROF_REQUIRE_LIBREOFFICE") == "1":
        pytest.fail(
            "LibreOffice (soffice) is not installed, but PEDPROF_REQUIRE_LIBREOFFICE=1 "
            "requires the PDF tests to run",
            pytrace=False,
        )
    pytest.skip(
        "LibreOffice is not installed (no soffice on PATH): the PDF rendering of the ИАС is "
        "not checked here; .ci/run installs it",
        allow_module_level=True,
    )


def _report(profile_id: str, full: bool) -> object:
    profile = pedprof.get_profile(profile_id)
    data = pedprof.load_sample(profile)
    register = None
    sample = resources.files(f"pedprof_{profile_id}").joinpath("data/sample/measures.csv")
    if sample.is_file():
        with sample.open("rb") as fh:
            register = load_measures(
                pd.read_csv(fh, dtype=str, keep_default_na=False), profile=profile
            )
    return build_report(profile, data, measures=register, suppress_below=5, full=full)


@pytest.fixture(scope="module", params=[False, True], ids=["concise", "full"])
def karabash(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:
    report = _report("karabash", request.param)
    out = tmp_path_factory.mktemp("pdf")
    written: dict = write_reports(report, out, formats=("docx", "xlsx", "pdf"))
    return {**written, "full": request.param}


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _names(path: Path) -> list[str]:
    """The indicator name of every row of every table that has a «Показатель» column."""
    names = []
    for table in docx.Document(str(path)).tables:
        header = [c.text for c in table.rows[0].cells]
        if "Показатель" not in header:
            continue
        k = header.index("Показатель")
        names += [row.cells[k].text for row in table.rows[1:] if row.cells[k].text]
    return names


def _printed(pdf_path: Path, docx_path: Path) -> list[str]:
    """Each page's text without spaces, page numbers and the table headers repeated at the
    top of a page."""
    headers = {
        _squeeze("".join(c.text for c in t.rows[0].cells))
        for t in docx.Document(str(docx_path)).tables
    }
    pages = []
    for page in PdfReader(str(pdf_path)).pages:
        lines = page.extract_text().strip().split("\n")
        if lines and lines[-1].strip().isdigit():
            lines = lines[:-1]  # the page number in the footer
        flat = _squeeze("".join(lines))
        for header in headers:
            if flat.startswith(header):
                flat = flat[len(header) :]
        pages.append(flat)
    return pages


def _found(name: str, pages: list[str]) -> bool:
    """Whether ``name`` is printed whole on a page, or its row breaks across pages: its
    beginning on one page and the rest at the top of the next."""
    text = _squeeze(name)
    if any(text in page for page in pages):
        return True
    for page, following in itertools.pairwise(pages):
        for k in range(1, len(text)):
            if following.startswith(text[k:]) and text[:k] in page:
                return True
    return False


def test_every_table_row_is_printed(karabash: dict) -> None:
    pages = _printed(karabash["pdf"], karabash["docx"])
    names = _names(karabash["docx"])
    assert len(names) >= 24
    missing = [n for n in names if not _found(n, pages)]
    assert missing == []


def test_no_word_is_broken_inside_a_cell(karabash: dict) -> None:
    """Every word of every table cell is printed whole on one line (a column narrower than
    its longest word made LibreOffice print «Изменени е», «положительна я»)."""
    pdf = PdfReader(str(karabash["pdf"]))
    tokens = {w.strip('«»()",.;:') for page in pdf.pages for w in page.extract_text().split()}
    words = {
        word.strip('«»()",.;:')
        for table in docx.Document(str(karabash["docx"])).tables
        for row in table.rows
        for cell in row.cells
        for word in cell.text.split()
    }
    broken = {w for w in words if len(w) > 3 and w.isalpha() and w not in tokens}
    assert broken == set()


def test_concise_karabash_fits_about_fifteen_pages(karabash: dict) -> None:
    pages = len(PdfReader(str(karabash["pdf"])).pages)
    if karabash["full"]:
        assert pages > 15  # the full справка has every section and appendix
    else:
        assert pages <= 15, pages


def test_the_workbook_prints_in_about_thirty_pages(karabash: dict, tmp_path: Path) -> None:
    if karabash["full"]:
        return  # the same workbook: checked once
    pdf = convert_to_pdf(karabash["xlsx"], tmp_path)
    assert len(PdfReader(str(pdf)).pages) <= 30
