"""Magnitogorsk's indicators as formulas, and the stable-count target of Раздел IV.

The words (names, criterion, methods) come verbatim from ``data/indicators.yaml``; this module
adds the numerator and denominator as conditions on the tables of :mod:`.sources` and the
decision taken wherever the presentation leaves the reader to decide.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from pedprof import Indicator, IndicatorKind, Stable, Target, col

from .sources import FUNCTIONING, RC_FUNCTIONING

SHARE = IndicatorKind.SHARE
COUNT = IndicatorKind.COUNT

#: Раздел IV of the Положение о МСОКО, where the planned effect is stated.
SECTION_IV = (
    "Положение (обновленное) о муниципальной системе оценки качества образования в "
    "Магнитогорском ГО (утверждено приказом УО от 10.06.2021 № УО-04/519), механизм "
    "«Система обеспечения профессионального развития педагогических работников», "
    "Раздел IV. Планируемые управленческие эффекты (результаты) по показателям"
)

ASSOCIATION_FUNCTIONS = col("status").isin(FUNCTIONING)
RC_FUNCTIONS = col("status").isin(RC_FUNCTIONING)


@cache
def texts() -> dict[str, dict[str, Any]]:
    """The verbatim texts of every indicator, by id."""
    raw = resources.files(__package__).joinpath("data/indicators.yaml").read_text("utf-8")
    return {row["id"]: row for row in yaml.safe_load(raw)}


def _ind(id: str, kind: IndicatorKind, table: str, **formula: Any) -> Indicator:
    t = texts()[id]
    return Indicator(
        id=id,
        name=t["name"],
        short_name=t.get("short_name"),
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
    """The two МСОКО indicators and the three site-check (compliance) indicators."""
    return [
        _ind(
            "m01",
            COUNT,
            "associations",
            population=ASSOCIATION_FUNCTIONS,
            distinct="association_id",
            split_by="kind",
            numerator_text=(
                "городские профессиональные объединения (ГПО, в т.ч. ШМП и ПТГ), действующие в "
                "учебном году по перечню, утверждённому приказом УО; до перехода к ГПО "
                "(2018-2019 учебный год) — городские методические объединения; с разбивкой по "
                "виду объединения"
            ),
            decisions=(
                "Считаются объединения со статусом «действует», «открыто» и «преобразовано из "
                "ГМО в ГПО»; объединённые и закрытые в отчётном году не считаются, но остаются в "
                "таблице вместе с причиной изменения.",
                "Городские методические объединения 2018-2019 учебного года считаются "
                "предшественниками ГПО (код объединения при преобразовании сохраняется): только "
                "так сравнение «рост числа ГПО на пять» в 2019-2020 учебном году по сравнению с "
                "2018-2019 учебным годом имеет смысл.",
                "ШМП и ПТГ входят в количество ГПО (Раздел IV: «устойчивое количество ГПО, в т.ч. "
                "ШМП и ПТГ»); разбивка по виду показывает их отдельно.",
                "На уровне организации — число объединений, созданных на базе организации; "
                "показатель муниципальный, уровень организации нужен для адресных рекомендаций.",
                "Цель в источнике не задана; планируемый эффект «устойчивое количество» "
                "проверяется как отсутствие снижения по сравнению с предыдущим учебным годом "
                "(правило Stable без допуска). Снижение, объяснённое объединением секций, "
                "остаётся снижением: причина показывается рядом (см. gpo_dynamics).",
                "Планируемый эффект сформулирован для муниципалитета («В муниципалитете "
                "действует устойчивое количество ГПО, в т.ч. ШМП и ПТГ») и об одном "
                "количестве — общем числе ГПО: он проверяется только по итоговому значению "
                "муниципалитета. Разбивка по виду объединения, организации и регион "
                "показываются без оценки: переход ГМО в ГПО уменьшает число ГМО до нуля, "
                "но источник называет этот переход ростом («рост числа ГПО на пять»).",
            ),
        ),
        _ind(
            "m02",
            COUNT,
            "resource_centres",
            population=RC_FUNCTIONS,
            distinct="rc_id",
            numerator_text=(
                "городские ресурсные центры, действующие в учебном году по перечню, утверждённому "
                "приказом УО"
            ),
            decisions=(
                "Считаются ресурсные центры со статусом «действует» и «открыт»; цель и "
                "планируемый эффект в источнике не заданы — показатель сообщает значение и "
                "динамику без оценки.",
            ),
        ),
        _ind(
            "m03",
            SHARE,
            "resource_centres",
            population=RC_FUNCTIONS & col("check_date").notna(),
            numerator=col("programme_posted").true() & col("plan_posted").true(),
            distinct="rc_id",
            numerator_text=(
                "ресурсные центры, на странице сайта которых при проверке размещены оба "
                "документа: программа деятельности РЦ на 2020-2023 годы и план работы по "
                "организации инновационной деятельности на учебный год"
            ),
            denominator_text=(
                "действующие ресурсные центры, страницы сайтов которых проверены в учебном году"
            ),
            decisions=(
                "Показатель соответствия построен по мониторинговому мероприятию № 10 и п. 5.2 "
                "приказа о РЦ: в источнике нет показателя, есть проверка; название составлено из "
                "слов п. 5.2.",
                "Срок проверки: ежегодно в сентябре (п. 5.2 приказа) — а не «ежеквартально», как "
                "в проекте перечня мониторинговых исследований; результат сентябрьской проверки "
                "относится к начинающемуся учебному году.",
                "РЦ, страница которого не проверялась, не входит в знаменатель: до 2020-2021 "
                "учебного года программы на 2020-2023 годы не было, и показатель «не применим», "
                "а не 0 %.",
                "Цель в источнике не задана (норма — размещение обоих документов каждым РЦ); "
                "несоответствующие РЦ видны на уровне организации.",
            ),
        ),
        _ind(
            "m04",
            SHARE,
            "associations",
            population=ASSOCIATION_FUNCTIONS & col("plan_posted").notna(),
            numerator=col("plan_posted").true(),
            distinct="association_id",
            numerator_text=(
                "ГПО, план которых (план-отчет, часть «план») на учебный год представлен на "
                "сайте организации, на базе которой создано ГПО"
            ),
            denominator_text="действующие ГПО, сайты организаций которых изучены в учебном году",
            decisions=(
                "Показатель соответствия по приложению 4 приказа о ГПО (изучение сайтов "
                "организаций на предмет представления планов-отчетов); в источнике показателя "
                "нет, название составлено из слов приложения 4.",
                "Объединения, сайты которых не изучались (в том числе ГМО 2018-2019 учебного года, "
                "когда формы плана-отчета ГПО ещё не было), не входят в знаменатель.",
            ),
        ),
        _ind(
            "m05",
            SHARE,
            "associations",
            population=ASSOCIATION_FUNCTIONS & col("report_posted").notna(),
            numerator=col("report_posted").true(),
            distinct="association_id",
            numerator_text=(
                "ГПО, отчёт которых (план-отчет, часть «отчёт») за учебный год представлен на "
                "сайте организации, на базе которой создано ГПО"
            ),
            denominator_text="действующие ГПО, сайты организаций которых изучены по итогам года",
            decisions=(
                "Показатель соответствия по приложению 4 приказа о ГПО (изучение сайтов «в части "
                "отчетов ГПО»); название составлено из слов приложения 4.",
            ),
        ),
    ]


def targets() -> dict[str, Target]:
    """The stable-count target of Раздел IV for m01; the other indicators have none.

    «В муниципалитете действует устойчивое количество ГПО, в т.ч. ШМП и ПТГ» is one count:
    the total of the municipality. It is not judged per kind of association (the ГМО of
    2018-2019 became ГПО in 2019-2020: their count falling to 0 is part of the «рост числа
    ГПО на пять» the presentation names, not a decline) nor per host organisation or for the
    region.
    """
    effect = _effect_text()
    return {
        "m01": Stable(text=effect, document=SECTION_IV, levels=("municipality",), total_only=True)
    }


def _effect_text() -> str:
    raw = resources.files(__package__).joinpath("data/planned_effects.yaml").read_text("utf-8")
    return str(yaml.safe_load(raw)["rows"][0]["text"])
