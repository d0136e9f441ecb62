"""The ``pedprof rate`` command: an explainable rating in the terminal (output in Russian).

The command is built by :func:`make_rate_command`, so the main CLI can pass a resolver
that turns a profile name into the :class:`~pedprof.Profile` whose rating declaration
applies; on its own the command reads rating settings from a file (``.yaml``, ``.yml``,
``.json``, ``.toml``). Either way it calls :func:`pedprof.rate` exactly as the API does —
``rate(results, profile=…, …)`` with only the options given on the command line as
overrides — so the terminal and a program rank the same units alike.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, cast

import click
import pandas as pd
import yaml
from rich.console import Console

from pedprof.cli._report import ALLOW_REJECTED
from pedprof.model.data import Dataset
from pedprof.model.profile import Profile
from pedprof.rating import (
    LEVELS,
    METHODS,
    TIES,
    Level,
    Rating,
    RatingConfig,
    RatingInputError,
    format_rating,
    rate,
)

__all__ = ["COMMANDS", "load_rating_config", "make_rate_command", "rate_command", "read_results"]

#: Turns a profile name into what :func:`pedprof.rate` takes as ``profile``.
ProfileResolver = Callable[[str], Any]

_TEXT_COLUMNS = (
    "indicator",
    "breakdown",
    "level",
    "unit",
    "unit_name",
    "parent",
    "period",
    "state",
)


def read_results(path: Path) -> pd.DataFrame:
    """Read a results file of ``pedprof compute``: ``.xlsx`` (the workbook with Russian
    headers), ``.parquet`` or ``.csv``.

    Identifier columns are read as text (so «007» keeps its zeros), ``period_start`` as
    dates, ``target_met`` as nullable booleans. The workbook's unit names stay in
    ``unit_name``; the profile that computed the results, when the file records it (the
    workbook and parquet do, CSV does not), is in ``attrs["profile"]``.

    :param path: the file.
    :returns: the results frame.
    :raises click.BadParameter: the file is not ``.xlsx``, ``.parquet`` or ``.csv``.
    :raises ValueError: the workbook is not one ``pedprof compute`` wrote.
    """
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return pd.read_parquet(path)
    if suffix == ".xlsx":
        from pedprof.reports.export import read_results_workbook

        return read_results_workbook(path)
    if suffix != ".csv":
        raise click.BadParameter(
            f"ожидается файл .xlsx, .parquet или .csv, получен «{path.name}»",
            param_hint="РЕЗУЛЬТАТЫ",
        )
    header = pd.read_csv(path, nrows=0).columns
    dtypes: dict[str, Any] = {c: "str" for c in _TEXT_COLUMNS if c in header}
    for col in ("target_met", "target_due"):
        if col in header:
            dtypes[col] = "boolean"
    dates = ["period_start"] if "period_start" in header else []
    return pd.read_csv(path, dtype=dtypes, parse_dates=dates, keep_default_na=False, na_values=[""])


def load_rating_config(path: Path) -> RatingConfig:
    """Read rating settings from ``.yaml``/``.yml``, ``.json`` or ``.toml``.

    A file whose top level has a ``rating`` key (a profile's settings file) is read from
    that section.

    :param path: the file.
    :returns: the validated settings.
    :raises click.BadParameter: the file cannot be read or is invalid (message in Russian).
    """
    suffix = path.suffix.lower()
    try:
        text = path.read_text(encoding="utf-8")
        if suffix in (".yaml", ".yml"):
            data = yaml.safe_load(text)
        elif suffix == ".json":
            data = json.loads(text)
        elif suffix == ".toml":
            data = tomllib.loads(text)
        else:
            raise click.BadParameter(
                f"настройки рейтинга ожидаются в .yaml, .json или .toml, получен «{path.name}»",
                param_hint="--profile",
            )
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise click.BadParameter(
            f"не удалось прочитать «{path}»: {exc}", param_hint="--profile"
        ) from exc
    data = data or {}
    if isinstance(data, dict) and isinstance(data.get("rating"), dict):
        data = data["rating"]
    try:
        return RatingConfig.model_validate(data)
    except ValueError as exc:
        raise click.BadParameter(
            f"ошибка в настройках рейтинга «{path}»: {exc}", param_hint="--profile"
        ) from exc


def _resolve(profile: str, resolver: ProfileResolver | None) -> Any:
    """A settings file's :class:`RatingConfig`, or what ``resolver`` makes of a name."""
    path = Path(profile)
    if path.is_file():
        return load_rating_config(path)
    if resolver is not None:
        return resolver(profile)
    raise click.BadParameter(
        f"профиль «{profile}» не найден: укажите файл настроек рейтинга (.yaml, .json, .toml)",
        param_hint="--profile",
    )


_OUTPUT_SUFFIXES = (".csv", ".parquet", ".xlsx")
_EXCEL_MAX_ROWS = 1_048_575  # a sheet's rows, less the header


def _check_output(path: Path | None) -> None:
    if path is not None and path.suffix.lower() not in _OUTPUT_SUFFIXES:
        raise click.BadParameter(
            f"рейтинг сохраняется в .csv, .parquet или .xlsx, не «{path.name}»",
            param_hint="--output",
        )


def _write(rating: Rating, path: Path, names: Mapping[str, str] | None = None) -> list[str]:
    """Save the ranking (with the sensitivity columns and, when known, ``unit_name``);
    ``.xlsx`` also gets the decomposition sheets that fit.

    :returns: Russian notes about what was left out.
    """
    suffix = path.suffix.lower()
    ranking = rating.ranking
    if names:
        codes = ranking["unit"].astype(str)
        ranking = ranking.assign(unit_name=codes.map(lambda u: names.get(u, u)).to_numpy())
    if rating.sensitivity is not None:
        extra = rating.sensitivity.drop(columns=["unit", "parent", "rank"])
        ranking = pd.concat([ranking, extra], axis=1)
    notes: list[str] = []
    if suffix == ".csv":
        ranking.to_csv(path, index=False)
    elif suffix == ".parquet":
        ranking.to_parquet(path, index=False)
    else:
        with pd.ExcelWriter(path) as xl:
            ranking.to_excel(xl, sheet_name="Рейтинг", index=False)
            for title, frame in (
                ("По показателям", rating.decomposition),
                ("По критериям", rating.criteria),
            ):
                if len(frame) > _EXCEL_MAX_ROWS:
                    notes.append(
                        f"лист «{title}» не сохранён: {len(frame):,} строк не помещаются "
                        "на лист Excel".replace(",", " ")
                    )
                else:
                    frame.to_excel(xl, sheet_name=title, index=False)
            rating.indicators.to_excel(xl, sheet_name="Показатели", index=False)
    return notes


def make_rate_command(resolve_profile: ProfileResolver | None = None) -> click.Command:
    """Build the ``rate`` command.

    :param resolve_profile: turns a profile name into what :func:`pedprof.rate` takes as
        ``profile`` (a :class:`~pedprof.Profile`); a path to an existing settings file is
        always read directly.
    :returns: the click command.
    """

    @click.command(
        "rate",
        help=(
            "Рейтинг единиц одного уровня внутри вышестоящей: образовательных организаций "
            "внутри муниципалитета, муниципалитетов внутри региона. РЕЗУЛЬТАТЫ — файл "
            "pedprof compute (.xlsx, .parquet или .csv); без него рейтинг строится по "
            "демонстрационным данным профиля (--profile). Правила рейтинга — из профиля "
            "(--profile или профиль, записанный в файле результатов); параметры командной "
            "строки их уточняют. Выводит первые и последние места (с наименованиями "
            "организаций), выбранную единицу с соседями и разложением балла, не "
            "ранжированные единицы с причиной и устойчивость мест."
        ),
        short_help="Рейтинг организаций или муниципалитетов.",
    )
    @click.argument(
        "results_path",
        metavar="[РЕЗУЛЬТАТЫ]",
        required=False,
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
    )
    @click.option(
        "--profile",
        "-p",
        help="Профиль: файл настроек рейтинга (.yaml, .json, .toml) или имя профиля; "
        "задаёт веса, критерии, направления показателей и шкалу баллов.",
    )
    @click.option(
        "--level",
        type=click.Choice(LEVELS),
        default="organization",
        show_default=True,
        help="Уровень: organization — организации, municipality — муниципалитеты, "
        "region — регионы.",
    )
    @click.option(
        "--method",
        type=click.Choice(METHODS),
        default=None,
        help="Метод: points — баллы по состоянию, distance_to_target — расстояние до "
        "целевого значения, minmax — мин–макс нормировка. По умолчанию — из профиля "
        "или points.",
    )
    @click.option(
        "--period", default=None, help="Период, например 2023-2024 (по умолчанию последний)."
    )
    @click.option(
        "--top",
        type=click.IntRange(min=0),
        default=10,
        show_default=True,
        help="Сколько первых и последних мест показать в каждой группе.",
    )
    @click.option(
        "--unit",
        default=None,
        help="Единица (код или наименование): показать её место, соседей и разложение балла.",
    )
    @click.option(
        "--parent", default=None, help="Показать рейтинг внутри этой вышестоящей единицы."
    )
    @click.option(
        "--neighbours",
        type=click.IntRange(min=0),
        default=2,
        show_default=True,
        help="Сколько соседей выше и ниже выбранной единицы показать.",
    )
    @click.option(
        "--min-coverage",
        type=click.FloatRange(0, 1),
        default=None,
        help="Наименьшая доля применимых показателей со значением (по умолчанию 0.5 или из профиля).",
    )
    @click.option(
        "--ties",
        type=click.Choice(TIES),
        default=None,
        help="Равные баллы: min — 1, 2, 2, 4 (по умолчанию); dense — 1, 2, 2, 3; max — 1, 3, 3, 4.",
    )
    @click.option(
        "--no-sensitivity",
        is_flag=True,
        help="Не проверять устойчивость мест (быстрее на больших данных).",
    )
    @click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Сохранить рейтинг в файл .csv, .parquet или .xlsx (xlsx — с разложением балла).",
    )
    @click.option(
        "--register",
        "register",
        multiple=True,
        type=click.Path(exists=True, path_type=Path),
        help="Реестр организаций (форма реестра) или папка с представленными сведениями: "
        "из него берутся наименования организаций и муниципалитетов; читается и проверяется "
        "как в pedprof check. Можно указать несколько раз.",
    )
    @ALLOW_REJECTED
    def rate_cmd(
        results_path: Path | None,
        profile: str | None,
        level: str,
        method: str | None,
        period: str | None,
        top: int,
        unit: str | None,
        parent: str | None,
        neighbours: int,
        min_coverage: float | None,
        ties: str | None,
        no_sensitivity: bool,
        output: Path | None,
        register: tuple[Path, ...],
        allow_rejected: bool,
    ) -> None:
        _check_output(output)
        console = Console(soft_wrap=False)
        declaration = _resolve(profile, resolve_profile) if profile else None
        if results_path is None:
            results, names = _sample_results(profile)
        else:
            try:
                results = read_results(results_path)
            except (OSError, ValueError) as exc:
                raise click.ClickException(
                    f"не удалось прочитать результаты «{results_path}»: {exc}"
                ) from exc
            names = _names_in(results)
        if register:
            names.update(_register_names(declaration, results, register, console, allow_rejected))
        try:
            # exactly what pedprof.rate(results, profile=...) does; the options given on the
            # command line override the declaration, the others are left to it
            rating = rate(
                results,
                profile=declaration,
                level=cast(Level, level),
                period=period,
                method=cast(Any, method),
                min_coverage=min_coverage,
                ties=cast(Any, ties),
                sensitivity=not no_sensitivity,
            )
            shown = format_rating(
                rating,
                top=top,
                unit=_code(rating, unit, names),
                parent=_code(rating, parent, names, column="parent"),
                neighbours=neighbours,
                unit_names=names,
            )
        except RatingInputError as exc:
            raise click.ClickException(str(exc)) from exc
        except KeyError as exc:
            what = "единица" if unit is not None else "вышестоящая единица"
            raise click.ClickException(f"{what} «{exc.args[0]}» не найдена в рейтинге") from exc
        console.print(shown)
        if rating.profile is None and declaration is None:
            console.print(
                "Профиль не указан и не записан в файле результатов: правила рейтинга — по "
                "умолчанию (все показатели, равные веса). Чтобы применить правила профиля, "
                "укажите --profile ИМЯ."
            )
        if output is not None:
            for note in _write(rating, output, names):
                click.echo(f"Внимание: {note}", err=True)
            click.echo(f"Рейтинг сохранён: {output}")

    return rate_cmd


