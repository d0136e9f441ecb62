"""The справка as PDF: the .docx converted by LibreOffice (``soffice --headless``).

LibreOffice is not a Python dependency: it is looked up on ``PATH`` (``soffice`` or
``libreoffice``) or taken from the ``PEDPROF_SOFFICE`` environment variable. Without it
:func:`write_pdf` raises :class:`LibreOfficeMissingError` with a Russian explanation.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pedprof.errors import PedprofError

__all__ = ["LibreOfficeMissingError", "convert_to_pdf", "find_soffice", "write_pdf"]

#: Seconds a conversion may take before it is abandoned.
TIMEOUT = 180


class LibreOfficeMissingError(PedprofError, RuntimeError):
    """LibreOffice, which writes the PDF, is not installed or failed."""


def find_soffice() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    given = os.environ.get("PEDPROF_SOFFICE")
    if given:
        return given if Path(given).is_file() or shutil.which(given) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(source: str | Path, directory: str | Path, *, timeout: float = TIMEOUT) -> Path:
    """Convert an office document (.docx, .xlsx) to PDF with LibreOffice.

    A private LibreOffice profile is used, so a running LibreOffice of the user neither
    blocks nor is disturbed by the conversion.

    :param source: the document.
    :param directory: where the PDF is written (same stem as ``source``).
    :param timeout: seconds before the conversion is abandoned.
    :returns: the PDF written.
    :raises LibreOfficeMissingError: LibreOffice is not installed or the conversion failed.
    """
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeMissingError(
            "Чтобы получить справку в формате PDF, установите LibreOffice (программа soffice "
            "не найдена) или откройте файл .docx в офисном пакете и сохраните его как PDF."
        )
    source = Path(source).resolve()
    out = Path(directory).resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pedprof-lo-") as profile:
        command = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(source),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise LibreOfficeMissingError(
                f"LibreOffice не преобразовал «{source.name}» в PDF за {int(timeout)} с."
            ) from exc
    pdf = out / f"{source.stem}.pdf"
    if done.returncode != 0 or not pdf.is_file():
        raise LibreOfficeMissingError(
            f"LibreOffice не смог преобразовать «{source.name}» в PDF (код завершения "
            f"{done.returncode})."
        )
    return pdf


def write_pdf(docx: str | Path, path: str | Path, *, timeout: float = TIMEOUT) -> Path:
    """Write the PDF of a written .docx справка to ``path``.

    :param docx: the .docx (:func:`pedprof.reports.write_docx`).
    :param path: the PDF to write.
    :param timeout: seconds before the conversion is abandoned.
    :returns: the path written.
    :raises LibreOfficeMissingError: LibreOffice is not installed or the conversion failed.
    """
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="pedprof-pdf-") as tmp:
        pdf = convert_to_pdf(docx, tmp, timeout=timeout)
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(pdf), path)
    return path
