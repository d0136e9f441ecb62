"""The profile scaffold behind ``pedprof new-profile``.

:func:`create_profile` renders the templates of ``scaffold/template`` into a new directory: a
profile distribution (``pyproject.toml`` with its entry point in the group
``pedprof.profiles``), the declaration file ``profile.yaml`` (a source table, two example
indicators with a target: no Python), a synthetic sample, tests with reference values worked
out by hand, and a docs page.
The result installs and passes its own tests as generated; a municipality then replaces the
example words and formulas with those of its order.

Template files end in ``.jinja``; ``__module__`` and ``__id__`` in their paths become the
import name and the profile id.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from fnmatch import fnmatchcase
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2

__all__ = [
    "INSTALL_STEPS",
    "ScaffoldError",
    "TemplateContext",
    "create_profile",
    "find_pedprof_clone",
    "install_steps",
    "is_workspace_member",
    "template_files",
]

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


def _pedprof_pyproject(directory: Path) -> dict[str, Any] | None:
    """The parsed ``pyproject.toml`` of ``directory`` if it is the pedprof project's."""
    pyproject = directory / "pyproject.toml"
    if not pyproject.is_file():
        return None
    try:
        data = tomllib.loads(pyproject.read_text("utf-8", errors="replace"))
    except tomllib.TOMLDecodeError:
        return None
    project = data.get("project")
    return data if isinstance(project, dict) and project.get("name") == "pedprof" else None


def _matches(relative: PurePosixPath, pattern: str) -> bool:
    """A workspace glob («profiles/*»): ``*`` stays within one path segment."""
    parts = PurePosixPath(pattern).parts
    return len(parts) == len(relative.parts) and all(
        fnmatchcase(part, glob) for part, glob in zip(relative.parts, parts, strict=True)
    )


def _in_pedprof_workspace(target: Path) -> bool:
    """Whether the profile directory ``target`` is a member of the pedprof repository's uv
    workspace (it matches ``[tool.uv.workspace] members`` and not ``exclude``).

    A directory elsewhere in the repository (its root, say) is not a member: there the core
    cannot come from the workspace, and the profile installs like any other distribution.
    """
    for parent in target.parents:
        data = _pedprof_pyproject(parent)
        if data is None:
            continue
        workspace = data.get("tool", {}).get("uv", {}).get("workspace")
        if not isinstance(workspace, dict):
            return False
        relative = PurePosixPath(target.relative_to(parent).as_posix())
        members = workspace.get("members", [])
        excluded = workspace.get("exclude", [])
        return any(_matches(relative, m) for m in members) and not any(
            _matches(relative, e) for e in excluded
        )
    return False


INSTALL_STEPS: dict[str, tuple[str, ...]] = {
    "pip": (
        "pip install -e {path}",
        "python -m pytest {path}",
        "pedprof profiles",
        "pedprof demo --profile {id}",
    ),
    "clone": (
        "python3 run.py uv pip install -e {path}",
        "python3 run.py pytest {path}",
        "python3 run.py pedprof profiles",
        "python3 run.py pedprof demo --profile {id}",
    ),
    "workspace": (
        "python3 run.py uv lock",
        "python3 run.py pytest {path}",
        "python3 run.py pedprof profiles",
        "python3 run.py pedprof demo --profile {id}",
    ),
}
"""After ``pedprof new-profile``: install the profile, run its tests, see it listed, run its
demo.

* ``pip`` — an environment with pip where pedprof is installed;
* ``clone`` — a clone of the pedprof repository, whose environment ``.venv/`` (made by
  ``run.py`` with uv) has no pip; the profile lies outside the uv workspace (not in
  ``profiles/``); commands run from the clone's root, ``{path}`` relative to it;
* ``workspace`` — a profile made a member of the workspace (``profiles/<id>``): once it is
  added to the group ``profiles`` and to ``[tool.uv.sources]`` of the root
  ``pyproject.toml``, ``uv lock`` records it and every ``python3 run.py …`` installs it (until
  then they stop: ``uv.lock`` lacks the new member).

The guide «Как написать профиль своего муниципалитета» shows these very commands (a test
checks it)."""


def install_steps(path: str, profile_id: str, *, where: str) -> list[str]:
    """The commands of :data:`INSTALL_STEPS` (``where``: ``pip``, ``clone`` or
    ``workspace``) for a profile in ``path``."""
    return [step.format(path=path, id=profile_id) for step in INSTALL_STEPS[where]]


def is_workspace_member(path: Path) -> bool:
    """Whether the profile directory ``path`` is a member of the pedprof uv workspace."""
    return _in_pedprof_workspace(Path(path).resolve())


def find_pedprof_clone(start: Path) -> Path | None:
    """The root of the pedprof repository clone that ``start`` lies in (the directory with
    ``run.py`` and pedprof's ``pyproject.toml``), or None."""
    start = start.resolve()
    for parent in [start, *start.parents]:
        if (parent / "run.py").is_file() and _pedprof_pyproject(parent) is not None:
            return parent
    return None


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
        workspace=_in_pedprof_workspace(target.resolve()),
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