def _code(
    rating: Rating, text: str | None, names: Mapping[str, str], *, column: str = "unit"
) -> str | None:
    """A unit (or parent) given by code or by name → its code (unchanged when unknown)."""
    if text is None:
        return None
    codes = set(rating.ranking[column].dropna().astype(str))
    if text in codes:
        return text
    by_name = [c for c in codes if names.get(c) == text]
    return by_name[0] if len(by_name) == 1 else text


def _names_in(results: pd.DataFrame) -> dict[str, str]:
    """Unit id → name from a ``unit_name`` column (the workbook of ``pedprof compute``)."""
    if "unit_name" not in results.columns:
        return {}
    pairs = results[["unit", "unit_name"]].dropna().drop_duplicates("unit")
    return {str(u): str(n) for u, n in pairs.itertuples(index=False) if str(n).strip() and n != u}


def _dataset_names(data: Dataset) -> dict[str, str]:
    """Unit id → name from a dataset's register of organisations, municipalities, regions."""
    names: dict[str, str] = {}
    for frame, key in (
        (data.regions, "region_id"),
        (data.municipalities, "municipality_id"),
        (data.organizations, "org_id"),
    ):
        if "name" in frame.columns and key in frame.columns:
            names.update(zip(frame[key].astype(str), frame["name"].astype(str), strict=True))
    return names


