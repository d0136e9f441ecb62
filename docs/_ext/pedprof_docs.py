"""Build-time pages and tables generated from the code: the per-profile indicator
catalogues, the architecture (from the import contract), the sample rating and the sheets
of the forms. Nothing is written into the source tree."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


# --------------------------------------------------------------------------- the build writes
# nothing into the source tree: every generated page or table is produced in memory, either
# by replacing the text of a stub page as it is read (``source-read``) or by a directive that
# returns nodes. ``tests/test_docs_meta.py`` checks that a build leaves ``docs/`` unchanged.

CATALOGUE_DIR = "profiles/catalogue"


def catalogue_markdown(profile: Any) -> str:
    """The indicator catalogue of one profile, as a MyST page."""
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
    return "\n".join(lines)


def _formula(profile: Any, ind: Any) -> str:
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


def fill_catalogue(app: Sphinx, docname: str, source: list[str]) -> None:
    """Replace the stub ``profiles/catalogue/<id>.md`` by the profile's catalogue."""
    prefix = CATALOGUE_DIR + "/"
    if not docname.startswith(prefix):
        return
    import pedprof

    source[0] = catalogue_markdown(pedprof.get_profile(docname[len(prefix) :]))


def always_reread(
    app: Sphinx, env: Any, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Generated pages depend on code, not on their source file: read them on every build."""
    return sorted(
        d
        for d in env.found_docs
        if d.startswith(CATALOGUE_DIR + "/")
        or d in {"guides/rating", "guides/collection", "architecture"}
    )


def rating_example_markdown() -> str:
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
    return "\n".join(lines) + "\n"


def form_sheets(profile_id: str = "karabash") -> dict[str, list[str]]:
    """The visible sheets of each kind of form ``write_form`` produces, in order."""
    import tempfile

    import openpyxl

    import pedprof

    profile = pedprof.get_profile(profile_id)
    out: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("organization", "municipality", "register"):
            path = pedprof.write_form(profile, Path(tmp) / f"{kind}.xlsx", kind=kind)
            wb = openpyxl.load_workbook(path, read_only=True)
            out[kind] = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
            wb.close()
    return out


FORM_KIND_NAMES = {
    "organization": "Форма организации (`pedprof template`)",
    "municipality": "Форма методической службы (`--municipality`)",
    "register": "Реестр организаций (`--register`)",
}


def form_sheets_markdown(profile_id: str = "karabash") -> str:
    lines = ["| Форма | Листы |", "|---|---|"]
    for kind, sheets in form_sheets(profile_id).items():
        lines.append(f"| {FORM_KIND_NAMES[kind]} | " + ", ".join(f"«{s}»" for s in sheets) + " |")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- architecture


def import_layers(pyproject: Path) -> list[tuple[list[str], bool, bool]]:
    """The ``layers`` contract of ``[tool.importlinter]``: per layer, top first, its
    packages, whether they are independent of each other (``|``) and whether the layer is
    optional (in parentheses)."""
    import tomllib

    config = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c["layers"] for c in contracts if c.get("type") == "layers")
    out = []
    for layer in layers:
        text = layer.strip()
        optional = text.startswith("(") and text.endswith(")")
        text = text.strip("()")
        independent = "|" in text
        names = [n.strip() for n in text.replace(":", "|").split("|") if n.strip()]
        out.append((names, independent, optional))
    return out


def _exists(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def architecture_svg(layers: list[tuple[list[str], bool, bool]]) -> str:
    """An inline SVG: one row per layer, a box per package, arrows downwards."""
    from html import escape

    box_w, box_h, gap_x, gap_y, pad = 210, 34, 16, 26, 10
    widest = max(len(names) for names, _, _ in layers)
    width = widest * box_w + (widest - 1) * gap_x + 2 * pad
    height = len(layers) * box_h + (len(layers) - 1) * gap_y + 2 * pad
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="pedprof-architecture" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="Слои пакета pedprof: каждый слой зависит только от нижележащих">',
        '<defs><marker id="pp-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#666"/></marker></defs>',
    ]
    for i, (names, _independent, optional) in enumerate(layers):
        y = pad + i * (box_h + gap_y)
        row_w = len(names) * box_w + (len(names) - 1) * gap_x
        x0 = (width - row_w) / 2
        for j, name in enumerate(names):
            x = x0 + j * (box_w + gap_x)
            exists = _exists(name)
            dash = ' stroke-dasharray="5,3"' if (optional or not exists) else ""
            fill = "#eef4fb" if exists else "#f7f7f7"
            parts.append(
                f'<rect x="{x}" y="{y}" width="{box_w}" height="{box_h}" rx="5" '
                f'fill="{fill}" stroke="#36c"{dash}/>'
            )
            label = name + ("" if exists else " (план)")
            parts.append(
                f'<text x="{x + box_w / 2}" y="{y + box_h / 2 + 5}" text-anchor="middle" '
                f'font-family="monospace" font-size="13" fill="#123">{escape(label)}</text>'
            )
        if i + 1 < len(layers):
            cx = width / 2
            parts.append(
                f'<line x1="{cx}" y1="{y + box_h + 2}" x2="{cx}" y2="{y + box_h + gap_y - 3}" '
                'stroke="#666" stroke-width="1.5" marker-end="url(#pp-arrow)"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


class ArchitectureDirective(SphinxDirective):
    """The stages of ``pedprof`` from the import contract in ``pyproject.toml``.

    The content is one ``package: Russian one-line description`` per line; every package of
    the contract must be described and every description must name a package of the
    contract, otherwise the build warns (and ``-W`` fails it).
    """

    has_content = True

    def run(self) -> list[nodes.Node]:
        pyproject = Path(self.env.srcdir).parent / "pyproject.toml"
        self.env.note_dependency(str(pyproject))
        layers = import_layers(pyproject)
        described: dict[str, str] = {}
        for line in self.content:
            if line.strip():
                name, _, text = line.partition(":")
                described[name.strip()] = text.strip()
        in_contract = [n for names, _, _ in layers for n in names]
        result: list[nodes.Node] = []
        for name in in_contract:
            if name not in described:
                result.append(
                    self._warning(f"package {name} of the import contract is not described")
                )
        for name in described:
            if name not in in_contract:
                result.append(
                    self._warning(f"described package {name} is not in the import contract")
                )
        result.append(nodes.raw("", architecture_svg(layers), format="html"))
        rows = ["| Слой | Пакет | Назначение |", "|---:|---|---|"]
        for i, (names, _independent, _optional) in enumerate(layers, start=1):
            for name in names:
                note = "" if _exists(name) else " *(планируется)*"
                rows.append(f"| {i} | `{name}` | {described.get(name, '—')}{note} |")
        container = nodes.container()
        self.state.nested_parse(StringList(rows), self.content_offset, container)
        result.extend(container.children)
        return result

    def _warning(self, message: str) -> nodes.Node:
        logger.warning(message, location=self.get_location())
        return nodes.comment()


# --------------------------------------------------------------------------- the service's API


def service_endpoints_markdown() -> str:
    """The endpoints of ``pedprof serve`` from its OpenAPI document, as a MyST table."""
    from pedprof.service.main import openapi_document

    lines = ["| Метод | Адрес | Назначение |", "|---|---|---|"]
    for path, operations in openapi_document()["paths"].items():
        for method, op in operations.items():
            summary = _md_escape(str(op.get("summary", "")))
            lines.append(f"| `{method.upper()}` | `{path}` | {summary} |")
    return "\n".join(lines)


def write_openapi(app: Sphinx, exception: Exception | None) -> None:
    """Write the service's ``openapi.json`` into the HTML output (not the source tree)."""
    if exception is not None or app.builder.format != "html":
        return
    import json

    from pedprof.service.main import openapi_document

    text = json.dumps(openapi_document(), ensure_ascii=False, indent=2)
    (Path(app.outdir) / "openapi.json").write_text(text, encoding="utf-8")


class MarkdownDirective(SphinxDirective):
    """Insert generated MyST text: ``{pedprof-generated} rating-karabash`` or ``form-sheets``."""

    required_arguments = 1

    generators: ClassVar[dict[str, Any]] = {
        "rating-karabash": rating_example_markdown,
        "form-sheets": form_sheets_markdown,
        "service-endpoints": service_endpoints_markdown,
    }

    def run(self) -> list[nodes.Node]:
        generate = self.generators.get(self.arguments[0])
        if generate is None:
            logger.warning(
                f"unknown generated block {self.arguments[0]!r}", location=self.get_location()
            )
            return []
        container = nodes.container()
        self.state.nested_parse(StringList(generate().splitlines()), self.content_offset, container)
        return list(container.children)


# --------------------------------------------------------------------------- run examples


class ExampleDirective(SphinxDirective):
    """Run an example at build time and show it with what it prints.

    The content is Python code, or with ``:cli:`` one ``pedprof …`` command per line. It
    runs in a fresh interpreter in a temporary folder that is deleted afterwards, so the
    build writes nothing into the source tree; paths under that folder are shown relative
    to it. A failure is a build warning (``-W`` fails the build). ``:output-title:`` is the
    line between the code and its output (default «Вывод:»).
    """

    has_content = True
    option_spec = {  # noqa: RUF012 - docutils reads it from the class
        "cli": lambda arg: True,
        "output-title": lambda arg: arg or "",
    }

    def run(self) -> list[nodes.Node]:
        import os
        import shlex
        import subprocess
        import sys
        import tempfile

        lines = list(self.content)
        cli = "cli" in self.options
        env = {**os.environ, "COLUMNS": "100", "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
        shown: list[str] = []
        with tempfile.TemporaryDirectory(prefix="pedprof-example-") as tmp:
            runs = (
                [
                    (f"$ {line}", [sys.executable, "-m", "pedprof.cli", *shlex.split(line)[1:]])
                    for line in lines
                    if line.strip()
                ]
                if cli
                else [("", [sys.executable, "-c", "\n".join(lines)])]
            )
            for prompt, argv in runs:
                done = subprocess.run(
                    argv,
                    cwd=tmp,
                    env=env,
                    capture_output=True,
                    text=True,
                    encoding="utf-8",
                    timeout=900,
                    check=False,
                )
                if done.returncode != 0:
                    logger.warning(
                        f"example failed ({prompt or 'python'}): {done.stderr[-2000:]}",
                        location=self.get_location(),
                    )
                out = done.stdout.replace(os.path.realpath(tmp) + os.sep, "").replace(
                    tmp + os.sep, ""
                )
                if prompt:
                    shown.append(prompt)
                shown.extend(line.rstrip() for line in out.rstrip("\n").splitlines())
        code = "\n".join(lines)
        result: list[nodes.Node] = []
        if not cli:
            result.append(nodes.literal_block(code, code, language="python"))
            title = self.options.get("output-title") or "Вывод:"
            result.append(nodes.paragraph(text=title))
        text = "\n".join(shown)
        result.append(nodes.literal_block(text, text, language="console" if cli else "text"))
        return result


def reread_examples(
    app: Sphinx, env: Any, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Pages with examples show what the code prints today: read them on every build."""
    return sorted(d for d in env.found_docs if d.startswith("getting-started"))


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("source-read", fill_catalogue)
    app.connect("env-get-outdated", always_reread)
    app.add_directive("pedprof-architecture", ArchitectureDirective)
    app.add_directive("pedprof-generated", MarkdownDirective)
    app.add_directive("pedprof-example", ExampleDirective)
    app.connect("env-get-outdated", reread_examples)
    app.connect("build-finished", write_openapi)
    return {"parallel_read_safe": True}
