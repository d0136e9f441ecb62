"""Short reprs of the public objects, and a light ``import pedprof``.

Every object of the Karabash sample prints in at most two lines and 300 characters and
names what it is (``repr`` of a profile used to print about 100 KB). ``import pedprof``
loads none of the heavy libraries (structural, not timed: ``benchmarks/startup.py`` times
it).
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from typing import Any

import pandas as pd
import pytest

import pedprof
from pedprof.cycle.measures import load_measures
from pedprof.evaluate.analysis import analyze
from pedprof.io import read_submissions
from pedprof.rating import rate

KARABASH = pedprof.get_profile("karabash")
DATA = pedprof.load_sample(KARABASH)
RESULTS = pedprof.compute(KARABASH, DATA)
ANALYSIS = analyze(KARABASH, DATA, RESULTS)
MEASURES = resources.files("pedprof_karabash").joinpath("data/sample/measures.csv")

HEAVY = (
    "matplotlib",
    "docx",
    "openpyxl",
    "python_calamine",
    "icalendar",
    "rich",
    "click",
    "fastapi",
    "sqlalchemy",
    "jinja2",
)


def _check_result() -> pedprof.CheckResult:
    # the sample's own tables, submitted as frames: one short table with one bad row
    staff = DATA.tables["staff"].head(5).copy()
    staff["age"] = staff["age"].astype(object)
    staff.loc[staff.index[0], "age"] = "много"
    return read_submissions(KARABASH, {"staff": staff}, reference=DATA)


def _measures() -> pedprof.MeasureRegister:
    with MEASURES.open("rb") as fh:
        frame = pd.read_csv(fh, dtype=str, keep_default_na=False)
    return load_measures(frame, profile=KARABASH, organizations=DATA.organizations["org_id"])


def _objects() -> list[tuple[str, Any, str]]:
    """(label, object, the word its repr must name)."""
    info = KARABASH.info
    assert info.mechanism is not None
    objs: list[tuple[str, Any, str]] = [
        ("profile", KARABASH, "Profile"),
        ("profile info", info, "ProfileInfo"),
        ("mechanism", info.mechanism, "Mechanism"),
        ("dataset", DATA, "Dataset"),
        ("analysis", ANALYSIS, "Analysis"),
        ("rating", rate(RESULTS, profile=KARABASH), "Rating"),
        ("check result", _check_result(), "CheckResult"),
    ]
    register = _measures()
    objs.append(("measure register", register, "MeasureRegister"))
    objs += [(f"measure {m.id}", m, "Measure") for m in register.measures]
    objs += [(f"roadmap {r.title[:20]}", r, "Roadmap") for r in KARABASH.roadmaps]
    objs += [(f"indicator {i.id}", i, "Indicator") for i in KARABASH.indicators]
    objs += [(f"source {s.name}", s, "Source") for s in KARABASH.sources]
    objs += [(f"field {s.name}.{f.name}", f, "Field") for s in KARABASH.sources for f in s.fields]
    objs += [(f"target {k}", t, type(t).__name__) for k, t in KARABASH.targets.items()]
    return objs


OBJECTS = _objects()


@pytest.mark.parametrize(("label", "obj", "word"), OBJECTS, ids=[o[0] for o in OBJECTS])
def test_repr_is_short_and_names_the_object(label: str, obj: Any, word: str) -> None:
    text = repr(obj)
    assert text.count("\n") <= 1, text
    assert len(text) <= 300, text
    assert text.startswith(f"<{word}"), text


def test_the_sample_covers_every_kind() -> None:
    words = {w for _, _, w in OBJECTS}
    assert {"Roadmap", "Measure", "Indicator", "Source", "Field"} <= words
    assert len({w for w in words if w not in {"Profile", "ProfileInfo"}}) >= 12


def test_reprs_say_what_is_inside() -> None:
    # counts worked out from the sample itself, independently of the repr code
    n_ind, n_src, n_tgt = len(KARABASH.indicators), len(KARABASH.sources), len(KARABASH.targets)
    text = repr(KARABASH)
    assert "karabash" in text
    assert KARABASH.info.territory in text
    assert f"{n_ind} indicators, {n_src} sources, {n_tgt} targets" in text
    data = repr(DATA)
    assert f"{len(DATA.organizations)} organizations" in data
    assert f"staff ({len(DATA.tables['staff'])} rows)" in data
    check = repr(_check_result())
    assert "5 rows submitted, 4 accepted, 1 rejected" in check
    assert repr(ANALYSIS).startswith(f"<Analysis karabash {ANALYSIS.period}")


def test_short_reprs_keep_equality() -> None:
    again = pedprof.get_profile("karabash")
    assert again == KARABASH
    assert hash(again.indicators[0]) == hash(KARABASH.indicators[0])
    target = next(iter(KARABASH.targets.values()))
    assert target == again.targets[next(iter(KARABASH.targets))]


def test_import_pedprof_loads_no_heavy_library() -> None:
    code = (
        "import json, sys, pedprof\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout))
    assert "pedprof" in loaded
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_a_lazy_name_loads_only_what_it_needs() -> None:
    code = (
        "import json, sys, pedprof\n"
        "pedprof.Profile\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout))
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_every_public_name_resolves_and_is_listed() -> None:
    listed = set(dir(pedprof))
    for name in pedprof.__all__:
        assert name in listed, name
        assert getattr(pedprof, name) is not None, name
    with pytest.raises(AttributeError):
        pedprof.no_such_name  # noqa: B018
