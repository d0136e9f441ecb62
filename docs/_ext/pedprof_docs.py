"""Generate the per-profile indicator catalogues from the installed profiles at build time."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def write_catalogues(app: Sphinx) -> None:
    import pedprof

    out = Path(app.srcdir) / "profiles" / "generated"
    out.mkdir(parents=True, exist_ok=True)
    for profile in pedprof.list_profiles():
        lines = [
            f"# Каталог показателей: {profile.info.territory}",
            "",
            f"Профиль `{profile.id}` (дистрибутив `{profile.distribution}` {profile.version}). "
            "Страница создаётся при сборке документации из деклараций профиля.",
            "",
        ]
        for ind in profile.indicators:
            target = profile.targets.get(ind.id)
            lines += [
                f"## {ind.id}" + (f" — {ind.short_name}" if ind.short_name else ""),
                "",
                f"**{ind.name}**",
                "",
                f"- Критерий: {profile.criterion_name(ind.criterion) or '—'}",
                f"- Вид: {ind.kind_label}",
            ]
            if ind.numerator_text:
                lines.append(f"- Числитель: {ind.numerator_text}")
            if ind.denominator_text:
                lines.append(f"- Знаменатель: {ind.denominator_text}")
            lines.append(f"- Формула (условия): {_formula(profile, ind)}")
            if ind.window.describe() != "за отчётный период":
                lines.append(f"- Период числителя: {ind.window.describe()}")
            lines += [
                f"- Метод сбора информации: {ind.collection_method or '— (не указан в приказе)'}",
                f"- Метод обработки информации: {ind.processing_method or '— (не указан в приказе)'}",
                f"- Источник данных: {ind.source_text or '— (не указан в приказе)'}",
                f"- Целевое значение (текст приказа): {target.text if target else 'не установлено'}",
            ]
            if target is not None:
                lines.append(f"- Правило проверки: {target.describe()}")
            for decision in ind.decisions:
                lines.append(f"- Решение: {decision}")
            lines.append("")
        (out / f"{profile.id}.md").write_text("\n".join(lines), encoding="utf-8")


def _formula(profile, ind) -> str:  # type: ignore[no-untyped-def]
    try:
        source = profile.source(ind.table)
    except KeyError:
        source = None
    population = ind.population.describe(source)
    if ind.numerator is None:
        return f"число различных «{source.column_label(ind.distinct) if source else ind.distinct}» среди записей таблицы «{source.title if source else ind.table}», где {population}"
    return (
        f"доля записей таблицы «{source.title if source else ind.table}», где "
        f"{ind.numerator.describe(source)}, среди записей, где {population}; "
        f"каждое значение «{source.column_label(ind.distinct) if source else ind.distinct}» учитывается один раз"
    )


def write_rating_example(app: Sphinx) -> None:
    """The Karabash sample's rating of organisations, for docs/guides/rating.md."""
    import pedprof
    from pedprof.formatting import format_number
    from pedprof.rating import rating_config_for

    profile = pedprof.get_profile("karabash")
    data = pedprof.load_sample(profile)
    names = dict(zip(data.organizations["org_id"], data.organizations["name"], strict=True))
    results = pedprof.compute(profile, data)
    config = rating_config_for(profile)
    rating = pedprof.rate(results, level="organization", sensitivity=True, **config.rate_kwargs())
    lines = [
        "| Место | Организация | Балл | Показателей со значением | Разброс мест (веса) |",
        "|---:|---|---:|---:|---|",
    ]
    sens = rating.sensitivity.set_index("unit") if rating.sensitivity is not None else None
    for r in rating.ranking.sort_values(["rank", "unit"]).itertuples(index=False):
        spread = "—"
        if sens is not None and r.unit in sens.index:
            row = sens.loc[r.unit]
            spread = f"{int(row['rank_weights_min'])}–{int(row['rank_weights_max'])}"
        lines.append(
            f"| {int(r.rank)} | {names.get(r.unit, r.unit)} | {format_number(r.score)} | "
            f"{int(r.n_indicators_used)} из {int(r.n_indicators)} | {spread} |"
        )
    top = rating.ranking.sort_values("rank").iloc[0]["unit"]
    crit = rating.criteria[rating.criteria["unit"] == top]
    lines += [
        "",
        f"Разложение балла «{names.get(top, top)}» по критериям "
        "(вклад = доля веса × балл критерия):",
        "",
        "| Критерий | Доля веса | Балл критерия | Вклад |",
        "|---|---:|---:|---:|",
    ]
    for c in crit.itertuples(index=False):
        lines.append(
            f"| {profile.criterion_name(c.criterion)} | {format_number(100 * c.weight_share)} % | "
            f"{format_number(c.criterion_score)} | {format_number(c.contribution)} |"
        )
    out = Path(app.srcdir) / "_generated"
    out.mkdir(exist_ok=True)
    (out / "rating-karabash.md.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("builder-inited", write_catalogues)
    app.connect("builder-inited", write_rating_example)
    return {"parallel_read_safe": True}
