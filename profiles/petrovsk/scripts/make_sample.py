"""Generate the bundled SYNTHETIC sample of the Petrovsk profile.

Run from the repository root: ``uv run python profiles/petrovsk/scripts/make_sample.py``.
Deterministic (fixed seed). Every person, organisation name and value is invented; the sample
only has the size and shape of a small rural district (twelve organisations, about 200 staff,
school years 2021-2022 … 2023-2024) and contains the situations the tests rely on:

* ``pmr_d04`` (a small kindergarten) never has a young teacher → p2 is *not applicable* there;
* ``pmr_s07`` submits nothing for 2023-2024 → *no data* for it, and it is not in the
  district's denominators that year;
* one teacher (``t0900``) works in ``pmr_s02`` and ``pmr_u01`` and is counted once above the
  organisation level;
* the share of organisations taking part in professional contests (p4) falls in 2023-2024.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

OUT = Path(__file__).resolve().parents[1] / "src" / "pedprof_petrovsk" / "data" / "sample"
MUNI = "petrovsk"
REGION = "saratov"
YEARS = [2021, 2022, 2023]  # school years 2021-2022 … 2023-2024
LEVELS = ("municipal", "regional", "federal")

ORGS = [
    # id, name, kind, staff size
    ("pmr_s01", "МОУ «СОШ № 1 г. Петровска»", "school", 34),
    ("pmr_s02", "МОУ «СОШ № 2 г. Петровска»", "school", 30),
    ("pmr_s03", "МОУ «СОШ № 3 г. Петровска»", "school", 26),
    ("pmr_s04", "МОУ «СОШ с. Березовка»", "school", 14),
    ("pmr_s05", "МОУ «СОШ с. Грачевка»", "school", 12),
    ("pmr_s06", "МОУ «ООШ с. Ключи»", "school", 9),
    ("pmr_s07", "МОУ «ООШ с. Новозахаркино»", "school", 8),
    ("pmr_d01", "МДОУ «Детский сад № 1»", "kindergarten", 14),
    ("pmr_d02", "МДОУ «Детский сад № 2»", "kindergarten", 12),
    ("pmr_d03", "МДОУ «Детский сад № 3»", "kindergarten", 10),
    ("pmr_d04", "МДОУ «Детский сад с. Березовка»", "kindergarten", 6),
    ("pmr_u01", "МУ ДО «Дом детского творчества»", "additional_education", 11),
]
POSITION = {"school": "учитель", "kindergarten": "воспитатель"}

rng = np.random.default_rng(20211130)
_next = [1]


def _person(young: bool) -> dict:
    pid = f"t{_next[0]:04d}"
    _next[0] += 1
    if young:
        age, exp = int(rng.integers(22, 30)), int(rng.integers(0, 2))
    else:
        age = int(np.clip(rng.normal(47, 9), 26, 68))
        exp = int(np.clip(age - 23 - rng.integers(0, 5), 3, 45))
    pk = dt.date(2018 + int(rng.integers(0, 4)), int(rng.integers(1, 13)), int(rng.integers(1, 28)))
    return {"person_id": pid, "category": "teacher", "age": age, "exp": exp, "pk": pk, "rt": None}


def _flag(p: float) -> bool:
    return bool(rng.random() < p)


def staff() -> pd.DataFrame:
    people: dict[str, list[dict]] = {}
    for org, _, kind, size in ORGS:
        n_young = 0 if org == "pmr_d04" else max(1, size // 8)
        group = [_person(young=i < n_young) for i in range(size)]
        n_managers = 3 if kind == "school" and size > 20 else 2 if size > 9 else 1
        for p in group[-n_managers:]:
            p["category"] = "manager"
        people[org] = group
    shared = _person(young=False)
    shared["person_id"] = "t0900"

    rows = []
    trained = [0.30, 0.34, 0.38]
    contest = {
        "municipal": [0.16, 0.20, 0.22],
        "regional": [0.05, 0.06, 0.08],
        "federal": [0.02, 0.02, 0.03],
    }
    role = {
        "municipal": [0.08, 0.09, 0.11],
        "regional": [0.02, 0.03, 0.03],
        "federal": [0.0, 0.01, 0.01],
    }
    for yi, year in enumerate(YEARS):
        period = f"{year}-{year + 1}"
        if yi:
            for org, _, _, _ in ORGS:
                group = people[org]
                for p in group:
                    p["age"] += 1
                    p["exp"] += 1
                keep = [p for p in group if p["category"] == "manager" or rng.random() > 0.07]
                while len(keep) < len(group):
                    keep.insert(0, _person(young=org != "pmr_d04"))
                    if org == "pmr_d04":
                        keep[0]["exp"] = max(keep[0]["exp"], 4)
                people[org] = keep
        for org, _, kind, _ in ORGS:
            if org == "pmr_s07" and year == 2023:
                continue
            group = list(people[org])
            if org in ("pmr_s02", "pmr_u01"):
                group.append(shared)
            managers = [p for p in group if p["category"] == "manager"]
            for p in group:
                teacher = p["category"] == "teacher"
                position = POSITION.get(kind, "педагог дополнительного образования")
                if not teacher:
                    position = "директор" if p is managers[-1] else "заместитель директора"
                if kind == "kindergarten" and not teacher:
                    position = "заведующий" if p is managers[-1] else "старший воспитатель"
                if _flag(trained[yi]):
                    p["pk"] = dt.date(
                        year + _flag(0.6),
                        int(rng.choice([10, 11, 12, 2, 3, 4, 5])),
                        int(rng.integers(1, 28)),
                    )
                    p["pk"] = min(max(p["pk"], dt.date(year, 9, 1)), dt.date(year + 1, 8, 31))
                if _flag(0.02):
                    p["rt"] = dt.date(year + 1, 6, int(rng.integers(1, 28)))
                young = teacher and p["age"] < 35 and p["exp"] < 3
                row = {
                    "period": period,
                    "org_id": org,
                    "person_id": p["person_id"],
                    "category": p["category"],
                    "position": position,
                    "age": p["age"],
                    "experience_years": p["exp"],
                    "pk_date": p["pk"].isoformat() if p["pk"] else "",
                    "retraining_date": p["rt"].isoformat() if p["rt"] else "",
                    "support_forms": young and _flag(0.55 + 0.15 * yi),
                }
                for level in LEVELS:
                    row[f"contest_{level}"] = _flag(contest[level][yi])
                for level in LEVELS:
                    row[f"role_{level}"] = teacher and _flag(role[level][yi])
                rows.append(row)
    return pd.DataFrame(rows)


def org_activity() -> pd.DataFrame:
    contest = {
        "municipal": [0.60, 0.70, 0.50],
        "regional": [0.25, 0.30, 0.20],
        "federal": [0.10, 0.10, 0.05],
    }
    experience = {
        "municipal": [0.40, 0.50, 0.60],
        "regional": [0.10, 0.15, 0.20],
        "federal": [0.0, 0.05, 0.05],
    }
    rows = []
    for yi, year in enumerate(YEARS):
        for org, *_ in ORGS:
            if org == "pmr_s07" and year == 2023:
                continue
            row = {"period": f"{year}-{year + 1}", "org_id": org}
            for level in LEVELS:
                row[f"contest_{level}"] = _flag(contest[level][yi])
            for level in LEVELS:
                row[f"experience_{level}"] = _flag(experience[level][yi])
            rows.append(row)
    return pd.DataFrame(rows)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    pd.DataFrame([{"region_id": REGION, "name": "Саратовская область"}]).to_csv(
        OUT / "regions.csv", index=False
    )
    pd.DataFrame(
        [{"municipality_id": MUNI, "name": "Петровский муниципальный район", "region_id": REGION}]
    ).to_csv(OUT / "municipalities.csv", index=False)
    pd.DataFrame(
        [
            {
                "org_id": oid,
                "name": name,
                "municipality_id": MUNI,
                "kind": kind,
                "valid_from": "",
                "valid_to": "",
                "successor_id": "",
            }
            for oid, name, kind, _ in ORGS
        ]
    ).to_csv(OUT / "organizations.csv", index=False)
    st = staff()
    st.to_csv(OUT / "staff.csv", index=False)
    act = org_activity()
    act.to_csv(OUT / "org_activity.csv", index=False)
    sub = act[["org_id", "period"]].rename(columns={"org_id": "unit_id"})
    sub["submitted_at"] = sub["period"].str[5:] + "-06-20"
    sub.to_csv(OUT / "submissions.csv", index=False)
    (OUT / "README.md").write_text(
        "# Демонстрационные данные (СИНТЕТИЧЕСКИЕ)\n\n"
        "Все люди, коды, наименования и значения вымышлены; данные созданы скриптом "
        "`profiles/petrovsk/scripts/make_sample.py` и только повторяют размер и форму данных "
        "небольшого муниципального района. Это не сведения Петровского муниципального района.\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
