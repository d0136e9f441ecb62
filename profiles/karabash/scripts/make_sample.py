"""Generate the bundled SYNTHETIC sample of the Karabash profile.

Run from the repository root: ``uv run python profiles/karabash/scripts/make_sample.py``.
Deterministic (fixed seed). Every person, organisation name and number is invented; the
sample only has the size and shape of a small municipality (ten organisations, about 250
staff, school years 2020-2021 … 2023-2024) and contains the situations the tests rely on:

* ``kgo_u2`` (the sports school) never has a young teacher → k10 and k12 are *not
  applicable* there, not 0 %;
* ``kgo_s3`` merged into ``kgo_s1`` on 31.08.2023: its staff continue in ``kgo_s1`` with
  the same pseudonymous codes from 2023-2024;
* k06 (актуальные направления) reaches its target «не менее 5» in 2023-2024;
* k08 (участие в конкурсах) falls in 2023-2024 against 2022-2023 (negative dynamics);
* ``kgo_s4`` has a single mentoring programme in 2023-2024 (below «не менее двух в каждой
  ОО»);
* one teacher (``p9001``) works in ``kgo_s2`` and ``kgo_u1`` and is counted once above the
  organisation level;
* one expert diagnostics result is exactly 60 % (not «более 60 %»).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

OUT = Path(__file__).resolve().parents[1] / "src" / "pedprof_karabash" / "data" / "sample"
YEARS = [2020, 2021, 2022, 2023]  # school years 2020-2021 … 2023-2024
MUNI = "karabash"

ORGS = [
    # id, name, kind, staff size, valid_to, successor
    ("kgo_s1", "МОУ СОШ № 1", "school", 42, None, None),
    ("kgo_s2", "МОУ СОШ № 2", "school", 38, None, None),
    ("kgo_s3", "МОУ СОШ № 3", "school", 26, "2023-08-31", "kgo_s1"),
    ("kgo_s4", "МОУ ООШ № 4", "school", 18, None, None),
    ("kgo_d1", "МДОУ детский сад № 1", "kindergarten", 16, None, None),
    ("kgo_d2", "МДОУ детский сад № 2", "kindergarten", 14, None, None),
    ("kgo_d5", "МДОУ детский сад № 5", "kindergarten", 15, None, None),
    ("kgo_d8", "МДОУ детский сад № 8", "kindergarten", 12, None, None),
    ("kgo_u1", "МУ ДО «Дом детского творчества»", "additional_education", 14, None, None),
    ("kgo_u2", "МУ ДО «Детско-юношеская спортивная школа»", "additional_education", 11, None, None),
]

rng = np.random.default_rng(20210819)
_next_id = [1]


def new_person(org: str, year_i: int, young: bool) -> dict:
    pid = f"p{_next_id[0]:04d}"
    _next_id[0] += 1
    if young:
        age = int(rng.integers(22, 31))
        exp = 0
    else:
        age = int(np.clip(rng.normal(46, 10), 25, 66))
        exp = int(np.clip(age - 23 - rng.integers(0, 6), 3, 45))
    last = dt.date(
        2017 + int(rng.integers(0, 4)), int(rng.integers(1, 13)), int(rng.integers(1, 28))
    )
    return {
        "person_id": pid,
        "org_id": org,
        "category": "teacher",
        "age": age - year_i,
        "exp": exp - year_i if not young else -year_i,
        "dpo": last,
    }


def build_staff() -> pd.DataFrame:
    people: dict[str, list[dict]] = {}
    for org, _, kind, size, _, _ in ORGS:
        staff = []
        n_young = 0 if org == "kgo_u2" else max(1, size // 9)
        for i in range(size):
            p = new_person(org, 0, young=i < n_young)
            p["age"] += 0
            p["exp"] = max(p["exp"], 0)
            staff.append(p)
        # managers: the head and one to three deputies
        n_managers = 2 if kind != "school" else 3 + (size > 35)
        for p in staff[-n_managers:]:
            p["category"] = "manager"
            p["age"] = max(p["age"], 35) if p is staff[-1] else p["age"]
        people[org] = staff

    rows = []
    contest_p = [0.22, 0.26, 0.30, 0.20]
    assess_t = [0.30, 0.36, 0.37, 0.38]
    assess_m = [0.34, 0.40, 0.42, 0.45]
    for yi, year in enumerate(YEARS):
        period = f"{year}-{year + 1}"
        if yi > 0:
            for org, *_ in ORGS:
                staff = people.get(org, [])
                for p in staff:
                    p["age"] += 1
                    p["exp"] += 1
                keep = [p for p in staff if p["category"] == "manager" or rng.random() > 0.08]
                while len(keep) < len(staff):
                    keep.insert(0, new_person(org, 0, young=org != "kgo_u2"))
                    if org == "kgo_u2":
                        keep[0]["exp"] = max(keep[0]["exp"], 5)
                people[org] = keep
        if year == 2023:  # kgo_s3 merged into kgo_s1 on 31.08.2023
            for p in people.pop("kgo_s3"):
                p["org_id"] = "kgo_s1"
                if p["category"] == "manager" and p["position"] == "директор":
                    p["position"] = "заместитель директора"
                people["kgo_s1"].append(p)
        for org, staff in people.items():
            kind = next(o[2] for o in ORGS if o[0] == org)
            managers = [p for p in staff if p["category"] == "manager"]
            for j, p in enumerate(managers):
                p.setdefault(
                    "position", "директор" if j == len(managers) - 1 else "заместитель директора"
                )
            for p in staff:
                teacher = p["category"] == "teacher"
                p.setdefault(
                    "position",
                    {"school": "учитель", "kindergarten": "воспитатель"}.get(
                        kind, "педагог дополнительного образования"
                    ),
                )
                young = teacher and p["age"] < 35 and p["exp"] < 3
                assessed = rng.random() < (assess_t if teacher else assess_m)[yi]
                took_expert = rng.random() < 0.09
                score = float(np.round(rng.uniform(40, 96), 1)) if took_expert else np.nan
                if rng.random() < 0.35:
                    p["dpo"] = dt.date(
                        year + (rng.random() < 0.7),
                        int(rng.choice([10, 11, 12, 2, 3, 4, 5])),
                        int(rng.integers(1, 28)),
                    )
                    if p["dpo"] > dt.date(year + 1, 8, 31):
                        p["dpo"] = dt.date(year + 1, 5, 15)
                    if p["dpo"] < dt.date(year, 9, 1):
                        p["dpo"] = dt.date(year, 10, 1)
                role = "none"
                if young and rng.random() < 0.5 + 0.1 * yi:
                    role = "mentee"
                elif not young and rng.random() < 0.06 + 0.02 * yi:
                    role = "mentor"
                rows.append(
                    {
                        "period": period,
                        "org_id": p["org_id"],
                        "person_id": p["person_id"],
                        "category": p["category"],
                        "position": p["position"],
                        "age": p["age"],
                        "experience_years": max(p["exp"], 0),
                        "deficit_assessed": assessed,
                        "iom": bool(assessed and rng.random() < 0.8),
                        "expert_score": score,
                        "expert_register": bool(took_expert and score > 60 and rng.random() < 0.7),
                        "cnppm_events": bool(assessed and rng.random() < 0.2 + 0.07 * yi),
                        "contest": bool(teacher and rng.random() < contest_p[yi]),
                        "support_forms": bool(young and rng.random() < 0.6 + 0.07 * yi),
                        "young_events": bool(young and rng.random() < 0.85 + 0.04 * yi),
                        "mentoring_role": role,
                        "methodist_support": bool(teacher and rng.random() < 0.05 + 0.025 * yi),
                        "manager_mentor": bool(not teacher and rng.random() < 0.1 + 0.06 * yi),
                        "dpo_date": p["dpo"].isoformat(),
                        "profile_education": bool(rng.random() < 0.9 + 0.02 * yi)
                        if kind == "school" and teacher
                        else None,
                        "noc": bool(
                            rng.random()
                            < ([0.03, 0.035, 0.04, 0.05] if teacher else [0.05, 0.06, 0.08, 0.1])[
                                yi
                            ]
                        ),
                        "cnppm_help": bool(rng.random() < 0.1 + 0.1 * yi),
                    }
                )
        # the teacher who also works part-time in the Дом детского творчества
        for org in ("kgo_s2", "kgo_u1"):
            rows.append(
                {
                    "period": period,
                    "org_id": org,
                    "person_id": "p9001",
                    "category": "teacher",
                    "position": "учитель"
                    if org == "kgo_s2"
                    else "педагог дополнительного образования",
                    "age": 29 + yi,
                    "experience_years": 4 + yi,
                    "deficit_assessed": yi == 1,
                    "iom": yi == 1,
                    "expert_score": np.nan,
                    "expert_register": False,
                    "cnppm_events": False,
                    "contest": org == "kgo_u1",
                    "support_forms": False,
                    "young_events": False,
                    "mentoring_role": "none",
                    "methodist_support": False,
                    "manager_mentor": False,
                    "dpo_date": "2021-03-15",
                    "profile_education": True if org == "kgo_s2" else None,
                    "noc": False,
                    "cnppm_help": yi >= 2,
                }
            )
    staff = pd.DataFrame(rows)
    # the boundary case «более 60 %»: a result of exactly 60 is not «успешно»
    first = staff.index[(staff["period"] == "2022-2023") & staff["expert_score"].isna()][0]
    staff.loc[first, ["expert_score", "expert_register"]] = [60.0, False]
    return staff


def build_municipal() -> dict[str, pd.DataFrame]:
    directions = [
        "Функциональная грамотность",
        "Обновлённые ФГОС",
        "Цифровая образовательная среда",
        "Наставничество",
        "Инклюзивное образование",
        "Воспитательная работа",
    ]
    n_dirs = [3, 4, 4, 5]
    n_sci = [8, 10, 11, 13]
    n_innov = [4, 6, 8, 11]
    events = []
    for yi, year in enumerate(YEARS):
        period = f"{year}-{year + 1}"
        k = 0
        for i in range(n_sci[yi]):
            k += 1
            kind = ["conference", "seminar", "contest", "master_class"][i % 4]
            direction = directions[i % n_dirs[yi]] if kind in ("conference", "seminar") else None
            events.append(
                (
                    period,
                    MUNI,
                    f"e{year}-{k:02d}",
                    f"Мероприятие {k} ({period})",
                    kind,
                    "municipal",
                    True,
                    direction,
                    None,
                    f"{year + (i % 2)}-{[11, 3][i % 2]:02d}-{10 + i:02d}",
                )
            )
        for i in range(n_innov[yi]):
            k += 1
            events.append(
                (
                    period,
                    MUNI,
                    f"e{year}-{k:02d}",
                    f"Методическая поддержка инновационной площадки {i + 1}",
                    "seminar",
                    "municipal",
                    False,
                    None,
                    ["mip", "rip", "fip", "technopark"][i % 4],
                    f"{year + 1}-02-{10 + i:02d}",
                )
            )
        events.append(
            (
                period,
                MUNI,
                f"e{year}-{k + 1:02d}",
                "Региональный конкурс (участие)",
                "contest",
                "regional",
                True,
                None,
                None,
                f"{year + 1}-04-01",
            )
        )
    ev = pd.DataFrame(
        events,
        columns=[
            "period",
            "municipality_id",
            "event_id",
            "title",
            "kind",
            "level",
            "scientific_practical",
            "direction",
            "innovation",
            "date",
        ],
    )
    projects = pd.DataFrame(
        [
            ("2020-2021", MUNI, "pr1", "Школа молодого педагога", "young_teachers"),
            ("2021-2022", MUNI, "pr1", "Школа молодого педагога", "young_teachers"),
            ("2022-2023", MUNI, "pr1", "Школа молодого педагога", "young_teachers"),
            ("2022-2023", MUNI, "pr2", "Кадровый резерв руководителей", "manager_reserve"),
            ("2023-2024", MUNI, "pr1", "Школа молодого педагога", "young_teachers"),
            ("2023-2024", MUNI, "pr2", "Кадровый резерв руководителей", "manager_reserve"),
        ],
        columns=["period", "municipality_id", "project_id", "title", "type"],
    )
    assoc_rows = []
    names = [
        "ГМО учителей начальных классов",
        "ГМО учителей математики",
        "ГМО учителей русского языка",
        "Сообщество молодых педагогов",
        "ГМО воспитателей ДОУ",
        "Сетевое сообщество «Цифровой учитель»",
        "ГМО педагогов ДО",
    ]
    counts = [5, 6, 7, 6]
    for yi, year in enumerate(YEARS):
        for i in range(counts[yi] + (yi == 3)):
            note = None
            functioning = True
            if yi == 3 and i == 6:
                functioning = False
                note = "Объединено с ГМО воспитателей ДОУ"
            kind = (
                "community"
                if "Сообщество" in names[i]
                else ("network" if "Сетевое" in names[i] else "gmo")
            )
            assoc_rows.append(
                (f"{year}-{year + 1}", MUNI, f"a{i + 1}", names[i], kind, functioning, note)
            )
    assoc = pd.DataFrame(
        assoc_rows,
        columns=[
            "period",
            "municipality_id",
            "association_id",
            "name",
            "kind",
            "functioning",
            "note",
        ],
    )
    support = pd.DataFrame(
        [
            ("2020-2021", MUNI, "sp1", "Программа поддержки ГМО на 2020-2021"),
            ("2021-2022", MUNI, "sp1", "Программа поддержки ГМО на 2021-2022"),
            ("2022-2023", MUNI, "sp1", "Программа поддержки ГМО на 2022-2023"),
            ("2022-2023", MUNI, "sp2", "Программа сопровождения сетевых сообществ"),
            ("2023-2024", MUNI, "sp1", "Программа поддержки ГМО на 2023-2024"),
            ("2023-2024", MUNI, "sp2", "Программа сопровождения сетевых сообществ"),
            ("2023-2024", MUNI, "sp3", "Программа «Молодой педагог»"),
        ],
        columns=["period", "municipality_id", "programme_id", "title"],
    )
    return {
        "events": ev,
        "projects": projects,
        "associations": assoc,
        "support_programmes": support,
    }


def build_mentoring() -> pd.DataFrame:
    rows = []
    for yi, year in enumerate(YEARS):
        period = f"{year}-{year + 1}"
        for org, *_rest in ORGS:
            valid_to = _rest[3]
            if valid_to and year >= 2023:
                continue
            n = [1, 2, 2, 3][yi] if org != "kgo_u2" else [1, 1, 2, 2][yi]
            if org == "kgo_s4" and year == 2023:
                n = 1
            for i in range(n):
                rows.append(
                    (
                        period,
                        org,
                        f"{org}-m{i + 1}",
                        f"Программа наставничества № {i + 1}",
                        "programme" if i % 2 == 0 else "plan",
                    )
                )
    return pd.DataFrame(rows, columns=["period", "org_id", "programme_id", "title", "form"])


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    orgs = pd.DataFrame(
        [(o, n, MUNI, k, None, vt, s) for o, n, k, _, vt, s in ORGS],
        columns=[
            "org_id",
            "name",
            "municipality_id",
            "kind",
            "valid_from",
            "valid_to",
            "successor_id",
        ],
    )
    orgs.to_csv(OUT / "organizations.csv", index=False)
    pd.DataFrame(
        [(MUNI, "Карабашский городской округ", "chelyabinsk")],
        columns=["municipality_id", "name", "region_id"],
    ).to_csv(OUT / "municipalities.csv", index=False)
    pd.DataFrame([("chelyabinsk", "Челябинская область")], columns=["region_id", "name"]).to_csv(
        OUT / "regions.csv", index=False
    )
    build_staff().to_csv(OUT / "staff.csv", index=False)
    build_mentoring().to_csv(OUT / "mentoring_programmes.csv", index=False)
    for name, frame in build_municipal().items():
        frame.to_csv(OUT / f"{name}.csv", index=False)
    subs = []
    for year in YEARS:
        period = f"{year}-{year + 1}"
        for org, *_r in ORGS:
            if _r[3] and year >= 2023:
                continue
            day = 9 if (org == "kgo_d8" and year == 2022) else 2 + (sum(map(ord, org)) % 3)
            subs.append((org, period, f"{year + 1}-08-{day:02d}"))
        subs.append((MUNI, period, f"{year + 1}-08-10"))
    pd.DataFrame(subs, columns=["unit_id", "period", "submitted_at"]).to_csv(
        OUT / "submissions.csv", index=False
    )
    (OUT / "README.md").write_text(
        "# Демонстрационные данные (СИНТЕТИЧЕСКИЕ)\n\n"
        "Все люди, коды и значения вымышлены; данные созданы скриптом "
        "`profiles/karabash/scripts/make_sample.py` и только повторяют размер и форму "
        "данных небольшого муниципалитета. Это не сведения Карабашского городского округа.\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
