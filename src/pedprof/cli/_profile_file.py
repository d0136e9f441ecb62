"""``pedprof profile-schema`` and ``pedprof profile-check``: profile declaration files
(output in Russian)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from pedprof.model.profile_file import FileProfile, ProfileFileError, load_profile_file
from pedprof.model.profile_file import profile_schema as _schema

__all__ = ["COMMANDS", "profile_check_command", "profile_schema_command"]


@click.command(
    "profile-schema",
    help=(
        "Напечатать JSON Schema файла профиля: подключите её в редакторе (YAML), чтобы он "
        "подсказывал и проверял поля."
    ),
)
def profile_schema_command() -> None:
    """Print the JSON Schema of profile files."""
    click.echo(json.dumps(_schema(), ensure_ascii=False, indent=2))


def describe_profile(profile: FileProfile) -> list[str]:
    """What a profile file declares, in Russian, one line each."""
    info = profile.info
    lines = [f"Профиль «{info.id}»: {info.title}", f"Территория: {info.territory}"]
    if info.region:
        lines.append(f"Субъект РФ: {info.region}")
    if info.approved_by is not None:
        lines.append(f"Утверждён: {info.approved_by.citation()}")
    lines.append(f"Таблицы данных ({len(profile.sources)}):")
    lines += [f"  {s.name} — {s.title} (столбцов: {len(s.fields)})" for s in profile.sources]
    lines.append(f"Показатели ({len(profile.indicators)}):")
    by_table = {s.name: s for s in profile.sources}
    for ind in profile.indicators:
        source = by_table.get(ind.table)
        lines.append(f"  {ind.id}. {ind.name} [{ind.kind_label}; таблица {ind.table}]")
        lines.append(f"      отбор: {ind.population.describe(source)}")
        if ind.numerator is not None:
            lines.append(f"      числитель: {ind.numerator.describe(source)}")
        if ind.levels is not None:
            words = {"organization": "организации", "municipality": "муниципалитета"}
            where = ", ".join(words.get(lv, "региона") for lv in ind.levels)
            lines.append(f"      только на уровне: {where}")
        if ind.document:
            lines.append(f"      утверждён: {ind.document}")
        target = profile.targets.get(ind.id)
        if target is not None:
            lines.append(f"      целевое значение: {target.describe()}")
    if profile.monitoring_activities:
        lines.append(f"Мониторинговые мероприятия: {len(profile.monitoring_activities)}")
    if profile.planned_effects:
        lines.append(f"Планируемые эффекты: {len(profile.planned_effects)}")
    if profile.roadmaps:
        lines.append(f"Дорожные карты: {len(profile.roadmaps)}")
    if profile.sample_dir is not None:
        lines.append(f"Демонстрационные данные: {profile.sample_dir}")
    return lines


@click.command(
    "profile-check",
    help=(
        "Проверить файл профиля ФАЙЛ и напечатать, что он объявляет. Все ошибки файла "
        "выводятся сразу, каждая с номером строки и столбца."
    ),
)
@click.argument("file", metavar="ФАЙЛ", type=click.Path(dir_okay=False, path_type=Path))
def profile_check_command(file: Path) -> None:
    """Validate a profile file; exit code 1 with every problem when it has any."""
    try:
        profile = load_profile_file(file)
    except ProfileFileError as exc:
        click.echo(f"В файле {file} ошибок: {len(exc.problems)}", err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1) from None
    for line in describe_profile(profile):
        click.echo(line)
    click.echo("Ошибок нет.")


COMMANDS = (profile_schema_command, profile_check_command)
