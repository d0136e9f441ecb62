"""Petrovsk district's own targets, added without forking the profile.

The concept of 30.11.2021 sets no targets, so the ``pedprof-petrovsk`` profile registers none.
A municipality that approves targets (by its own order) registers them from a plugin of its
own: a module with one ``pedprof_register_targets`` implementation, installed as a
distribution with an entry point in the group ``pedprof``. Nothing in the profile changes;
the report and the analysis pick the targets up and show a target status.
"""

from __future__ import annotations

from collections.abc import Callable

from pedprof import AtLeast, PositiveDynamics, Target, hookimpl

PROFILE = "petrovsk"
ORDER = "Приказ управления образования от __.__.20__ № ___ «Об установлении целевых значений показателей МСНМС»"


@hookimpl
def pedprof_register_targets(register: Callable[[str, str, Target], None]) -> None:
    """Targets of the municipality's own order for three of the six indicators."""
    register(
        PROFILE,
        "p1.three_years",
        AtLeast(text="Ежегодно – не менее 100 % за три года", value=100, document=ORDER),
    )
    register(
        PROFILE,
        "p2",
        AtLeast(text="К 2024 году – не менее 70 %", value=70, by_year=2024, document=ORDER),
    )
    register(
        PROFILE,
        "p3",
        PositiveDynamics(text="Положительная динамика ежегодно", document=ORDER),
    )
