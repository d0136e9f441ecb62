"""The regional indicators: computed over every municipality of a regional run.

The regional order 01/730 approves a roadmap and the monitoring dates; the indicators of the
regional model of methodical work are in order 01/249, which is not among the source
documents. The regional layer therefore computes only what the municipal profiles measure in
a comparable way; each indicator says which municipal indicators it is built from.
"""

from __future__ import annotations

from pedprof import Indicator, IndicatorKind, col


def indicators() -> list[Indicator]:
    """The regional indicators."""
    return [
        Indicator(
            id="r01",
            name=(
                "Количество функционирующих на муниципальном уровне профессиональных (в т.ч. "
                "сетевых) сообществ и методических объединений"
            ),
            short_name="Объединения педагогов муниципального уровня",
            kind=IndicatorKind.COUNT,
            table="municipal_associations",
            population=col("functioning").true(),
            distinct="association_id",
            split_by="kind",
            criterion="c2",
            collection_method=(
                "Мониторинг эффективности модели методической работы в системе образования "
                "Челябинской области"
            ),
            numerator_text=(
                "действующие в учебном году объединения педагогов муниципального уровня: "
                "методические объединения, профессиональные (в т.ч. сетевые) сообщества, ГПО "
                "(в т.ч. ШМП и ПТГ); в муниципалитете — по его реестру, в регионе — сумма по "
                "муниципалитетам"
            ),
            decisions=(
                "Сопоставимый показатель двух муниципальных профилей: k16 Карабашского городского "
                "округа («Наличие функционирующих на муниципальном уровне профессиональных (в т.ч. "
                "сетевых) сообществ и методических объединений», рассчитывается как количество) и "
                "m01 Магнитогорского городского округа («Количество городских профессиональных "
                "объединений, сопровождаемых на муниципальном уровне»); название взято из k16.",
                "Объединение каждого муниципалитета учитывается один раз: код в регионе — код "
                "муниципалитета и код объединения.",
                "Региональное значение — сумма по муниципалитетам; оно сравнимо между годами, "
                "только если сведения представили все муниципалитеты (см. side_by_side: графа "
                "«complete»).",
                "Целевое значение не установлено: дорожная карта (раздел 2) ожидает "
                "положительной динамики числа педагогов, получающих помощь через объединения, а "
                "не числа объединений.",
                "Разбивка по виду объединения сохраняет виды муниципальных профилей (ГМО, ГПО, "
                "ШМП, ПТГ, профессиональное и сетевое сообщество).",
            ),
        ),
    ]
