"""Targeted-recommendation rules of the Karabash profile.

Order No 213, item 4.4: the methodical office «осуществлять анализ результатов
мониторинга, с подготовкой адресных рекомендаций участникам образовательного процесса, с
рассмотрением их на совещаниях с руководителями образовательных организаций,
заместителями директоров по учебно-воспитательной работе, заседаниях городского
методического совета и методических объединений педагогических работников». Items 5.3–5.7
say what heads of organisations must do (a plan in each organisation, submissions by
5 August, reaching the indicative indicators); the roadmap sections 2, 4–6 name the
directions (deficits, contests, young teachers and mentoring, associations, further
training) and the cycle (recommendations 4.3, measures 5.1, decisions 5.2, effectiveness
6.1). Each rule below cites the item it rests on; the wording of the recommendations is
the profile author's, built from the words of the order.
"""

from __future__ import annotations

from pedprof.evaluate.recommendations import (
    BelowTarget,
    EffectNotObserved,
    MissingSubmission,
    NegativeDynamics,
    NoData,
    NonCompliant,
    RecommendationRule,
)

__all__ = ["HEADS", "METHODICAL_OFFICE", "rules"]

HEADS = "Руководителям образовательных организаций"
METHODICAL_OFFICE = "Методическому кабинету МКУ «Управление образования КГО»"
AUTHORITY = "МКУ «Управление образования КГО»"
ORDER = "Приказ № 213 (о/д) от 19.08.2021"


def rules() -> list[RecommendationRule]:
    """The rules, in the order the report lists them."""
    return [
        MissingSubmission(
            id="submission",
            addressee=HEADS,
            text=(
                "Обеспечить участие в мониторинге и своевременное представление сведений "
                "в мониторинг (ежегодно, до 05 августа) заведующему методическим кабинетом "
                "МКУ «Управление образования КГО»."
            ),
            basis=f"{ORDER}, пп. 4.3, 5.6",
        ),
        BelowTarget(
            id="deficits",
            addressee=HEADS,
            indicators=("k01", "k01.annual", "k02", "k02.annual", "k03"),
            text=(
                "Организовать участие педагогических и руководящих работников в процедурах "
                "выявления профессиональных дефицитов (ОГБУ ЧЦОПМКП) и построение "
                "индивидуальных образовательных маршрутов по их результатам; включить эти "
                "мероприятия в план мероприятий по обеспечению и сопровождению "
                "профессионального развития в образовательной организации."
            ),
            basis=f"{ORDER}, пп. 5.3, 5.7; дорожная карта, п. 2.2",
        ),
        BelowTarget(
            id="experts",
            addressee=HEADS,
            indicators=("k04", "k05"),
            text=(
                "Содействовать включению педагогических и руководящих работников, успешно "
                "прошедших диагностику (более 60 % выполнения), в реестр экспертов и их "
                "привлечению к проведению методических мероприятий в ЦНППМ."
            ),
            basis=f"{ORDER}, п. 5.7; механизм, Раздел I (формирование методического и "
            "тьюторского актива)",
        ),
        BelowTarget(
            id="contests",
            addressee=HEADS,
            indicators=("k08",),
            text=(
                "Обеспечить участие педагогических работников в конкурсах профессионального "
                "мастерства; предусмотреть методическое сопровождение участников."
            ),
            basis=f"{ORDER}, п. 5.7; дорожная карта, п. 2.3",
        ),
        BelowTarget(
            id="young_teachers",
            addressee=HEADS,
            indicators=("k10", "k12", "k13", "k14", "k15"),
            text=(
                "Включить молодых педагогов (до 35 лет, первые три года работы) в формы "
                "поддержки и мероприятия муниципального уровня; закрепить за ними "
                "наставников и расширить участие работников в программах наставничества."
            ),
            basis=f"{ORDER}, п. 5.7; дорожная карта, п. 2.4",
        ),
        NonCompliant(
            id="mentoring_programmes",
            addressee=HEADS,
            indicators=("k11",),
            text=(
                "Разработать и утвердить в образовательной организации не менее двух "
                "программ (планов) наставничества."
            ),
            basis=f"{ORDER}, приложение 3 (показатель k11); дорожная карта, п. 2.4",
        ),
        BelowTarget(
            id="further_training",
            addressee=HEADS,
            indicators=("k20.three_years", "k21"),
            text=(
                "Спланировать дополнительное профессиональное образование так, чтобы каждый "
                "работник проходил обучение не реже одного раза в три года; направить на "
                "профессиональную переподготовку педагогов, чьё образование не соответствует "
                "профилю преподаваемого предмета."
            ),
            basis=f"{ORDER}, п. 5.7; дорожная карта, пп. 2.7, 2.8",
        ),
        BelowTarget(
            id="qualification_assessment",
            addressee=HEADS,
            indicators=("k22", "k23", "k24"),
            text=(
                "Организовать участие педагогических и руководящих работников в независимой "
                "оценке квалификации (ОГБУ ЧЦОПМКП) и получение методической помощи в ЦНППМ."
            ),
            basis=f"{ORDER}, п. 5.7; дорожная карта, п. 2.8",
        ),
        BelowTarget(
            id="municipal_targets",
            addressee=METHODICAL_OFFICE,
            level="municipality",
            group="rule",
            text=(
                "Целевые значения показателей {indicator} не достигнуты: включить в перечень "
                "мероприятий по работе с педагогическими кадрами на следующий учебный год меры "
                "по их достижению и рассмотреть результаты на совещании с руководителями "
                "образовательных организаций и заседании городского методического совета."
            ),
            basis=f"{ORDER}, п. 4.4; дорожная карта, пп. 4.3, 5.1",
        ),
        NegativeDynamics(
            id="municipal_decline",
            addressee=METHODICAL_OFFICE,
            level="municipality",
            group="rule",
            text=(
                "Проанализировать причины снижения показателей {indicator} и рассмотреть их на "
                "заседаниях городского методического совета и методических объединений "
                "педагогических работников."
            ),
            basis=f"{ORDER}, п. 4.4; дорожная карта, п. 4.2",
        ),
        EffectNotObserved(
            id="effects",
            addressee=AUTHORITY,
            group="rule",
            text=(
                "Планируемые управленческие эффекты {effect} (Раздел IV механизма) не "
                "наблюдаются: подготовить "
                "управленческие решения по результатам анализа мониторинга и откорректировать "
                "дорожную карту."
            ),
            basis=f"{ORDER}, приложение 2, Раздел IV; дорожная карта, п. 5.2",
        ),
        NoData(
            id="no_data",
            addressee=METHODICAL_OFFICE,
            text=(
                "Обеспечить сбор сведений по показателю {indicator} в следующем цикле мониторинга."
            ),
            basis=f"{ORDER}, пп. 4.2, 4.3",
        ),
    ]
