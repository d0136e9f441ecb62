"""The ``pedprof new-profile`` command: scaffold a municipality's profile (output in Russian)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from pedprof.scaffold import (
    ScaffoldError,
    create_profile,
    find_pedprof_clone,
    install_steps,
    is_workspace_member,
)

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
    clone = find_pedprof_clone(Path.cwd())
    if clone is not None:
        # `python3 run.py …` runs in the clone's root: paths are given from there
        absolute = path.resolve()
        where = absolute.relative_to(clone) if absolute.is_relative_to(clone) else absolute
        if is_workspace_member(path):
            distribution = "pedprof-" + name.replace("_", "-")
            steps = install_steps(str(where), name, where="workspace")
            console.print(
                f"Профиль — член рабочего пространства uv репозитория pedprof ({clone}). "
                f"Дальше: добавьте {distribution} в группу profiles корневого pyproject.toml и "
                f"в [tool.uv.sources] ({distribution} = {{ workspace = true }}) — до этого "
                "команды python3 run.py … останавливаются, — затем из корня репозитория:"
            )
        else:
            steps = install_steps(str(where), name, where="clone")
            console.print(
                f"Дальше (в клоне репозитория pedprof, из его корня {clone}): установите "
                "профиль в окружение проекта, запустите его тесты, найдите его в списке и "
                "посмотрите расчёт:"
            )
    else:
        steps = install_steps(str(path), name, where="pip")
        console.print(
            "Дальше (в окружении с pip, где установлен pedprof; без pip — uv pip install -e): "
            "установите профиль, запустите его тесты, найдите его в списке и посмотрите расчёт:"
        )
    for step in steps:
        console.print(f"  {step}")
    console.print(
        "Затем замените примеры показателей (src/pedprof_"
        f"{name}/indicators.py) формулировками своего приказа, а демонстрационные данные — "
        "своими; пересчитайте эталонные значения в тестах."
    )


COMMANDS = [new_profile_command]
