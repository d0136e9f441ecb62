"""The six effectiveness indicators of the Petrovsk concept, as formulas.

The concept gives their names only («5. Показатели эффективности деятельности Системы.»): no
numerator, denominator, period, source or target. Every choice below is a decision of the
profile, written into the indicator (``decisions``) so that the catalogue, the docs and the
report's methodology show it. The concept sets **no targets**: the profile registers none, and
results carry values and dynamics without a target status (see the docs page on adding a
municipality's own targets without forking the profile).

«На различных уровнях» is read as a breakdown by level: for indicators 3–6 the main indicator
counts participation at any level, and one reading per level (``p3.municipal`` …) keeps the
whole staff (or every organisation) in its denominator.
"""

from __future__ import annotations

from functools import cache, reduce
from importlib import resources
from operator import or_
from typing import Any

import yaml

from pedprof import Condition, Indicator, IndicatorKind, Rolling, always, col

from .sources import LEVELS

SHARE = IndicatorKind.SHARE

TEACHER = col("category").eq("teacher")
MANAGER = col("category").eq("manager")
STAFF_ALL = TEACHER | MANAGER
#: p2: «в возрасте до 35 лет … в первые 3 года работы».
YOUNG = TEACHER & col("age").lt(35) & col("experience_years").lt(3)
#: p1: «повысивших квалификацию, прошедших курсы повышения квалификации и профессиональную
#: переподготовку» — either form completed in the period.
TRAINED = col("pk_date").within() | col("retraining_date").within()
TRAINED_3Y = col("pk_date").within(Rolling(3)) | col("retraining_date").within(Rolling(3))

LEVEL_TEXT = {
    "municipal": "муниципального уровня",
    "regional": "регионального уровня",
    "federal": "всероссийского (федерального) и международного уровня",
}

MANAGERS_DECISION = (
    "Управленческие кадры — руководитель и заместители руководителя организации (определение "
    "«Управленческие кадры» в понятиях Концепции)."
)
DENOMINATOR_DECISION = (
    "Знаменатель в Концепции не указан; принят общий состав той же категории в организациях, "
    "представивших сведения за учебный год."
)
PERIOD_DECISION = (
    "Отчётный период — учебный год: мониторинг «не реже одного раза в год», сведения о "
    "педагогах и их обучении ведутся по учебным годам."
)
LEVELS_DECISION = (
    "«На различных уровнях» — участие на любом из уровней (муниципальный, региональный, "
    "всероссийский и международный) в основном показателе и по каждому уровню отдельно в "
    "чтениях «.municipal», «.regional», «.federal»; знаменатель у всех один и тот же. Участие "
    "внутри своей организации (институциональный уровень) не учитывается."
)


def _any_level(prefix: str) -> Condition:
    return reduce(or_, (col(f"{prefix}_{code}").true() for code in LEVELS))


@cache
def texts() -> dict[str, dict[str, Any]]:
    """The verbatim names of the six indicators, by id."""
    raw = resources.files(__package__).joinpath("data/indicators.yaml").read_text("utf-8")
    return {row["id"]: row for row in yaml.safe_load(raw)}


@cache
def collection_methods() -> str:
    """«Методы сбора информации и инструменты оценки», verbatim, as one text."""
    raw = resources.files(__package__).joinpath("data/monitoring.yaml").read_text("utf-8")
    return " ".join(yaml.safe_load(raw)["methods"])


def _ind(id: str, table: str, *, text_id: str | None = None, **formula: Any) -> Indicator:
    t = texts()[text_id or id]
    return Indicator(
        id=id,
        name=t["name"],
        short_name=formula.pop("short_name", t.get("short_name")),
        kind=SHARE,
        table=table,
        criterion="c1",
        collection_method=collection_methods(),
        notes=tuple(t.get("notes") or ()),
        **formula,
    )


def _by_level(
    id: str,
    table: str,
    prefix: str,
    population: Condition,
    distinct: str,
    numerator_text: str,
    denominator_text: str,
) -> list[Indicator]:
    """The readings of indicator ``id`` at each level."""
    out = []
    for code, label in LEVELS.items():
        out.append(
            _ind(
                f"{id}.{code}",
                table,
                text_id=id,
                population=population,
                numerator=col(f"{prefix}_{code}").true(),
                distinct=distinct,
                reading_of=id,
                short_name=f"{id}, {label} уровень",
                numerator_text=f"{numerator_text} {LEVEL_TEXT[code]}",
                denominator_text=denominator_text,
                decisions=(f"Чтение показателя {id} на одном уровне: {label}.",),
            )
        )
    return out


