"""The ``pedprof`` command line. Output is in Russian: methodologists read it."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pandas as pd
from rich.console import Console
from rich.table import Table

from pedprof import _cli_cycle, _cli_io, _cli_rate, _cli_report, _cli_scaffold, api
from pedprof.data import Dataset
from pedprof.export import results_to_excel
from pedprof.formatting import format_number, format_value
from pedprof.profile import Profile
from pedprof.targets import (
    AllOf,
    AtLeast,
    CountComposition,
    CumulativeSchedule,
    Exactly,
    PerOrganizationAtLeast,
    PositiveDynamics,
    Stable,
    Target,
)

__all__ = ["main"]


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False)


@click.group(
    help="pedprof — система обеспечения профессионального развития педагогических работников."
)
@click.version_option(package_name="pedprof")
def main() -> None:
    """The command group."""


@main.command("profiles", help="Список установленных профилей муниципалитетов.")
def profiles_command() -> None:
    console = _console()
    table = Table(title="Установленные профили")
    for header in ("Профиль", "Дистрибутив", "Версия", "Показателей", "Источников"):
        table.add_column(header, no_wrap=True)
    table.add_column("Территория", overflow="fold")
    for p in api.list_profiles():
        table.add_row(
            p.id,
            p.info.territory,
            p.distribution,
            p.version,
            str(len(p.indicators)),
            str(len(p.sources)),
        )
    console.print(table)
    problems = api.plugin_problems()
    if problems:
        console.print("[bold red]Ошибки подключения профилей:[/]")
        for problem in problems:
            console.print(f"  • {problem}")


LEVEL_TITLES = {"municipality": "муниципальный уровень", "region": "региональный уровень"}


def _demo_tables(
    profile: Profile, results: pd.DataFrame, names: dict[str, str], width: int
) -> list[Table | str]:
    """One table per unit at the profile's own level (the municipality, or the region);
    on a narrow terminal a list instead, one indicator per paragraph."""
    level = profile.info.level
    top = results[(results["level"] == level) & results["breakdown"].isna()]
    out: list[Table | str] = []
    for unit, rows in top.groupby("unit", observed=True):
        title = f"{names.get(str(unit), str(unit))}: показатели по годам ({LEVEL_TITLES.get(level, level)})"
        lines = _demo_rows(profile, rows)
        if width >= 120:
            out.append(_demo_table(title, lines))
        else:
            out.append(_demo_list(title, lines))
    return out


def _demo_rows(profile: Profile, top: pd.DataFrame) -> list[dict[str, object]]:
    periods = [str(p) for p in top["period"].cat.categories if (top["period"] == p).any()]
    by_ind = {
        k: g.set_index(g["period"].astype(str)) for k, g in top.groupby("indicator", observed=True)
    }
    lines: list[dict[str, object]] = []
    for ind in profile.indicators:
        rows = by_ind.get(ind.id)
        if rows is None:
            continue
        values = {}
        for p in periods:
            if p in rows.index:
                r = rows.loc[p]
                values[p] = format_value(r["value"], str(r["state"]), percent=ind.is_share)
            else:
                values[p] = "—"
        last = rows.loc[periods[-1]] if periods[-1] in rows.index else None
        target = profile.targets.get(ind.id)
        status = "—"
        if target is not None and last is not None:
            met = last["target_met"]
            if not bool(last["target_due"]):
                status = "срок не наступил"
            elif pd.isna(met):
                status = "нет оценки"
            else:
                status = "да" if bool(met) else "нет"
        name = ind.short_name or ind.name
        lines.append(
            {
                "id": ind.id,
                "name": name if len(name) <= 140 else name[:137] + "…",
                "values": values,
                "target": short_target(target) if target else "не установлена",
                "status": status,
            }
        )
    return lines


def _demo_table(title: str, lines: list[dict[str, object]]) -> Table:
    table = Table(title=title, expand=True)
    table.add_column("Код", no_wrap=True)
    table.add_column("Показатель", ratio=3, overflow="fold")
    periods = list(lines[0]["values"]) if lines else []  # type: ignore[call-overload]
    for p in periods:
        table.add_column(p, justify="right", no_wrap=True)
    table.add_column("Цель", ratio=1, overflow="fold")
    table.add_column("Достигнута", no_wrap=True)
    for line in lines:
        values: dict[str, str] = line["values"]  # type: ignore[assignment]
        table.add_row(
            str(line["id"]),
            str(line["name"]),
            *values.values(),
            str(line["target"]),
            str(line["status"]),
        )
    return table


def _demo_list(title: str, lines: list[dict[str, object]]) -> str:
    out = [f"[bold]{title}[/]", ""]
    for line in lines:
        values: dict[str, str] = line["values"]  # type: ignore[assignment]
        out.append(f"[bold]{line['id']}[/] {line['name']}")
        out.append("   " + "; ".join(f"{p}: {v}" for p, v in values.items()))
        out.append(f"   цель: {line['target']}; достигнута: {line['status']}")
    return "\n".join(out)


def short_target(target: Target) -> str:
    """A target in a few words for tables: «≥ 35 к 2024», «рост ≥ 10 % к 2020-2021»."""
    by_year = getattr(target, "by_year", None)
    when = f" к {by_year}" if by_year else ""
    if isinstance(target, AllOf):
        return " и ".join(short_target(p) for p in target.parts)
    if isinstance(target, AtLeast):
        sign = "≥" if target.inclusive else ">"
        return f"{sign} {format_number(target.value)}{when or ' ежегодно'}"
    if isinstance(target, Exactly):
        return f"= {format_number(target.value)}{when or ' ежегодно'}"
    if isinstance(target, CumulativeSchedule):
        return f"≥ {format_number(target.step)} в год, до {format_number(target.cap)}"
    if isinstance(target, PositiveDynamics):
        base = f" к {target.baseline.label}" if target.baseline is not None else " к пред. году"
        if target.min_relative is not None:
            return f"рост ≥ {format_number(target.min_relative)} %{base}{when}"
        if target.min_points is not None:
            return f"рост ≥ {format_number(target.min_points)} ед.{base}{when}"
        return f"рост{base}{when}"
    if isinstance(target, Stable):
        return "без снижения"
    if isinstance(target, PerOrganizationAtLeast):
        return f"≥ {format_number(target.value)} в каждой ОО{when}"
    if isinstance(target, CountComposition):
        return f"≥ {format_number(target.total)}, по каждому виду{when}"
    return target.describe()


def _unit_names(data: Dataset) -> dict[str, str]:
    names: dict[str, str] = {}
    for frame, key in (
        (data.organizations, "org_id"),
        (data.municipalities, "municipality_id"),
        (data.regions, "region_id"),
    ):
        if "name" in frame.columns:
            names.update(zip(frame[key].astype(str), frame["name"].astype(str), strict=True))
    return names


@main.command("demo", help="Демонстрация: расчёт показателей профиля на демонстрационных данных.")
@click.option("--profile", "profile_id", default="karabash", show_default=True, help="Профиль.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Куда записать полные результаты (.xlsx); по умолчанию out/<профиль>-demo.xlsx.",
)
def demo_command(profile_id: str, output: Path | None) -> None:
    console = _console()
    try:
        profile = api.get_profile(profile_id)
        data = api.load_sample(profile)
    except (KeyError, LookupError) as exc:
        raise click.ClickException(str(exc.args[0])) from None
    results = api.compute(profile, data)
    console.print(
        f"[bold]{profile.title}[/] — {profile.info.territory}\n"
        "Данные: демонстрационные (СИНТЕТИЧЕСКИЕ, вымышленные). "
        f"Организаций: {len(data.organizations)}, строк данных о работниках: "
        f"{sum(len(t) for t in data.tables.values() if 'person_id' in t.columns)}."
    )
    names = _unit_names(data)
    for table in _demo_tables(profile, results, names, console.width):
        console.print(table)
    path = output or Path("out") / f"{profile.id}-demo.xlsx"
    written = results_to_excel(profile, results, path, unit_names_map=names)
    top = results[(results["level"] == profile.info.level) & results["breakdown"].isna()]
    met = top.loc[top["target_due"], "target_met"]
    console.print(
        f"Целей с наступившим сроком: {len(met)}, достигнуто: {int((met == True).sum())}."  # noqa: E712
    )
    console.print(f"Полные результаты записаны в файл: {written.resolve()}")


@main.command("compute", help="Расчёт показателей профиля по представленным данным.")
@click.option("--profile", "profile_id", required=True, help="Профиль.")
@click.argument("data", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Файл результатов: .xlsx (с русскими заголовками), .parquet или .csv "
    "(для pedprof rate и региональных платформ).",
)
@click.option("--period", "periods", multiple=True, help="Только эти периоды (можно повторять).")
def compute_command(
    profile_id: str, data: tuple[Path, ...], output: Path, periods: tuple[str, ...]
) -> None:
    """DATA: files and folders of submitted forms, CSV or Parquet (default: the sample)."""
    from pedprof.io import read_submissions

    console = _console()
    suffix = output.suffix.lower()
    if suffix not in (".xlsx", ".parquet", ".csv"):
        raise click.BadParameter("ожидается файл .xlsx, .parquet или .csv", param_hint="-o")
    try:
        profile = api.get_profile(profile_id)
    except KeyError as exc:
        raise click.ClickException(str(exc.args[0])) from None
    if data:
        checked = read_submissions(profile, list(data), progress=len(data) > 1)
        console.print(checked.summary())
        if not checked.ok:
            console.print(
                "[bold]Внимание:[/] часть строк отклонена и в расчёт не вошла; "
                "подробности — pedprof check."
            )
        if checked.dataset is None:
            raise click.ClickException("Ни одной строки не принято: расчёт невозможен.")
        dataset = checked.dataset
    else:
        dataset = api.load_sample(profile)
        console.print("Данные: демонстрационные (СИНТЕТИЧЕСКИЕ).")
    results = api.compute(profile, dataset, periods=list(periods) or None)
    output.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".xlsx":
        results_to_excel(profile, results, output, unit_names_map=_unit_names(dataset))
    elif suffix == ".parquet":
        results.to_parquet(output, index=False)
    else:
        results.astype({"breakdown": "string"}).to_csv(output, index=False)
    console.print(f"Строк результатов: {len(results)}. Записано: {output.resolve()}")


# Commands that live in their own modules (data collection, rating, reports, the cycle).
for _module in (_cli_io, _cli_rate, _cli_report, _cli_cycle, _cli_scaffold):
    for _command in _module.COMMANDS:
        main.add_command(_command)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
