"""The cell validators remember parsed cells; remembering must never change a result.

Checks the remembered validator against the field's plain parser (an independent path:
no memory at all) over random sequences of cells in which equal-but-different cells
(``True``, ``1``, ``1.0``, ``"1"``; ``0.0`` and ``-0.0``; NaN) follow each other in any
order, and a few hand-worked cells.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pedprof.io.validate import _MEMO_SIZE, _field_validator
from pedprof.model.periods import PeriodKind
from pedprof.model.sources import Field, FieldType
from pedprof.model.values import CellProblem, parser_for

KIND = PeriodKind.SCHOOL_YEAR

FIELDS = [
    Field("flag", "Флаг", FieldType.BOOLEAN, required=False),
    Field("n", "Число", FieldType.INTEGER, required=True, minimum=0, maximum=100),
    Field("x", "Доля", FieldType.NUMBER, required=False, minimum=-5, maximum=5),
    Field("role", "Роль", FieldType.CHOICE, choices={"a": "первый", "b": "второй"}),
    Field("period", "Год", FieldType.PERIOD),
    Field("day", "Дата", FieldType.DATE, required=False),
]

CELLS = [
    None,
    "",
    " ",
    True,
    False,
    0,
    1,
    -1,
    1.0,
    1.5,
    0.0,
    -0.0,
    float("nan"),
    "1",
    "1,0",
    "да",
    "нет",
    "Да",
    "a",
    "первый",
    "второй",
    "c",
    "2023-2024",
    "2023/2024",
    "12.03.2024",
    dt.datetime(2024, 3, 12),
    dt.date(2024, 3, 12),
    101,
    100,
]


def _outcome(fn, value):  # type: ignore[no-untyped-def]
    try:
        out = fn(value)
    except (CellProblem, ValueError, TypeError) as exc:
        return ("problem", type(exc).__name__)
    return (
        "ok",
        type(out).__name__,
        "nan" if isinstance(out, float) and math.isnan(out) else repr(out),
    )


def _plain(field: Field):  # type: ignore[no-untyped-def]
    parse = parser_for(field, KIND)

    def plain(value: object) -> object:
        out = parse(value)
        if out is None and field.required:
            raise CellProblem("", "не заполнено обязательное поле")
        return out

    return plain


@settings(max_examples=150, deadline=None)
@given(
    field=st.sampled_from(FIELDS),
    cells=st.lists(st.sampled_from(CELLS), min_size=1, max_size=40),
)
def test_remembering_never_changes_a_cells_result(field: Field, cells: list[object]) -> None:
    remembered = _field_validator(field, KIND)
    plain = _plain(field)
    for value in cells:
        assert _outcome(remembered, value) == _outcome(plain, value), (field.name, value)


def test_hand_worked_cells() -> None:
    flag = _field_validator(FIELDS[0], KIND)
    assert flag("да") is True
    assert flag("нет") is False
    assert flag("да") is True  # remembered
    n = _field_validator(FIELDS[1], KIND)
    assert n(7) == 7 and n(7) == 7
    with pytest.raises(CellProblem):
        n(None)  # required
    with pytest.raises(CellProblem):
        n(None)  # still, a problem is never remembered as a value
    with pytest.raises(CellProblem):
        n(101)  # above the maximum


def test_personal_and_free_text_fields_are_not_remembered() -> None:
    person = Field("person_id", "Код", FieldType.IDENTIFIER, personal=True)
    validate = _field_validator(person, KIND)
    assert validate.__closure__ is not None
    # The plain validator keeps no dictionary of cells (no personal data held).
    assert not any(isinstance(c.cell_contents, dict) for c in validate.__closure__)


def test_memory_is_bounded() -> None:
    n = _field_validator(Field("n", "Число", FieldType.INTEGER, required=False), KIND)
    for i in range(_MEMO_SIZE + 100):
        assert n(i) == i
    memo = next(c.cell_contents for c in n.__closure__ or () if isinstance(c.cell_contents, dict))
    assert len(memo) == _MEMO_SIZE
    assert n(_MEMO_SIZE + 50) == _MEMO_SIZE + 50