def indicators() -> list[Indicator]:
    """The six indicators, each followed by its readings."""
    staff_den = "все педагогические работники и управленческие кадры организаций"
    teachers_den = "все педагогические работники организаций (без управленческих кадров)"
    orgs_den = "все образовательные организации района, представившие сведения за учебный год"
    contests = "педагоги и управленческие кадры, принявшие участие в конкурсах профессионального мастерства"
    roles = "педагоги, выступавшие тьюторами, экспертами или членами жюри"
    org_contests = "организации, принявшие участие в профессиональных конкурсах"
    org_experience = "организации, представившие актуальный опыт деятельности на мероприятиях"
    return [
        _ind(
            "p1",
            "staff",
            population=STAFF_ALL,
            numerator=TRAINED,
            numerator_text=(
                "педагогические работники и управленческие кадры, окончившие в учебном году "
                "курсы повышения квалификации или программу профессиональной переподготовки"
            ),
            denominator_text=staff_den,
            decisions=(
                "«прошедших курсы повышения квалификации и профессиональную переподготовку» — "
                "достаточно одного из двух видов обучения: требование обоих сделало бы "
                "показатель почти нулевым и противоречило бы началу формулировки («повысивших "
                "квалификацию»).",
                "Обучение учитывается по дате окончания, попадающей в отчётный учебный год; "
                "чтение за три года (обязательное повышение квалификации не реже одного раза в "
                "три года) — показатель p1.three_years.",
                DENOMINATOR_DECISION,
                MANAGERS_DECISION,
                PERIOD_DECISION,
            ),
        ),
        _ind(
            "p1.three_years",
            "staff",
            text_id="p1",
            population=STAFF_ALL,
            numerator=TRAINED_3Y,
            reading_of="p1",
            short_name="p1, за три года",
            numerator_text=(
                "педагогические работники и управленческие кадры, окончившие курсы повышения "
                "квалификации или профессиональную переподготовку в отчётном или двух "
                "предыдущих учебных годах"
            ),
            denominator_text=staff_den,
            decisions=("Чтение показателя p1 за трёхлетний период.",),
        ),
        _ind(
            "p2",
            "staff",
            population=YOUNG,
            numerator=col("support_forms").true(),
            numerator_text=(
                "педагоги в возрасте до 35 лет в первые 3 года работы, участвующие в различных "
                "формах поддержки и сопровождения"
            ),
            denominator_text=(
                "все педагогические работники в возрасте до 35 лет (строго меньше 35 полных лет) "
                "со стажем менее 3 полных лет"
            ),
            decisions=(
                "Знаменатель — педагоги той же группы (до 35 лет, первые 3 года работы), как у "
                "одноимённого показателя Карабашского городского округа (k10); организация без "
                "молодых педагогов получает «не применимо», а не 0 %.",
                PERIOD_DECISION,
            ),
        ),
        _ind(
            "p3",
            "staff",
            population=STAFF_ALL,
            numerator=_any_level("contest"),
            numerator_text=f"{contests} любого уровня",
            denominator_text=staff_den,
            decisions=(
                LEVELS_DECISION,
                "Работник, участвовавший в нескольких конкурсах или на нескольких уровнях, "
                "учитывается один раз.",
                DENOMINATOR_DECISION,
                MANAGERS_DECISION,
            ),
        ),
        *_by_level("p3", "staff", "contest", STAFF_ALL, "person_id", contests, staff_den),
        _ind(
            "p4",
            "org_activity",
            population=always(),
            numerator=_any_level("contest"),
            distinct="org_id",
            numerator_text=f"{org_contests} любого уровня",
            denominator_text=orgs_den,
            decisions=(
                "Доля организаций, а не людей: одна строка на организацию (таблица «Сведения об "
                "участии образовательной организации в конкурсах и представлении опыта»).",
                "Организация учитывается, если участвовала сама или командой (конкурсы для "
                "организаций); участие отдельных работников показывает p3.",
                "Знаменатель — организации, представившие сведения за учебный год; "
                "непредставившие видны в реестре представления сведений.",
                LEVELS_DECISION,
            ),
        ),
        *_by_level("p4", "org_activity", "contest", always(), "org_id", org_contests, orgs_den),
        _ind(
            "p5",
            "org_activity",
            population=always(),
            numerator=_any_level("experience"),
            distinct="org_id",
            numerator_text=f"{org_experience} любого уровня",
            denominator_text=orgs_den,
            decisions=(
                "Доля организаций: одна строка на организацию.",
                "«Представивших актуальный опыт деятельности» — организация представила опыт на "
                "методическом мероприятии (семинар, конференция, мастер-класс, стажировка, "
                "публикация в сборнике практик) соответствующего уровня.",
                "Знаменатель — организации, представившие сведения за учебный год.",
                LEVELS_DECISION,
            ),
        ),
        *_by_level(
            "p5",
            "org_activity",
            "experience",
            always(),
            "org_id",
            org_experience,
            orgs_den,
        ),
        _ind(
            "p6",
            "staff",
            population=TEACHER,
            numerator=_any_level("role"),
            numerator_text=f"{roles} любого уровня",
            denominator_text=teachers_den,
            decisions=(
                "«Доля педагогов-…»: знаменатель — педагогические работники (управленческие "
                "кадры не входят, в отличие от показателей 1 и 3, где они названы).",
                "Тьютор, эксперт и член жюри — одна группа: педагог в нескольких ролях или на "
                "нескольких уровнях учитывается один раз.",
                LEVELS_DECISION,
            ),
        ),
        *_by_level("p6", "staff", "role", TEACHER, "person_id", roles, teachers_den),
    ]
