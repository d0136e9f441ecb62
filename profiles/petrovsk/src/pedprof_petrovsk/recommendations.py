"""Targeted-recommendation rules of the Petrovsk profile.

The concept: «Мониторинг проводится не реже одного раза в год. По результатам мониторингов
проводится анализ, разрабатываются адресные рекомендации.» It sets no targets, so the rules
look at dynamics and at missing data (organisations that submitted nothing are named by
the ``no_data`` rule: the concept fixes no submission deadline), and address the subjects the concept gives the
corresponding functions: heads of organisations (the school methodical associations of the
institutional level), the МКУ «Методико-правовой центр» (coordination, «обеспечивают изучение
запросов и оказание практической помощи педагогическим работникам»). The wording is the
profile author's, built from the words of the concept.
"""

from __future__ import annotations

from pedprof.evaluate.recommendations import NegativeDynamics, NoData, RecommendationRule

__all__ = ["CENTRE", "HEADS", "rules"]

HEADS = "Руководителям образовательных организаций"
CENTRE = "МКУ «Методико-правовой центр»"
#: The six indicators (their readings by level and period would repeat the same advice).
MAIN = ("p1", "p2", "p3", "p4", "p5", "p6")
CONCEPT = "Концепция МСНМС (приказ от 30.11.2021 № 326-ОД), раздел 5"


def rules() -> list[RecommendationRule]:
    """The rules, in the order the report lists them."""
    return [
        NegativeDynamics(
            id="training",
            addressee=HEADS,
            indicators=("p1",),
            text=(
                "Обеспечить повышение квалификации и профессиональную переподготовку "
                "педагогических работников и управленческих кадров, в том числе по программам "
                "федерального реестра дополнительных профессиональных программ педагогического "
                "образования, с учетом выявленных профессиональных дефицитов."
            ),
            basis=CONCEPT + "; задачи МСНМС",
        ),
        NegativeDynamics(
            id="young",
            addressee=HEADS,
            indicators=("p2",),
            text=(
                "Включить педагогов в возрасте до 35 лет в первые 3 года работы в формы поддержки "
                "и сопровождения (наставничество, школьные методические объединения)."
            ),
            basis=CONCEPT + "; функции школьных методических объединений",
        ),
        NegativeDynamics(
            id="contests",
            addressee=HEADS,
            indicators=("p3", "p6"),
            text=(
                "Стимулировать участие педагогических работников в конкурсах профессионального "
                "мастерства и их привлечение в качестве тьюторов, экспертов и членов жюри."
            ),
            basis=CONCEPT + "; принцип персонификации ДПО (конкурсное движение)",
        ),
        NegativeDynamics(
            id="organizations",
            addressee=CENTRE,
            level="municipality",
            indicators=("p4", "p5"),
            text=(
                "Организовать участие образовательных организаций в профессиональных конкурсах и "
                "представление ими актуального опыта деятельности на муниципальных и "
                "региональных мероприятиях; оказать практическую помощь организациям: {units}."
            ),
            basis=CONCEPT + "; функции МКУ «Методико-правовой центр»",
        ),
        NoData(
            id="no_data",
            addressee=CENTRE,
            indicators=MAIN,
            text="Обеспечить сбор данных мониторинга по показателю {indicator} за {period}.",
            basis=CONCEPT,
        ),
    ]
