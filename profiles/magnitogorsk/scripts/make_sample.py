"""Generate the bundled SYNTHETIC sample of the Magnitogorsk profile.

Run from the repository root: ``uv run python profiles/magnitogorsk/scripts/make_sample.py``.
Deterministic (no randomness). Every organisation name, code and site-check result is
invented; the sample only has the shape of the data МУ ДПО «ЦПКИМР» keeps and reproduces the
dynamics the presentation of 20.04.2022 states:

* 2018-2019: 30 city methodical associations (24 ГМО, 3 ШМП, 3 ПТГ);
* 2019-2020: the 24 ГМО become ГПО (same codes, status «transformed») and 5 new associations
  open → 35 (**+5**), each change carrying its reason from the presentation;
* 2020-2021: the ДОУ section of ГПО «Городской робототехнический клуб «Интеллект»» merges into
  the ОУ, УДО section → 34 (**−1**), the merged row carrying the presentation's reason;
* 2021-2022: one ПТГ closes and one opens → 34 (stable);
* resource centres: 5, 6, 7, 7; their site check (programme 2020–2023 and innovation plan) runs
  from 2020-2021, so m03 is *not applicable* before;
* the ГПО plan-report check starts with the ГПО (2019-2020), so m04/m05 are not applicable in
  2018-2019; a few ГПО miss their plan or report (the recommendation «обеспечить
  преемственность отчетов … и планов …» has someone to address).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

OUT = Path(__file__).resolve().parents[1] / "src" / "pedprof_magnitogorsk" / "data" / "sample"
MUNI = "magnitogorsk"
YEARS = ["2018-2019", "2019-2020", "2020-2021", "2021-2022"]

ORGS = [
    ("mgn_c01", "МУ ДПО «ЦПКИМР»", "methodical_service"),
    *[(f"mgn_s{i:02d}", f"МОУ «СОШ № {i}»", "school") for i in range(1, 9)],
    *[(f"mgn_d{i:02d}", f"МДОУ «Детский сад № {i}»", "kindergarten") for i in range(1, 6)],
    ("mgn_u01", "МУ ДО «Центр детского творчества»", "additional_education"),
    ("mgn_u02", "МУ ДО «Дворец творчества детей и молодёжи»", "additional_education"),
    ("mgn_u03", "МУ ДО «Станция юных техников»", "additional_education"),
]
SCHOOLS = [f"mgn_s{i:02d}" for i in range(1, 9)]
KINDERGARTENS = [f"mgn_d{i:02d}" for i in range(1, 6)]

SUBJECTS = [
    "учителей начальных классов",
    "учителей русского языка и литературы",
    "учителей математики",
    "учителей информатики",
    "учителей физики",
    "учителей химии",
    "учителей биологии",
    "учителей географии",
    "учителей истории и обществознания",
    "учителей иностранного языка",
    "учителей физической культуры",
    "преподавателей-организаторов ОБЖ",
    "учителей музыки",
    "учителей изобразительного искусства",
    "учителей технологии",
    "педагогов-психологов",
    "социальных педагогов",
    "учителей-логопедов",
    "воспитателей групп раннего и младшего возраста",
    "воспитателей групп старшего дошкольного возраста",
    "музыкальных руководителей ДОУ",
    "инструкторов по физической культуре ДОУ",
    "педагогов дополнительного образования",
    "заместителей директоров по учебно-воспитательной работе",
]

# Reasons, verbatim from the presentation (Раздел IV, analysis of effectiveness).
GROWTH = "Это связано с обновлением подходов и содержания методической работы в городе."
TRANSITION = (
    "В этот период был совершен переход от городских методических объединений к городским "
    "профессиональным объединениям (ГПО)."
)
MERGER = (
    "Это связано с объединением секции ДОУ и секции ОУ, УДО ГПО «Городской робототехнический "
    "клуб «Интеллект»."
)
# Invented reasons for the synthetic 2021-2022 changes.
CLOSED_2021 = "Проблемно-творческая группа завершила работу над темой."
OPENED_2021 = (
    "Открыта по предложению педагогического совета МУ ДПО «ЦПКИМР» об организации ГПО на "
    "2021-2022 учебный год."
)

ROBOT_DOU = "g_robot_dou"
ROBOT_OU = "g_robot_ou"


def _host(i: int, name: str) -> str:
    if "ДОУ" in name or "дошкольного" in name or "раннего" in name:
        return KINDERGARTENS[i % len(KINDERGARTENS)]
    if "дополнительного" in name:
        return "mgn_u01"
    return SCHOOLS[i % len(SCHOOLS)]


def associations() -> pd.DataFrame:
    base = [
        (f"g{i + 1:02d}", subject, _host(i, subject), "subject")
        for i, subject in enumerate(SUBJECTS)
    ]
    shmp = [
        ("shmp1", "ШМП учителей начальных классов", "mgn_c01", "direction"),
        ("shmp2", "ШМП учителей-предметников", "mgn_c01", "direction"),
        ("shmp3", "ШМП воспитателей ДОУ", "mgn_d02", "direction"),
    ]
    ptg = [
        ("ptg1", "ПТГ «Функциональная грамотность»", "mgn_s03", "direction"),
        ("ptg2", "ПТГ «Формирующее оценивание»", "mgn_s05", "direction"),
        ("ptg3", "ПТГ «Инклюзивное образование»", "mgn_s07", "direction"),
    ]
    opened_2019 = [
        (
            ROBOT_DOU,
            "ГПО «Городской робототехнический клуб «Интеллект» (секция ДОУ)",
            "mgn_d01",
            "gpo",
        ),
        (
            ROBOT_OU,
            "ГПО «Городской робототехнический клуб «Интеллект» (секция ОУ, УДО)",
            "mgn_u03",
            "gpo",
        ),
        ("g_lib", "ГПО педагогов-библиотекарей", "mgn_s02", "gpo"),
        ("shmp4", "ШМП педагогов дополнительного образования", "mgn_u02", "shmp"),
        ("ptg4", "ПТГ «Цифровая образовательная среда»", "mgn_s08", "ptg"),
    ]
    # Site checks (plan / report posted) that fail: (period, association_id).
    no_plan = {
        ("2019-2020", "g05"),
        ("2019-2020", "g17"),
        ("2019-2020", "ptg2"),
        ("2020-2021", "g12"),
        ("2020-2021", "shmp3"),
        ("2021-2022", "g12"),
    }
    no_report = {
        ("2019-2020", "g05"),
        ("2019-2020", "g09"),
        ("2019-2020", "g21"),
        ("2019-2020", "shmp2"),
        ("2020-2021", "g12"),
        ("2020-2021", "g19"),
        ("2020-2021", ROBOT_OU),
        ("2021-2022", "g03"),
        ("2021-2022", "ptg4"),
    }

    rows = []

    def add(period, aid, name, host, kind, principle, status, successor="", reason=""):
        functioning = status in ("functioning", "opened", "transformed")
        checked = functioning and period != "2018-2019"
        rows.append(
            {
                "period": period,
                "org_id": host,
                "association_id": aid,
                "name": name,
                "kind": kind,
                "principle": principle,
                "status": status,
                "successor_id": successor,
                "reason": reason,
                "plan_posted": (period, aid) not in no_plan if checked else "",
                "report_posted": (period, aid) not in no_report if checked else "",
            }
        )

    for period in YEARS:
        first = period == "2018-2019"
        for aid, subject, host, principle in base:
            if first:
                add(period, aid, f"ГМО {subject}", host, "gmo", principle, "functioning")
            else:
                status = "transformed" if period == "2019-2020" else "functioning"
                reason = TRANSITION if status == "transformed" else ""
                add(period, aid, f"ГПО {subject}", host, "gpo", principle, status, "", reason)
        for aid, name, host, principle in shmp:
            add(period, aid, name, host, "shmp", principle, "functioning")
        for aid, name, host, principle in ptg:
            if aid == "ptg3" and period == "2021-2022":
                add(period, aid, name, host, "ptg", principle, "closed", "", CLOSED_2021)
            else:
                add(period, aid, name, host, "ptg", principle, "functioning")
        if first:
            continue
        for aid, name, host, kind in opened_2019:
            principle = "direction"
            if period == "2019-2020":
                add(period, aid, name, host, kind, principle, "opened", "", GROWTH)
            elif aid == ROBOT_DOU and period == "2020-2021":
                add(period, aid, name, host, kind, principle, "merged", ROBOT_OU, MERGER)
            elif aid == ROBOT_DOU:
                continue  # merged: no longer listed
            else:
                add(period, aid, name, host, kind, principle, "functioning")
        if period == "2021-2022":
            add(
                period,
                "ptg5",
                "ПТГ «Наставничество в образовательной организации»",
                "mgn_s04",
                "ptg",
                "direction",
                "opened",
                "",
                OPENED_2021,
            )
    return pd.DataFrame(rows)


def resource_centres() -> pd.DataFrame:
    centres = [
        (
            "rc1",
            "РЦ «Естественно-научное образование»",
            "mgn_s01",
            "естественно-научное образование",
            "2018-2019",
        ),
        ("rc2", "РЦ «Инженерное образование»", "mgn_u03", "техническое творчество", "2018-2019"),
        ("rc3", "РЦ «Инклюзивное образование»", "mgn_s06", "инклюзивное образование", "2018-2019"),
        (
            "rc4",
            "РЦ «Развитие дошкольного образования»",
            "mgn_d03",
            "дошкольное образование",
            "2018-2019",
        ),
        ("rc5", "РЦ «Языковое образование»", "mgn_s04", "иностранные языки", "2018-2019"),
        ("rc6", "РЦ «Цифровая школа»", "mgn_s02", "цифровая образовательная среда", "2019-2020"),
        (
            "rc7",
            "РЦ «Художественно-эстетическое воспитание»",
            "mgn_u02",
            "дополнительное образование",
            "2020-2021",
        ),
    ]
    # (period, rc) → (programme posted, plan posted); checks run from 2020-2021 (programme 2020–2023)
    failures = {
        ("2020-2021", "rc3"): (True, False),
        ("2020-2021", "rc6"): (False, False),
        ("2021-2022", "rc7"): (True, False),
    }
    rows = []
    for period in YEARS:
        start = int(period[:4])
        for rc, name, host, direction, since in centres:
            if int(since[:4]) > start:
                continue
            checked = start >= 2020
            programme, plan = failures.get((period, rc), (True, True))
            rows.append(
                {
                    "period": period,
                    "org_id": host,
                    "rc_id": rc,
                    "name": name,
                    "direction": direction,
                    "status": "opened" if since == period else "functioning",
                    "check_date": f"{start}-09-2{rc[-1]}" if checked else "",
                    "programme_posted": programme if checked else "",
                    "plan_posted": plan if checked else "",
                }
            )
    return pd.DataFrame(rows)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    pd.DataFrame([{"region_id": "chelyabinsk", "name": "Челябинская область"}]).to_csv(
        OUT / "regions.csv", index=False
    )
    pd.DataFrame(
        [
            {
                "municipality_id": MUNI,
                "name": "Магнитогорский городской округ",
                "region_id": "chelyabinsk",
            }
        ]
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
            for oid, name, kind in ORGS
        ]
    ).to_csv(OUT / "organizations.csv", index=False)
    associations().to_csv(OUT / "associations.csv", index=False)
    resource_centres().to_csv(OUT / "resource_centres.csv", index=False)
    # The content analysis of the orders and sites covers every organisation every year: an
    # organisation that hosts nothing has 0 associations, not «no data».
    pd.DataFrame(
        [
            {"unit_id": oid, "period": p, "submitted_at": f"{int(p[5:])}-09-30"}
            for p in YEARS
            for oid, _, _ in ORGS
        ]
    ).to_csv(OUT / "submissions.csv", index=False)
    (OUT / "README.md").write_text(
        "# Демонстрационные данные (СИНТЕТИЧЕСКИЕ)\n\n"
        "Все коды, наименования организаций и результаты проверок сайтов вымышлены; данные "
        "созданы скриптом `profiles/magnitogorsk/scripts/make_sample.py`. Они воспроизводят "
        "только динамику, названную в презентации МУ ДПО «ЦПКИМР» от 20.04.2022 (рост числа ГПО "
        "на пять в 2019-2020 учебном году и снижение на одно в 2020-2021), с причинами из "
        "презентации. Это не сведения Магнитогорского городского округа.\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
