"""A profile's bundled sample written out as the files its units would submit.

One filled form per organisation and period (its organisation tables), one per
municipality and period (the municipal tables), and the register of organisations —
exactly the workbooks :func:`pedprof.io.write_form` produces, pre-filled — plus the
methodical service's register of receipts (:data:`RECEIVED_FILE`): when each unit's data
for each period were received, from the sample's ``submissions``. Reading the folder back
with :func:`pedprof.io.read_submissions` accepts every row and gives the same
:func:`pedprof.compute` results as :func:`pedprof.load_sample`, and the submission
register shows who was late by the dates received (not by when the forms were saved).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from pedprof.formatting import safe_cell
from pedprof.io._tables import FormKind, covers_organizations, form_sources, unit_column
from pedprof.io.forms import write_form
from pedprof.io.register import receipts_source
from pedprof.model.data import Dataset
from pedprof.model.profile import Profile

__all__ = ["RECEIVED_FILE", "REGISTER_FILE", "write_receipts", "write_sample"]

REGISTER_FILE = "register.xlsx"
RECEIVED_FILE = "received.xlsx"


def write_receipts(
    profile: Profile, path: str | Path, received: dict[tuple[str, str], dt.datetime]
) -> Path:
    """Write a register of receipts: ``(unit_id, period)`` → when its data were received.

    One sheet, the header row of :func:`pedprof.io.register.receipts_source`'s labels, one
    row per unit and period; :func:`pedprof.io.read_submissions` reads it among the inputs.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    source = receipts_source(profile.info.period_kind)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = source.short_title
    for j, f in enumerate(source.fields, start=1):
        ws.cell(row=1, column=j, value=safe_cell(f.label)).font = Font(bold=True)
        ws.column_dimensions[chr(64 + j)].width = 24
    for r, ((unit, period), when) in enumerate(sorted(received.items()), start=2):
        ws.cell(row=r, column=1, value=safe_cell(unit)).number_format = "@"
        ws.cell(row=r, column=2, value=safe_cell(period)).number_format = "@"
        day = ws.cell(row=r, column=3, value=dt.datetime(when.year, when.month, when.day))
        day.number_format = "DD.MM.YYYY"
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def _submitted(data: Dataset) -> dict[tuple[str, str], dt.datetime]:
    out: dict[tuple[str, str], dt.datetime] = {}
    subs = data.submissions
    if subs is None or "submitted_at" not in subs.columns:
        return out
    for unit, period, when in subs[["unit_id", "period", "submitted_at"]].itertuples(
        index=False, name=None
    ):
        if when is None or pd.isna(when):
            continue
        day = pd.Timestamp(when)
        out[(str(unit), str(period))] = dt.datetime(day.year, day.month, day.day, 12, 0)
    return out


def write_sample(
    profile: Profile, directory: str | Path, *, data: Dataset | None = None
) -> list[Path]:
    """Write ``data`` (default: the profile's sample) as submitted forms under ``directory``.

    Layout: ``register.xlsx`` (organisations), ``received.xlsx`` (the register of
    receipts, when the sample has submission dates) and ``<period>/<unit id>.xlsx``.

    :returns: the files written.
    """
    from pedprof.plugins import load_sample

    data = data if data is not None else load_sample(profile)
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    written = [
        write_form(
            profile,
            root / REGISTER_FILE,
            kind=FormKind.REGISTER,
            rows={
                "organizations": data.organizations,
                "municipalities": data.municipalities,
                "regions": data.regions,
            },
            example=False,
        )
    ]
    when = _submitted(data)
    if when:
        written.append(write_receipts(profile, root / RECEIVED_FILE, when))
    units = {
        FormKind.ORGANIZATION: (data.organizations, "org_id"),
        FormKind.MUNICIPALITY: (data.municipalities, "municipality_id"),
    }
    members: dict[str, set[str]] = {}
    for org, muni in zip(
        data.organizations["org_id"].astype(str),
        data.organizations["municipality_id"].astype(str),
        strict=True,
    ):
        members.setdefault(muni, set()).add(org)
    periods: set[str] = set()
    for frame in data.tables.values():
        if "period" in frame.columns:
            periods.update(frame["period"].dropna().astype(str))
    for kind, (register, id_column) in units.items():
        sources = [s for s in form_sources(profile, kind) if s.name in data.tables]
        if not sources:
            continue
        names = dict(
            zip(register[id_column].astype(str), register["name"].astype(str), strict=False)
        )
        for period in sorted(periods):
            for unit in register[id_column].astype(str):
                rows: dict[str, pd.DataFrame] = {}
                for s in sources:
                    table = data.tables[s.name]
                    in_period = table["period"].astype(str) == period
                    col = unit_column(s)
                    if col is not None:
                        mine = table[col].astype(str) == unit
                    elif covers_organizations(s):
                        mine = table["org_id"].astype(str).isin(members.get(unit, set()))
                    else:
                        continue
                    rows[s.name] = table[(in_period & mine).to_numpy()]
                if not any(len(r) for r in rows.values()) and (unit, period) not in when:
                    continue
                written.append(
                    write_form(
                        profile,
                        root / period / f"{unit}.xlsx",
                        kind=kind,
                        unit_id=unit,
                        unit_name=names.get(unit),
                        period=period,
                        rows=rows,
                    )
                )
    return written
