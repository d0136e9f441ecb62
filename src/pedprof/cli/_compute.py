"""``pedprof profiles``, ``demo`` and ``compute``: what is installed, and the indicators."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd
from rich.console import Console
from rich.table import Table

from pedprof.app import Monitoring
from pedprof.cli._report import ALLOW_REJECTED, check_data, get_profile
from pedprof.formatting import format_number, format_result
from pedprof.model.data import Dataset
from pedprof.model.indicators import IndicatorKind
from pedprof.model.profile import Profile
from pedprof.model.targets import (
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
from pedprof.plugins import list_profiles, load_sample, plugin_problems
from pedprof.reports.export import results_to_excel

__all__ = [
    "COMMANDS",
    "compute_command",
    "demo_command",
    "profiles_command",
    "short_target",
    "target_summary",
]


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False)


PROFILE_COLUMNS = ("Профиль", "Дистрибутив", "Версия", "Показателей", "Источников", "Территория")
"""The columns of ``pedprof profiles``, in the order of :func:`_profile_row`."""


def _profile_row(p: Profile) -> tuple[str, ...]:
    return (
        p.id,
        p.distribution,
        p.version,
        str(len(p.indicators)),
        str(len(p.sources)),
        p.info.territory,
    )


@click.command("profiles", help="Список установленных профилей муниципалитетов.")
def profiles_command() -> None:
    console = _console()
    rows = [_profile_row(p) for p in list_profiles()]
    table = Table(title="Установленные профили")
    for header in PROFILE_COLUMNS:
        table.add_column(header, no_wrap=True)
    for row in rows:
        table.add_row(*row)
    natural = console.measure(table, options=console.options.update_width(10_000)).maximum
    if not console.is_terminal:
        # In a pipe or a file there is no screen to fit: the table keeps its natural width
        # (rich would otherwise cut it at 80 columns).
        console.width = max(console.width, natural)
    if console.width >= natural:
        console.print(table)
    else:  # a narrow terminal: one profile per paragraph
        console.print("[bold]Установленные профили[/]")
        for row in rows:
            pid, distribution, version, indicators, sources, territory = row
            console.print(f"[bold]{pid}[/] — {territory}")
            console.print(
                f"   {distribution} {version}; показателей: {indicators}; источников: {sources}"
            )
    problems = plugin_problems()
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
                values[p] = format_result(
                    r["value"],
                    str(r["state"]),
                    kind=ind.kind,
                    level=str(r["level"]),
                    numerator=r["numerator"],
                    denominator=r["denominator"],
                )
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
                "target": short_target(target, percent=ind.kind is IndicatorKind.SHARE)
                if target
                else "не установлена",
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


def short_target(target: Target, *, percent: bool = False) -> str:
    """A target in a few words for tables: «≥ 35 к 2024», «рост ≥ 10 % к 2020-2021».

    :param percent: the indicator is a share: thresholds are written as percentages
        («≥ 35 % к 2024»), growth in points as «п. п.».
    """
    by_year = getattr(target, "by_year", None)
    when = f" к {by_year}" if by_year else ""
    unit = " %" if percent else ""
    if isinstance(target, AllOf):
        return " и ".join(short_target(p, percent=percent) for p in target.parts)
    if isinstance(target, AtLeast):
        sign = "≥" if target.inclusive else ">"
        return f"{sign} {format_number(target.value)}{unit}{when or ' ежегодно'}"
    if isinstance(target, Exactly):
        return f"= {format_number(target.value)}{unit}{when or ' ежегодно'}"
    if isinstance(target, CumulativeSchedule):
        return f"≥ {format_number(target.step)}{unit} в год, до {format_number(target.cap)}{unit}"
    if isinstance(target, PositiveDynamics):
        base = f" к {target.baseline.label}" if target.baseline is not None else " к пред. году"
        if target.min_relative is not None:
            return f"рост ≥ {format_number(target.min_relative)} %{base}{when}"
        if target.min_points is not None:
            points = "п. п." if percent else "ед."
            return f"рост ≥ {format_number(target.min_points)} {points}{base}{when}"
        return f"рост{base}{when}"
    if isinstance(target, Stable):
        return "без снижения"
    if isinstance(target, PerOrganizationAtLeast):
        return f"≥ {format_number(target.value)} в каждой ОО{when}"
    if isinstance(target, CountComposition):
        return f"≥ {format_number(target.total)}, по каждому виду{when}"
    return target.describe()


def _indicators_genitive(n: int) -> str:
    """«из 1 показателя», «из 21 показателя», «из 26 показателей»."""
    return "показателя" if n % 10 == 1 and n % 100 != 11 else "показателей"


def target_summary(year: Monitoring) -> list[str]:
    """What the demo says about targets, each count saying what it counts.

    * The latest period, counted as in the conclusions of the ИАС
      (:func:`pedprof.evaluate.analysis.analyze`, the profile's level, totals without breakdowns):
      indicators whose target is met, out of those whose target is met or due and not met.
    * Every period: the targets due (one per indicator × period × unit of the profile's
      level), how many of them are met, not met, or cannot be judged for lack of data.
    """
    profile = year.profile
    if not profile.targets:
        return ["Целевые значения профилем не установлены: показаны значения по годам."]
    level = profile.info.level
    where = LEVEL_TITLES.get(level, level)
    lines: list[str] = []
    results = year.results()
    try:
        current = year.analyze().current()
    except ValueError:  # nothing to analyse
        current = None
    if current is not None and len(current):
        period = str(current["period"].iloc[0])
        status = current["target_status"].astype(str)
        judged = int(status.isin(["met", "not_met"]).sum())
        met = int((status == "met").sum())
        if judged:
            lines.append(
                f"Итог {period} ({where}), как в выводах ИАС: целевые значения достигнуты по "
                f"{met} из {judged} {_indicators_genitive(judged)} (учтены показатели с "
                "наступившим сроком цели и с целью, достигнутой досрочно)."
            )
        else:
            lines.append(
                f"Итог {period} ({where}), как в выводах ИАС: сроки целевых значений не наступили."
            )
    top = results[(results["level"] == level) & results["breakdown"].isna()]
    due = top.loc[top["target_due"].astype(bool), "target_met"].astype("boolean")
    if len(due):
        periods = [str(p) for p in top["period"].cat.categories if (top["period"] == p).any()]
        span = f"{periods[0]} — {periods[-1]}" if len(periods) > 1 else periods[0]
        unknown = int(due.isna().sum())
        lines.append(
            f"Все годы {span} ({where}): целевых значений с наступившим сроком — {len(due)} "
            f"(показатель × год), достигнуто — {int(due.eq(True).sum())}, "
            f"не достигнуто — {int(due.eq(False).sum())}"
            + (f", нет данных для оценки — {unknown}." if unknown else ".")
        )
    return lines


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


@click.command("demo", help="Демонстрация: расчёт показателей профиля на демонстрационных данных.")
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
    profile = get_profile(profile_id)
    try:
        year = Monitoring(profile, load_sample(profile))
    except LookupError as exc:
        raise click.ClickException(str(exc.args[0])) from None
    data, results = year.data, year.results()
    console.print(
        f"[bold]{profile.title}[/] — {profile.info.territory}\n"
        "Данные: демонстрационные (СИНТЕТИЧЕСКИЕ, вымышленные). "
        f"Организаций: {len(data.organizations)}, строк данных о работниках: "
        f"{sum(len(t) for t in data.tables.values() if 'person_id' in t.columns)}."
    )
    names = _unit_names(data)
    for table in _demo_tables(profile, results, names, console.width):
        console.print(table)
    for ind in profile.indicators:
        if ind.kind is IndicatorKind.PER_ORGANIZATION_MINIMUM and ind.minimum is not None:
            console.print(
                f"{ind.id}: «N из M ОО» — число организаций, где значение не менее "
                f"{format_number(ind.minimum)}, из числа представивших сведения."
            )
    path = output or Path("out") / f"{profile.id}-demo.xlsx"
    written = results_to_excel(profile, results, path, unit_names_map=names)
    for line in target_summary(year):
        console.print(line)
    console.print(f"Полные результаты записаны в файл: {written.resolve()}")


@click.command("compute", help="Расчёт показателей профиля по представленным данным.")
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
@ALLOW_REJECTED
def compute_command(
    profile_id: str,
    data: tuple[Path, ...],
    output: Path,
    periods: tuple[str, ...],
    allow_rejected: bool,
) -> None:
    """DATA: files and folders of submitted forms, CSV or Parquet (default: the sample)."""
    console = _console()
    suffix = output.suffix.lower()
    if suffix not in (".xlsx", ".parquet", ".csv"):
        raise click.BadParameter("ожидается файл .xlsx, .parquet или .csv", param_hint="-o")
    profile = get_profile(profile_id)
    year = Monitoring(profile)
    if data:
        # the reading, validation and refusal of pedprof check (one path for every command)
        check_data(
            year,
            data,
            console,
            allow_rejected=allow_rejected,
            progress=len(data) > 1,
            with_measures=False,
        )
    else:
        year.data = load_sample(profile)
        console.print("Данные: демонстрационные (СИНТЕТИЧЕСКИЕ).")
    dataset = year.data
    results = year.results(periods=list(periods) or None)
    output.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".xlsx":
        results_to_excel(profile, results, output, unit_names_map=_unit_names(dataset))
    elif suffix == ".parquet":
        results.to_parquet(output, index=False)
    else:
        results.astype({"breakdown": "string"}).to_csv(output, index=False)
    console.print(f"Строк результатов: {len(results)}. Записано: {output.resolve()}")


COMMANDS = [profiles_command, demo_command, compute_command]
