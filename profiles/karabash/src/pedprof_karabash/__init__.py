"""pedprof profile: Karabash urban district (Карабашский городской округ, Челябинская область).

The profile is the declaration file ``profile.yaml`` next to this module: order No 213 (о/д) of
19.08.2021 of МКУ «Управление образования КГО» — the mechanism «Система обеспечения
профессионального развития педагогических работников», its 24 indicative indicators with
targets to 2024, the planned effects, the annual monitoring (submissions by 5 August,
assessment by 15 August), the roadmap 2021–2024, the tables and the bundled sample.

Python is kept only for what a declaration file cannot express: the targeted-recommendation
rules of п. 4.4 (:mod:`.recommendations`): a file cannot declare recommendation rules yet.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from pedprof import Dataset, hookimpl
from pedprof.model.profile_file import load_profile_file
from pedprof.plugins.files import load_file_sample
from pedprof_karabash import recommendations as _recommendations

PROFILE_ID = "karabash"
#: The profile's declaration file.
PROFILE_FILE = Path(str(resources.files(__name__).joinpath("profile.yaml")))

__all__ = ["PROFILE_FILE", "PROFILE_ID", "load_sample"]


def load_sample() -> Dataset:
    """The synthetic sample (``data/sample``, declared in the file): ten organisations,
    school years 2020-2021 … 2023-2024."""
    data = load_file_sample(load_profile_file(PROFILE_FILE))
    assert data is not None
    return data


@hookimpl
def pedprof_register_profile_files(register: Callable[..., None]) -> None:
    """Register the declaration file: everything the core reads about the profile."""
    register(PROFILE_FILE)


@hookimpl
def pedprof_register_recommendation_rules(register: Callable[[str, Any], None]) -> None:
    """Register the targeted-recommendation rules (п. 4.4 приказа).

    In Python because a declaration file cannot declare recommendation rules yet."""
    for rule in _recommendations.rules():
        register(PROFILE_ID, rule)
