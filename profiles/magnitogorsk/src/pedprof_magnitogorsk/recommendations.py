"""Targeted-recommendation rules of the Magnitogorsk profile.

The presentation shows the chain for the indicators on network interaction: the ИАС on the
ГПО for 2020-2021 ends with «Адресные рекомендации по планированию и организации
деятельности ГПО в 2021-2022 уч.г.» for the leaders of the ГПО (``data/recommendations.yaml``,
verbatim); the pedagogical council decides on the opening and closing of ГПО; the order on
the resource centres requires their sites to carry the programme and the innovation plan.
Each rule cites what it rests on. The standing recommendation keeps the ИАС's words; the
others are worded by the profile author from the words of the documents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import attrs
import pandas as pd

from pedprof.evaluate.recommendations import EffectNotObserved, RecommendationRule, Standing

if TYPE_CHECKING:
    from pedprof.evaluate.analysis import Analysis

__all__ = ["GPO_LEADERS", "NotPostedOnSite", "rules"]

GPO_LEADERS = "Руководителям ГПО"
RC_HOSTS = "Руководителям организаций, на базе которых созданы ресурсные центры"
CENTRE = "МУ ДПО «ЦПКИМР» г. Магнитогорска"
IAS = (
    "Информационно-аналитическая справка об итогах деятельности городских профессиональных "
    "объединений за 2020-2021 учебный год: «Адресные рекомендации по планированию и "
    "организации деятельности ГПО в 2021-2022 уч.г.»"
)


@attrs.frozen(kw_only=True)
class NotPostedOnSite(RecommendationRule):
    """An organisation's site lacks a required document: its value of a site-check
    indicator (a share of the associations or centres it hosts) is below 100 %.

    Judged at the organisation level on the reporting period, whether or not a target is
    set (the seed sets none: the norm is that every ГПО and РЦ posts its documents).
    """

    kind: ClassVar[str] = "not_posted_on_site"

    def matches(self, analysis: Analysis) -> pd.DataFrame:
        """Organisation rows of the rule's indicators with a value below 100 %."""
        ind = analysis.indicators
        sel = (
            (ind["period"].astype(str) == analysis.period)
            & (ind["level"].astype(str) == "organization")
            & (ind["state"].astype(str) == "value")
            & ind["breakdown"].isna()
            & ind["indicator"].astype(str).isin(self.indicators)
        )
        rows = ind[sel.to_numpy()]
        return rows[(rows["value"] < 100.0).to_numpy()]


def rules() -> list[RecommendationRule]:
    """The rules, in the order the report lists them."""
    return [
        Standing(
            id="gpo_deficits",
            addressee=GPO_LEADERS,
            text=(
                "Выявить и проанализировать профессиональные дефициты педагогов-участников ГПО, "
                "включить в план работы ГПО мероприятия по их устранению."
            ),
            basis=IAS,
        ),
        NotPostedOnSite(
            id="gpo_continuity",
            addressee=GPO_LEADERS,
            indicators=("m05", "m04"),
            group="rule",
            text=(
                "Обеспечить преемственность отчетов ГПО и планов ГПО: представить на сайте "
                "организации, на базе которой создано ГПО, отчет за {period} учебный год и план "
                "на следующий учебный год (форма «План-отчет деятельности ГПО»). Организации: "
                "{units}."
            ),
            basis=IAS + "; приказ УО об организации работы ГПО, приложение 4",
        ),
        NotPostedOnSite(
            id="rc_sites",
            addressee=RC_HOSTS,
            indicators=("m03",),
            text=(
                "Разместить на странице ресурсного центра на сайте организации программу "
                "деятельности Ресурсного центра на 2020-2023 годы и план работы по организации "
                "инновационной деятельности на учебный год. Организации: {units}."
            ),
            basis="Приказ УО об организации работы городских ресурсных центров, п. 5.2",
        ),
        EffectNotObserved(
            id="gpo_count",
            addressee=CENTRE,
            effects=("e1",),
            text=(
                "Количество ГПО (в т.ч. ШМП и ПТГ) снизилось ({effect}): проанализировать "
                "причины и подготовить руководителям образовательных учреждений, на базе "
                "которых функционируют ГПО, предложения об их организации (открытие и закрытие "
                "ГПО, определение руководителей) на следующий учебный год."
            ),
            basis=(
                "Протокол заседания педагогического совета МУ ДПО «ЦПКИМР», решение 3; "
                "Положение о МСОКО, Раздел IV"
            ),
        ),
    ]
