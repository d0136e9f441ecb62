"""Deterministic filled forms for tests and benchmarks of the service: the Karabash sample
scaled to many organisations and municipalities (synthetic, fictitious data).

Every organisation ``o0000``, ``o0001`` … copies the rows of one of the sample's
organisations for the period, with its own pseudonymous person ids.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pedprof.io import FormKind, write_form
from pedprof.model.profile import Profile
from pedprof.plugins import get_profile, load_sample

__all__ = ["Forms", "scaled_forms"]


class Forms:
    """What :func:`scaled_forms` wrote."""

    def __init__(
        self,
        register: Path,
        forms: dict[str, Path],
        municipality_of: dict[str, str],
        region: str,
        period: str,
        staff_rows: int,
        rows: dict[str, dict[str, int]],
    ) -> None:
        self.register = register
        self.forms = forms
        self.municipality_of = municipality_of
        self.region = region
        self.period = period
        self.staff_rows = staff_rows
        #: organisation → table → rows written in its form.
        self.rows = rows


def scaled_forms(
    directory: Path,
    *,
    n_orgs: int,
    n_municipalities: int = 1,
    period: str = "2023-2024",
    profile: Profile | str = "karabash",
    only: range | None = None,
    write_register: bool = True,
) -> Forms:
    """Write a register of ``n_orgs`` organisations in ``n_municipalities`` municipalities
    and one filled form per organisation (those in ``only``, default all) for ``period``.
    """
    prof = get_profile(profile) if isinstance(profile, str) else profile
    sample = load_sample(prof)
    region = str(sample.regions["region_id"].iloc[0])
    templates = sample.organizations.reset_index(drop=True)
    org_tables = {
        name: frame[frame["period"].astype(str) == period]
        for name, frame in sample.tables.items()
        if "org_id" in frame.columns and "municipality_id" not in frame.columns
    }
    active = [
        str(o)
        for o in templates["org_id"]
        if len(org_tables["staff"][org_tables["staff"]["org_id"] == o])
    ]
    templates = templates[templates["org_id"].isin(active)].reset_index(drop=True)
    munis = pd.DataFrame(
        {
            "municipality_id": [f"m{j:03d}" for j in range(n_municipalities)],
            "name": [f"Муниципалитет № {j + 1}" for j in range(n_municipalities)],
            "region_id": region,
        }
    )
    orgs = []
    for i in range(n_orgs):
        t = templates.iloc[i % len(templates)]
        orgs.append(
            {
                "org_id": f"o{i:04d}",
                "name": f"{t['name']} (копия {i + 1})",
                "municipality_id": f"m{i % n_municipalities:03d}",
                "kind": t["kind"],
            }
        )
    organizations = pd.DataFrame(orgs)
    directory.mkdir(parents=True, exist_ok=True)
    register = directory / "register.xlsx"
    if write_register:
        write_form(
            prof,
            register,
            kind=FormKind.REGISTER,
            rows={
                "organizations": organizations,
                "municipalities": munis,
                "regions": sample.regions,
            },
            example=False,
        )
    forms: dict[str, Path] = {}
    staff_rows = 0
    counts: dict[str, dict[str, int]] = {}
    for i in only if only is not None else range(n_orgs):
        org = f"o{i:04d}"
        template = str(templates.iloc[i % len(templates)]["org_id"])
        rows = {}
        for name, frame in org_tables.items():
            part = frame[frame["org_id"].astype(str) == template].copy()
            part["org_id"] = org
            for col in ("person_id", "programme_id"):
                if col in part.columns:
                    part[col] = [f"{org}-{k}" for k in range(len(part))]
            rows[name] = part
        staff_rows += len(rows.get("staff", ()))
        counts[org] = {name: len(frame) for name, frame in rows.items()}
        forms[org] = write_form(
            prof,
            directory / f"{org}.xlsx",
            kind=FormKind.ORGANIZATION,
            unit_id=org,
            unit_name=str(organizations.loc[i, "name"]),
            period=period,
            rows=rows,
            example=False,
        )
    return Forms(
        register,
        forms,
        dict(zip(organizations["org_id"], organizations["municipality_id"], strict=True)),
        region,
        period,
        staff_rows,
        counts,
    )