def _register_names(
    declaration: Any,
    results: pd.DataFrame,
    paths: tuple[Path, ...],
    console: Console,
    allow_rejected: bool,
) -> dict[str, str]:
    """The names in the register read from ``paths`` the way ``pedprof check`` reads it."""
    import pedprof
    from pedprof.cli._report import read_data
    from pedprof.engine import PROFILE_ATTR

    prof = declaration if isinstance(declaration, Profile) else None
    if prof is None:
        recorded = results.attrs.get(PROFILE_ATTR)
        try:
            prof = pedprof.get_profile(recorded) if isinstance(recorded, str) else None
        except LookupError:
            prof = None
    if prof is None:
        raise click.UsageError(
            "чтобы прочитать реестр (--register), укажите профиль (--profile ИМЯ): формы "
            "какого профиля читать"
        )
    dataset, _ = read_data(prof, paths, console, allow_rejected=allow_rejected)
    return _dataset_names(dataset)


def _profile_object(name: str) -> Profile:
    import pedprof

    try:
        return pedprof.get_profile(name)
    except LookupError as exc:
        raise click.BadParameter(str(exc.args[0]), param_hint="--profile") from None


def _sample_results(profile: str | None) -> tuple[pd.DataFrame, dict[str, str]]:
    """The profile's sample computed, and the names of its units."""
    import pedprof

    if not profile or Path(profile).is_file():
        raise click.UsageError(
            "укажите файл РЕЗУЛЬТАТЫ или имя профиля (--profile), чтобы построить рейтинг "
            "по его демонстрационным данным"
        )
    from pedprof.app import Monitoring

    try:
        year = Monitoring(profile)
        year.data = pedprof.load_sample(year.profile)
    except (KeyError, LookupError) as exc:
        raise click.ClickException(str(exc.args[0])) from None
    # the same results and the same call of pedprof.rate as Monitoring.rate
    return year.results(), _dataset_names(year.data)


#: The command: ``--profile`` takes a settings file or an installed profile's name.
rate_command = make_rate_command(_profile_object)

#: What ``pedprof.cli`` registers on the main group.
COMMANDS = (rate_command,)
