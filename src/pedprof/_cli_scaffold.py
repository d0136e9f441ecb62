"""The ``pedprof new-profile`` command: scaffold a municipality's profile (output in Russian)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from pedprof.scaffold import ScaffoldError, create_profile

__all__ = ["COMMANDS", "new_profile_command"]


@click.command(
    "new-profile",
    help=(
        "Создать заготовку профиля муниципалитета NAME: дистрибутив с точкой входа pedprof, "
        "модуль профиля, таблицу данных, два примера показателей с целевым значением, "
        "демонстрационные данные, тесты и страницу документации. Заготовка устанавливается и "
        "проходит свои тесты сразу после создания."
    ),
)
@click.argument("name")
@click.option(
    "-o",
    "--output",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Каталог, в котором создать каталог профиля NAME.",
)
@click.option(
    "--territory",
    default=None,
    help="Муниципалитет по-русски, например «Троицкий городской округ».",
)
@click.option(
    "--region", default=None, help="Субъект РФ по-русски, например «Челябинская область»."
)
@click.option("--title", default=None, help="Название системы, которую описывает профиль.")
@click.option("--force", is_flag=True, help="Перезаписать файлы в существующем каталоге.")
def new_profile_command(
    name: str,
    directory: Path,
    territory: str | None,
    region: str | None,
    title: str | None,
    force: bool,
) -> None:
    """Create the profile and say what to do next."""
    try:
        path = create_profile(
            name, directory, territory=territory, region=region, title=title, force=force
        )
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    console = Console(highlight=False, soft_wrap=True)
    console.print(f"Профиль «{name}» создан: {path}")
    console.print("Дальше:")
    console.print(
        f"  1. Установите его:            pip install -e {path}   (или uv pip install -e)"
    )
    console.print(f"  2. Запустите его тесты:       python -m pytest {path}")
    console.print(f"  3. Посмотрите расчёт:         pedprof demo --profile {name}")
    console.print(
        "  4. Замените примеры показателей (src/pedprof_"
        f"{name}/indicators.py) формулировками своего приказа, а демонстрационные данные — "
        "своими; пересчитайте эталонные значения в тестах."
    )


COMMANDS = [new_profile_command]
