"""pedprof profile: Petrovsk municipal district (Петровский муниципальный район, Саратовская область).

The profile is the declaration file ``profile.yaml`` next to this module: the concept approved
by order No 326-ОД of 30.11.2021 (goal, tasks, the six effectiveness indicators and their
readings, the methods of collecting information, the yearly monitoring, the two tables and
the bundled sample). The concept sets no targets, so the file declares none; a municipality
that wants targets registers them from a plugin of its own (``pedprof_register_targets`` for
the profile ``petrovsk``) — see ``examples/petrovsk-targets`` and the profile's docs page.

Python is kept only for what a declaration file cannot express:

* the targeted-recommendation rules (:mod:`.recommendations`): the rule classes live in the
  evaluation stage and a file cannot declare them yet;
* the structure of the system and the glossary (:func:`structure`, :func:`glossary`): text
  for the docs page, not declarations the core reads.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from pedprof import hookimpl

from . import recommendations as _recommendations

PROFILE_ID = "petrovsk"
#: The profile's declaration file.
PROFILE_FILE = Path(str(resources.files(__name__).joinpath("profile.yaml")))

__all__ = ["PROFILE_FILE", "PROFILE_ID", "glossary", "structure", "structure_markdown"]


@cache
def _data(name: str) -> Any:
    text = resources.files(__name__).joinpath(f"data/{name}.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def structure() -> dict[str, Any]:
    """The structure of the system as data: ``levels`` → ``subjects`` → ``functions``,
    the subjects of management and the channels of interaction (verbatim)."""
    return dict(_data("structure"))


def glossary() -> list[dict[str, str]]:
    """The concept's definitions (verbatim)."""
    return list(_data("glossary"))


def structure_markdown() -> str:
    """The structure rendered as MyST Markdown for the profile's docs page."""
    s = structure()
    lines = [f"*{s['composition']}*", ""]
    for level in s["levels"]:
        lines += [f"### {level['level']}", ""]
        if level.get("category"):
            lines += [f"{level['category']}", ""]
        for subject in level["subjects"]:
            lines += [f"**{subject['subject']}**", ""]
            lines += [f"- {f}" for f in subject["functions"]]
            lines.append("")
    lines += ["### Субъекты управления Системы", ""]
    lines += [f"- **{m['subject']}** — {m['role']}" for m in s["management_subjects"]]
    lines += ["", s["general_statement"], ""]
    lines += [f"**{s['interaction_channels_heading']}**", ""]
    lines += [f"- {c}" for c in s["interaction_channels"]]
    return "\n".join(lines) + "\n"


@hookimpl
def pedprof_register_profile_files(register: Callable[..., None]) -> None:
    """Register the declaration file: everything the core reads about the profile."""
    register(PROFILE_FILE)


@hookimpl
def pedprof_register_recommendation_rules(register: Callable[[str, Any], None]) -> None:
    """Register the targeted-recommendation rules (analysis of the yearly monitoring).

    In Python because a declaration file cannot declare recommendation rules yet."""
    for rule in _recommendations.rules():
        register(PROFILE_ID, rule)
