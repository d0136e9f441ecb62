"""The 24 indicators of order No 213, as formulas.

The words (name, criterion, methods, source, target text) come verbatim from
``data/indicators.yaml``; this module adds what the order leaves to the reader: the
numerator and denominator as conditions on the submitted tables, and the decision taken
wherever the order is ambiguous (see the docs page «Методика расчёта показателей»).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from pedprof import (
    AllOf,
    AtLeast,
    CountComposition,
    Cumulative,
    CumulativeSchedule,
    Exactly,
    Indicator,
    IndicatorKind,
    Period,
    PerOrganizationAtLeast,
    PositiveDynamics,
    Rolling,
    Stable,
    Target,
    col,
)
from pedprof_karabash.sources import PROJECT_TYPES

SHARE = IndicatorKind.SHARE
COUNT = IndicatorKind.COUNT
PRESENCE = IndicatorKind.PRESENCE

#: The first monitoring cycle («начиная с 2021 года»): the school year that ends in 2021.
FIRST_CYCLE = Period.school_year(2020)
ORDER = "Приказ МКУ «Управление образования КГО» № 213 (о/д) от 19.08.2021, приложение 3"

TEACHER = col("category").eq("teacher")
MANAGER = col("category").eq("manager")
STAFF_ALL = TEACHER | MANAGER
#: «молодой педагог»: a teacher under 35 in the first three years of work (k10's wording).
YOUNG = TEACHER & col("age").lt(35) & col("experience_years").lt(3)
#: any assessment procedure of ОГБУ ЧЦОПМКП in the period (deficits or expert diagnostics).
ASSESSED_ANY = col("deficit_assessed").true() | col("expert_score").notna()
GENERAL_EDUCATION = col("org_kind").isin(["school", "kindergarten"])


@cache
def texts() -> dict[str, dict[str, Any]]:
    """The verbatim texts of every indicator, by id."""
    raw = resources.files("pedprof_karabash").joinpath("data/indicators.yaml").read_text("utf-8")
    return {row["id"]: row for row in yaml.safe_load(raw)}


def _ind(
    id: str,
    kind: IndicatorKind,
    table: str,
    *,
    text_id: str | None = None,
    **formula: Any,
) -> Indicator:
    t = texts()[text_id or id]
    return Indicator(
        id=id,
        name=t["name"],
        kind=kind,
        table=table,
        criterion=t["criterion"],
        collection_method=t.get("collection_method"),
        processing_method=t.get("processing_method"),
        source_text=t.get("source"),
        notes=tuple(t.get("notes") or ()),
        **formula,
    )


def indicators() -> list[Indicator]:
    """All indicators, with alternative readings next to the indicator they read."""
    cum = Cumulative(FIRST_CYCLE)
    return [
        _ind(
            "k01",
            SHARE,
            "staff",
            population=TEACHER,
            numerator=col("deficit_assessed").true(),
            window=cum,
            numerator_text="педагоги, прошедшие оценочную процедуру хотя бы раз начиная с 2020-2021 учебного года (нарастающим итогом)",
            denominator_text="все педагогические работники организаций в отчётном году",
            decisions=(
                "Основное чтение — нарастающим итогом с 2021 года (цель «к 2024 году – не менее 66,6 %» проверяется по нему, с темпом не менее 33,3 % в год); годовое чтение — показатель k01.annual.",
            ),
        ),
        _ind(
            "k01.annual",
            SHARE,
            "staff",
            text_id="k01",
            population=TEACHER,
            numerator=col("deficit_assessed").true(),
            reading_of="k01",
            short_name="k01, годовое чтение",
            numerator_text="педагоги, прошедшие оценочную процедуру в отчётном учебном году",
            denominator_text="все педагогические работники в отчётном году",
            decisions=("Годовое чтение k01: проверяется по условию «не менее 33,3 % ежегодно».",),
        ),
        _ind(
            "k02",
            SHARE,
            "staff",
            population=MANAGER,
            numerator=col("deficit_assessed").true(),
            window=cum,
            numerator_text="руководители (руководитель и заместители), прошедшие оценочную процедуру хотя бы раз начиная с 2020-2021 учебного года",
            denominator_text="все руководящие работники в отчётном году",
            decisions=("Как k01; годовое чтение — k02.annual.",),
        ),
        _ind(
            "k02.annual",
            SHARE,
            "staff",
            text_id="k02",
            population=MANAGER,
            numerator=col("deficit_assessed").true(),
            reading_of="k02",
            short_name="k02, годовое чтение",
            numerator_text="руководители, прошедшие оценочную процедуру в отчётном учебном году",
            denominator_text="все руководящие работники в отчётном году",
        ),
        _ind(
            "k03",
            SHARE,
            "staff",
            population=STAFF_ALL & col("deficit_assessed").true(),
            numerator=col("iom").true(),
            numerator_text="педагоги и руководители, для которых сформирован ИОМ",
            denominator_text="педагоги и руководители, прошедшие оценочную процедуру по выявлению дефицитов в отчётном году",
        ),
        _ind(
            "k04",
            SHARE,
            "staff",
            population=STAFF_ALL & col("expert_score").gt(60),
            numerator=col("expert_register").true(),
            numerator_text="включённые в реестр экспертов",
            denominator_text="педагоги и руководители, прошедшие диагностику экспертов с результатом более 60 % выполнения (строго больше 60)",
        ),
        _ind(
            "k05",
            SHARE,
            "staff",
            population=STAFF_ALL & ASSESSED_ANY,
            numerator=col("cnppm_events").true(),
            numerator_text="привлекаемые к проведению методических мероприятий в ЦНППМ",
            denominator_text="педагоги и руководители, прошедшие в отчётном году любую оценочную процедуру ОГБУ ЧЦОПМКП (выявление дефицитов или диагностику экспертов)",
            decisions=(
                "Процедура в знаменателе не названа: учитываются обе процедуры ОГБУ ЧЦОПМКП, названные в k01–k04.",
            ),
        ),
        _ind(
            "k06",
            COUNT,
            "events",
            population=col("kind").isin(["conference", "seminar"])
            & col("level").eq("municipal")
            & col("direction").notna(),
            distinct="direction",
            numerator_text="различные актуальные направления, обсуждавшиеся на городских научно-практических конференциях и семинарах за учебный год",
        ),
        _ind(
            "k07",
            COUNT,
            "events",
            population=col("level").eq("municipal") & col("scientific_practical").true(),
            distinct="event_id",
            numerator_text="мероприятия муниципального уровня научно-практической направленности (конкурсы, конференции, семинары и др.) по приказам МКУ УО КГО",
        ),
        _ind(
            "k08",
            SHARE,
            "staff",
            population=TEACHER,
            numerator=col("contest").true(),
            numerator_text="педагогические работники, участвовавшие в конкурсах профессионального мастерства любого уровня",
            denominator_text="все педагогические работники",
            decisions=("Уровень конкурса не указан — учитываются конкурсы всех уровней.",),
        ),
        _ind(
            "k09",
            COUNT,
            "projects",
            distinct="project_id",
            split_by="type",
            numerator_text="проекты по поддержке молодых педагогов и руководителей, реализуемые в муниципалитете, с разбивкой по направлению",
        ),
        _ind(
            "k10",
            SHARE,
            "staff",
            population=YOUNG,
            numerator=col("support_forms").true(),
            numerator_text="педагоги до 35 лет в первые 3 года работы, участвующие в формах поддержки и сопровождения",
            denominator_text="все педагоги до 35 лет в первые 3 года работы (стаж менее 3 полных лет)",
            decisions=(
                "«от общего числа» прочитано как число педагогов той же группы (до 35 лет, первые 3 года работы).",
            ),
        ),
        _ind(
            "k11",
            IndicatorKind.PER_ORGANIZATION_MINIMUM,
            "mentoring_programmes",
            distinct="programme_id",
            minimum=2,
            numerator_text="в ОО — число программ и планов наставничества; в муниципалитете — доля ОО, где их не менее двух",
            denominator_text="в муниципалитете — все ОО, представившие сведения",
            decisions=(
                "Учитываются программы и планы (как в названии показателя); цель «не менее двух программ» проверяется по их сумме.",
            ),
        ),
        _ind(
            "k12",
            SHARE,
            "staff",
            population=YOUNG,
            numerator=col("young_events").true(),
            numerator_text="молодые педагоги, охваченные мероприятиями по поддержке молодых педагогов",
            denominator_text="все молодые педагоги: педагоги до 35 лет со стажем менее 3 лет",
            decisions=(
                "«Молодой педагог» — педагог до 35 лет в первые 3 года работы (определение k10).",
            ),
        ),
        _ind(
            "k13",
            SHARE,
            "staff",
            population=STAFF_ALL,
            numerator=col("mentoring_role").isin(["mentor", "mentee"]),
            numerator_text="педагоги и руководители, участвующие в программах наставничества как наставники или наставляемые",
            denominator_text="все педагоги и руководители",
        ),
        _ind(
            "k14",
            SHARE,
            "staff",
            population=TEACHER,
            numerator=col("methodist_support").true(),
            numerator_text="педагоги, сопровождаемые педагогами-методистами, прошедшими федеральный и (или) региональный отбор",
            denominator_text="все педагоги",
        ),
        _ind(
            "k15",
            SHARE,
            "staff",
            population=MANAGER,
            numerator=col("manager_mentor").true(),
            numerator_text="руководители, сопровождаемые руководителями-наставниками",
            denominator_text="все руководители",
        ),
        _ind(
            "k16",
            PRESENCE,
            "associations",
            population=col("functioning").true(),
            distinct="association_id",
            numerator_text="функционирующие на муниципальном уровне профессиональные (в т.ч. сетевые) сообщества и методические объединения",
            decisions=(
                "Показатель наличия рассчитывается как количество (метод обработки — «подсчет»); наличие = количество > 0.",
            ),
        ),
        _ind(
            "k17",
            PRESENCE,
            "support_programmes",
            distinct="programme_id",
            numerator_text="программы поддержки методических объединений, разработанные и реализуемые на муниципальном уровне",
        ),
        _ind(
            "k18",
            COUNT,
            "events",
            population=col("innovation").notna(),
            distinct="event_id",
            numerator_text="мероприятия по методической поддержке в рамках инновационной деятельности (МИП, РИП, ФИП, технопарк)",
        ),
        _ind(
            "k19",
            SHARE,
            "staff",
            population=STAFF_ALL,
            numerator=col("age").lt(35),
            split_by="category",
            numerator_text="работники в возрасте до 35 лет (строго меньше 35 полных лет)",
            denominator_text="все работники; по разбивке — педагоги и руководители отдельно",
            decisions=(
                "Две доли в одном показателе: разбивка по категории (педагоги / руководители), цель проверяется по каждой.",
            ),
        ),
        _ind(
            "k20",
            SHARE,
            "staff",
            population=STAFF_ALL,
            numerator=col("dpo_date").within(),
            numerator_text="руководящие и педагогические работники, окончившие обучение по ДПО в отчётном учебном году",
            denominator_text="все руководящие и педагогические работники",
            decisions=(
                "Два периода в одном показателе: k20 — за отчётный период, k20.three_years — за трёхлетний; цель 100 % проверяется по трёхлетнему.",
            ),
        ),
        _ind(
            "k20.three_years",
            SHARE,
            "staff",
            text_id="k20",
            population=STAFF_ALL,
            numerator=col("dpo_date").within(Rolling(3)),
            reading_of="k20",
            short_name="k20, за трёхлетний период",
            numerator_text="работники, окончившие обучение по ДПО в отчётном или двух предыдущих учебных годах",
            denominator_text="все руководящие и педагогические работники",
        ),
        _ind(
            "k21",
            SHARE,
            "staff",
            population=TEACHER & col("org_kind").eq("school"),
            numerator=col("profile_education").true(),
            numerator_text="учителя, чьё образование соответствует профилю преподаваемого предмета",
            denominator_text="педагогические работники общеобразовательных организаций (у педагогов ДОУ и УДО нет учебного предмета)",
        ),
        _ind(
            "k22",
            SHARE,
            "staff",
            population=TEACHER,
            numerator=col("noc").true(),
            numerator_text="педагогические работники, прошедшие независимую оценку квалификации в отчётном году",
            denominator_text="все педагогические работники",
        ),
        _ind(
            "k23",
            SHARE,
            "staff",
            population=MANAGER,
            numerator=col("noc").true(),
            numerator_text="руководящие работники, прошедшие независимую оценку квалификации в отчётном году",
            denominator_text="все руководящие работники",
        ),
        _ind(
            "k24",
            SHARE,
            "staff",
            population=STAFF_ALL & GENERAL_EDUCATION,
            numerator=col("cnppm_help").true(),
            numerator_text="педагоги и руководители общего образования, получающие методическую помощь в ЦНППМ",
            denominator_text="педагоги и руководители школ и детских садов (общее образование, включая дошкольное)",
        ),
    ]


def _baseline_dynamics(text: str, **kwargs: Any) -> PositiveDynamics:
    return PositiveDynamics(text=text, document=ORDER, baseline=FIRST_CYCLE, by_year=2024, **kwargs)


def targets() -> dict[str, Target]:
    """Targets of приложение 3, by indicator id; texts verbatim."""
    t = {k: v["target_text"] for k, v in texts().items()}
    doc: dict[str, Any] = {"document": ORDER}
    return {
        "k01": CumulativeSchedule(
            text=t["k01"], step=33.3, start_ordinal=FIRST_CYCLE.ordinal, cap=66.6, **doc
        ),
        "k01.annual": AtLeast(text=t["k01"], value=33.3, **doc),
        "k02": CumulativeSchedule(
            text=t["k02"], step=33.3, start_ordinal=FIRST_CYCLE.ordinal, cap=66.6, **doc
        ),
        "k02.annual": AtLeast(text=t["k02"], value=33.3, **doc),
        "k03": AtLeast(text=t["k03"], value=75, **doc),
        "k04": Exactly(text=t["k04"], value=100, **doc),
        "k05": AtLeast(text=t["k05"], value=35, by_year=2024, **doc),
        "k06": AtLeast(text=t["k06"], value=5, by_year=2024, **doc),
        "k07": _baseline_dynamics(t["k07"]),
        "k08": AtLeast(text=t["k08"], value=25, by_year=2024, **doc),
        "k09": CountComposition(
            text=t["k09"],
            total=2,
            minimums={"young_teachers": 1, "manager_reserve": 1},
            labels=PROJECT_TYPES,
            by_year=2024,
            **doc,
        ),
        "k10": AtLeast(text=t["k10"], value=70, by_year=2024, **doc),
        "k11": PerOrganizationAtLeast(text=t["k11"], value=2, by_year=2024, **doc),
        "k12": Exactly(text=t["k12"], value=100, by_year=2024, **doc),
        "k13": _baseline_dynamics(t["k13"]),
        "k14": _baseline_dynamics(t["k14"]),
        "k15": _baseline_dynamics(t["k15"]),
        # «положительная динамика … – не менее 100 %»: growth against the baseline by 2024
        # and a chain index of at least 100 % in every year from the baseline on (no year
        # with a fall), see docs/profiles/karabash.md
        "k16": AllOf(
            text=t["k16"],
            parts=(
                _baseline_dynamics(t["k16"]),
                Stable(text=t["k16"], document=ORDER, since=FIRST_CYCLE),
            ),
            **doc,
        ),
        "k17": AllOf(
            text=t["k17"],
            parts=(
                _baseline_dynamics(t["k17"]),
                AtLeast(text=t["k17"], value=2, by_year=2024, document=ORDER),
            ),
            **doc,
        ),
        "k18": AtLeast(text=t["k18"], value=10, by_year=2024, **doc),
        "k19": _baseline_dynamics(t["k19"], min_relative=10),
        "k20.three_years": Exactly(text=t["k20"], value=100, by_year=2024, **doc),
        "k21": Exactly(text=t["k21"], value=100, by_year=2024, **doc),
        "k22": _baseline_dynamics(t["k22"], min_relative=10),
        "k23": _baseline_dynamics(t["k23"], min_relative=10),
        "k24": Exactly(text=t["k24"], value=100, by_year=2024, **doc),
    }
