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


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("builder-inited", write_catalogues)
    return {"parallel_read_safe": True}
