"""The profile scaffold behind ``pedprof new-profile``.

:func:`create_profile` renders the templates of ``scaffold/template`` into a new directory: a
profile distribution (``pyproject.toml`` with its entry point in the group ``pedprof``), the
profile module with its ``@hookimpl`` functions, a source table, two example indicators with a
target, a synthetic sample, tests with reference values worked out by hand, and a docs page.
The result installs and passes its own tests as generated; a municipality then replaces the
example words and formulas with those of its order.

Template files end in ``.jinja``; ``__module__`` and ``__id__`` in their paths become the
import name and the profile id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import jinja2

__all__ = ["ScaffoldError", "TemplateContext", "create_profile", "template_files"]

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_SUFFIX = ".jinja"


class ScaffoldError(ValueError):
    """The profile cannot be created (bad name, existing files); the message is in Russian."""


@dataclass(frozen=True)
class TemplateContext:
    """What the templates are rendered with.

    :param id: the profile id (``troitsk``).
    :param territory: the municipality in Russian.
    :param region: the region in Russian.
    :param title: the Russian title of the system the profile implements.
    :param workspace: whether the profile is created inside the pedprof uv workspace (its
        ``pyproject.toml`` then takes ``pedprof`` from the workspace).
    """

    id: str
    territory: str
    region: str
    title: str
    workspace: bool = False

    @property
    def module(self) -> str:
        """The import name: ``pedprof_<id>``."""
        return f"pedprof_{self.id}"

    @property
    def distribution(self) -> str:
        """The distribution name: ``pedprof-<id>`` with hyphens."""
        return "pedprof-" + self.id.replace("_", "-")

    def variables(self) -> dict[str, object]:
        """The template variables."""
        return {
            "id": self.id,
            "module": self.module,
            "distribution": self.distribution,
            "territory": self.territory,
            "region": self.region,
            "title": self.title,
            "workspace": self.workspace,
        }


def _template_root() -> Traversable:
    return resources.files(__name__).joinpath("template")


def template_files() -> list[str]:
    """The template paths, relative to the template root, sorted."""
    out: list[str] = []

    def walk(node: Traversable, prefix: str) -> None:
        for child in node.iterdir():
            path = f"{prefix}{child.name}"
            if child.is_dir():
                if child.name != "__pycache__":
                    walk(child, path + "/")
            elif child.name.endswith(_SUFFIX):
                out.append(path)

    walk(_template_root(), "")
    return sorted(out)


def _target_path(template: str, ctx: TemplateContext) -> str:
    path = template[: -len(_SUFFIX)]
    return path.replace("__module__", ctx.module).replace("__id__", ctx.id)


def _in_pedprof_workspace(directory: Path) -> bool:
    """Whether ``directory`` lies inside the pedprof repository's uv workspace."""
    for parent in [directory, *directory.parents]:
        pyproject = parent / "pyproject.toml"
        if pyproject.is_file():
            text = pyproject.read_text("utf-8", errors="replace")
            if "[tool.uv.workspace]" in text and re.search(r'^name = "pedprof"$', text, re.M):
                return True
    return False


def create_profile(
    name: str,
    directory: Path,
    *,
    territory: str | None = None,
    region: str | None = None,
    title: str | None = None,
    force: bool = False,
) -> Path:
    """Create a new profile distribution in ``directory / name``.

    :param name: the profile id: lower-case latin letters, digits and ``_``, starting with a
        letter.
    :param directory: where to create the profile's directory.
    :param territory: the municipality in Russian (a placeholder by default).
    :param region: the region in Russian (a placeholder by default).
    :param title: the system the profile implements.
    :param force: overwrite existing files.
    :returns: the profile's directory.
    :raises ScaffoldError: the name is not a valid id, or the directory holds files and
        ``force`` is not set.
    """
    if not _NAME.match(name):
        raise ScaffoldError(
            f"Имя профиля «{name}» должно состоять из строчных латинских букв, цифр и «_» и "
            "начинаться с буквы, например troitsk"
        )
    for label, value in (("territory", territory), ("region", region), ("title", title)):
        if value is not None and (not value.strip() or re.search(r'["\\\n]', value)):
            raise ScaffoldError(
                f'Параметр {label}: «{value}» — нужен непустой текст без кавычек " , '
                "обратной косой черты и переводов строки"
            )
    target = Path(directory) / name
    if target.exists() and any(target.iterdir()) and not force:
        raise ScaffoldError(
            f"Каталог {target} уже существует и не пуст; выберите другой каталог или укажите "
            "--force, чтобы перезаписать файлы"
        )
    ctx = TemplateContext(
        id=name,
        territory=territory or f"Муниципалитет «{name}»",
        region=region or "Субъект Российской Федерации",
        title=title or "Система обеспечения профессионального развития педагогических работников",
        workspace=_in_pedprof_workspace(Path(directory).resolve()),
    )
    env = jinja2.Environment(
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    root = _template_root()
    for template in template_files():
        source = root.joinpath(template).read_text("utf-8")
        text = env.from_string(source).render(ctx.variables())
        out = target / _target_path(template, ctx)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    return target
