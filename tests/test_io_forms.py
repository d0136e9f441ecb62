"""Forms generated from a profile, JSON Schema of its tables, and the ``template`` and
``schema`` commands — Karabash as the worked example."""

from __future__ import annotations

import json
import re
from pathlib import Path

import attrs
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

import pedprof
from pedprof.cli import main
from pedprof.io import (
    FormKind,
    default_period,
    fingerprint,
    json_schema,
    read_submissions,
    sheet_names,
    write_form,
)
from pedprof.io._tables import profile_sources
from pedprof.io.forms import EXAMPLE_MARK, INSTRUCTIONS_SHEET, LISTS_SHEET, META_SHEET

KARABASH = pedprof.get_profile("karabash")
SHEETS = sheet_names(profile_sources(KARABASH))

# Karabash's staff table, as the order's collection methods give it: the columns a school
# fills (period and organisation code are the form's details), and the optional ones.
STAFF_COLUMNS = [
    "Код работника (обезличенный) *",
    "Категория *",
    "Должность",
    "Возраст, полных лет *",
    "Педагогический стаж, полных лет *",
    "Прошёл оценочную процедуру по выявлению профессиональных дефицитов *",
    "Сформирован ИОМ *",
    "Диагностика экспертов: % выполнения",
    "Включён в реестр экспертов *",
    "Привлекается к проведению мероприятий ЦНППМ *",
    "Участвует в конкурсах профессионального мастерства *",
    "Участвует в формах поддержки и сопровождения *",
    "Охвачен мероприятиями по поддержке молодых педагогов *",
    "Участие в программах наставничества *",
    "Сопровождается педагогом-методистом *",
    "Сопровождается руководителем-наставником *",
    "Дата окончания последнего обучения по ДПО",
    "Образование соответствует профилю преподаваемого предмета",
    "Прошёл независимую оценку квалификации *",
    "Получает методическую помощь в ЦНППМ *",
]
STAFF_OPTIONAL = {"position", "expert_score", "dpo_date", "profile_education"}


@pytest.fixture(scope="module")
def form(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("forms") / "kgo_s1.xlsx"
    result = CliRunner().invoke(
        main,
        [
            "template",
            "--profile",
            "karabash",
            "--organization",
            "kgo_s1",
            "--period",
            "2023-2024",
            "-o",
            str(path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Форма записана" in result.output
    return path


def _instructions(wb: openpyxl.Workbook) -> dict[str, object]:
    ws = wb[INSTRUCTIONS_SHEET]
    return {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0] is not None}


def test_template_sheets(form: Path) -> None:
    wb = openpyxl.load_workbook(form)
    assert wb.sheetnames[0] == INSTRUCTIONS_SHEET
    data_sheets = [
        n for n in wb.sheetnames if n not in (INSTRUCTIONS_SHEET, LISTS_SHEET, META_SHEET)
    ]
    assert data_sheets == [SHEETS["staff"], SHEETS["mentoring_programmes"]]
    assert all(len(name) <= 31 for name in SHEETS.values())
    assert wb[META_SHEET].sheet_state == "veryHidden"
    assert wb[LISTS_SHEET].sheet_state == "hidden"


def test_instructions_say_what_by_when_to_whom(form: Path) -> None:
    info = _instructions(openpyxl.load_workbook(form))
    # The profile's campaign: organisations submit «ежегодно, до 05 августа»; the
    # 2023-2024 school year ends on 31.08.2024, so the deadline is 05.08.2024.
    assert info["Срок представления"] == "до 05.08.2024 (ежегодно, до 05 августа)"
    assert info["Ответственные"] == "руководители образовательных организаций"
    # the recipient declared by the profile's submission deadline (order item 5.6)
    assert str(info["Куда направить"]).startswith("заведующий методическим кабинетом")
    assert info["Учебный год"] == "2023-2024"
    assert info["Код организации"] == "kgo_s1"
    assert info["Профиль"] == "karabash — Карабашский городской округ"
    assert str(info["Версия формы"]).startswith(f"pedprof-karabash {KARABASH.version}")
    assert "№ 213" in str(info["Основание"])
    assert any(
        "Сведения о педагогических и руководящих работниках" in str(v) for v in info.values()
    )


def test_meta_carries_profile_version_period_and_fingerprints(form: Path) -> None:
    wb = openpyxl.load_workbook(form)
    meta = {r[0]: r[1] for r in wb[META_SHEET].iter_rows(values_only=True)}
    assert meta["profile"] == "karabash"
    assert meta["profile_version"] == KARABASH.version
    assert meta["period"] == "2023-2024"
    assert meta["unit_id"] == "kgo_s1"
    assert meta["kind"] == "organization"
    assert meta["table:staff"] == f"Работники|{fingerprint(KARABASH.source('staff'))}"


def test_staff_sheet_header_descriptions_example_and_validation(form: Path) -> None:
    wb = openpyxl.load_workbook(form)
    ws = wb[SHEETS["staff"]]
    assert ws["A1"].value == "Сведения о педагогических и руководящих работниках"
    header = [c.value for c in ws[2]][: len(STAFF_COLUMNS)]
    assert header == STAFF_COLUMNS
    assert ws.freeze_panes == "A4"
    assert "Полных лет на 1 сентября" in ws["D3"].value
    assert "целое число от 16 до 90" in ws["D3"].value
    example = [c.value for c in ws[4]]
    assert example[len(STAFF_COLUMNS)] == EXAMPLE_MARK
    assert example[1] == "педагогический работник"
    rules = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    age = rules["D5"]
    assert (age.type, age.operator, age.formula1, age.formula2) == ("whole", "between", "16", "90")
    category = rules["B5"]
    assert category.type == "list"
    lists = wb[LISTS_SHEET]
    ref = re.search(r"\$([A-Z]+)\$1:\$[A-Z]+\$(\d+)", category.formula1)
    assert ref is not None
    values = [lists[f"{ref[1]}{i}"].value for i in range(1, int(ref[2]) + 1)]
    assert values == ["педагогический работник", "руководящий работник"]
    assert rules["F5"].type == "list"  # да / нет
    assert rules["Q5"].type == "date"
    assert rules["H5"].type == "decimal"


def test_a_blank_form_reads_back_with_nothing_submitted(form: Path) -> None:
    result = read_submissions(KARABASH, [form], reference=pedprof.load_sample(KARABASH))
    assert result.submitted == 0
    assert result.ok
    assert result.errors.empty


def test_municipal_and_register_forms(tmp_path: Path) -> None:
    muni = openpyxl.load_workbook(
        write_form(KARABASH, tmp_path / "m.xlsx", kind="municipality", unit_id="karabash")
    )
    assert [n for n in muni.sheetnames if not n.startswith(("_", INSTRUCTIONS_SHEET))] == [
        SHEETS[t] for t in ("events", "projects", "associations", "support_programmes")
    ]
    assert _instructions(muni)["Код муниципалитета"] == "karabash"
    reg = openpyxl.load_workbook(write_form(KARABASH, tmp_path / "r.xlsx", kind=FormKind.REGISTER))
    assert [n for n in reg.sheetnames if not n.startswith(("_", INSTRUCTIONS_SHEET))] == [
        SHEETS[t] for t in ("organizations", "municipalities", "regions")
    ]


def test_default_period_is_the_next_one_due() -> None:
    import datetime as dt

    # Deadline 5 August: on 1 August 2025 the 2024-2025 data are still being collected;
    # from 6 August on, forms are for the school year that ends next summer.
    assert default_period(KARABASH, dt.date(2025, 8, 1)).label == "2024-2025"
    assert default_period(KARABASH, dt.date(2025, 8, 6)).label == "2025-2026"
    assert default_period(KARABASH, dt.date(2025, 11, 22)).label == "2025-2026"


def test_text_written_into_forms_cannot_become_a_formula(tmp_path: Path) -> None:
    rows = pd.DataFrame(
        {
            "programme_id": ["m1", "m2"],
            "title": ['=HYPERLINK("http://evil","x")', "+1+2"],
            "form": ["programme", "plan"],
        }
    )
    path = write_form(
        KARABASH,
        tmp_path / "f.xlsx",
        unit_id="x",
        period="2023-2024",
        rows={"mentoring_programmes": rows},
    )
    ws = openpyxl.load_workbook(path)[SHEETS["mentoring_programmes"]]
    cells = [ws["B5"], ws["B6"]]
    assert [c.value for c in cells] == ['\'=HYPERLINK("http://evil","x")', "'+1+2"]
    assert all(c.data_type == "s" for c in cells)


def _evolve_staff(profile: pedprof.Profile, **changes: object) -> pedprof.Profile:
    sources = tuple(attrs.evolve(s, **changes) if s.name == "staff" else s for s in profile.sources)
    return attrs.evolve(profile, sources=sources)


def test_a_stale_form_is_recognised(tmp_path: Path) -> None:
    data = pedprof.load_sample(KARABASH)
    staff = data.tables["staff"]
    rows = staff[(staff["org_id"] == "kgo_s1") & (staff["period"] == "2023-2024")].head(3)
    # The form of a previous profile version, whose staff table had other choices.
    old_fields = tuple(
        attrs.evolve(f, choices={**(f.choices or {}), "other": "иное"})
        if f.name == "category"
        else f
        for f in KARABASH.source("staff").fields
    )
    old = attrs.evolve(_evolve_staff(KARABASH, fields=old_fields), version="0.0.9")
    path = write_form(
        old, tmp_path / "old.xlsx", unit_id="kgo_s1", period="2023-2024", rows={"staff": rows}
    )
    result = read_submissions(KARABASH, [path], reference=data)
    assert (result.submitted, result.accepted, result.rejected) == (3, 0, 3)
    stale = result.errors[result.errors["rule"] == "stale_form"]
    assert len(stale) == 1
    assert "Форма устарела" in stale["message"].iloc[0]
    assert "0.0.9" in stale["message"].iloc[0]


def test_an_older_version_with_unchanged_tables_is_accepted_with_a_notice(tmp_path: Path) -> None:
    data = pedprof.load_sample(KARABASH)
    staff = data.tables["staff"]
    rows = staff[(staff["org_id"] == "kgo_s1") & (staff["period"] == "2023-2024")].head(3)
    old = attrs.evolve(KARABASH, version="0.0.9")
    path = write_form(
        old, tmp_path / "old.xlsx", unit_id="kgo_s1", period="2023-2024", rows={"staff": rows}
    )
    result = read_submissions(KARABASH, [path], reference=data)
    assert (result.submitted, result.accepted) == (3, 3)
    assert list(result.errors["rule"]) == ["form_version"]
    assert result.errors["severity"].iloc[0] == "notice"


def test_a_form_of_another_profile_is_refused(tmp_path: Path) -> None:
    data = pedprof.load_sample(KARABASH)
    other = attrs.evolve(KARABASH, info=attrs.evolve(KARABASH.info, id="troitsk"))
    staff = data.tables["staff"].head(2)
    path = write_form(
        other, tmp_path / "t.xlsx", unit_id="kgo_s1", period="2023-2024", rows={"staff": staff}
    )
    result = read_submissions(KARABASH, [path], reference=data)
    assert (result.submitted, result.rejected) == (2, 2)
    assert set(result.errors["rule"]) == {"wrong_profile"}
    assert "troitsk" in result.errors["message"].iloc[0]


# --------------------------------------------------------------------------- JSON Schema


def test_schema_of_the_staff_table() -> None:
    schema = json_schema(KARABASH)
    staff = schema["$defs"]["staff"]
    names = [f.name for f in KARABASH.source("staff").fields]
    assert list(staff["properties"]) == names
    assert staff["required"] == [n for n in names if n not in STAFF_OPTIONAL]
    assert staff["properties"]["category"]["enum"] == ["teacher", "manager"]
    assert staff["properties"]["age"] == {
        "title": "Возраст, полных лет",
        "description": "Полных лет на 1 сентября отчётного учебного года",
        "type": "integer",
        "minimum": 16,
        "maximum": 90,
    }
    assert staff["properties"]["dpo_date"]["type"] == ["string", "null"]
    assert staff["properties"]["dpo_date"]["format"] == "date"
    assert staff["properties"]["period"]["pattern"] == r"^\d{4}-\d{4}$"
    assert staff["properties"]["person_id"]["x-pedprof-personal"] is True
    assert staff["x-pedprof-key"] == ["period", "org_id", "person_id"]
    assert set(schema["properties"]) == {
        "organizations",
        "staff",
        "mentoring_programmes",
        "events",
        "projects",
        "associations",
        "support_programmes",
        "municipalities",
        "regions",
    }


def _conforms(value: object, spec: dict[str, object]) -> bool:
    """A deliberately small JSON Schema check, independent of pedprof."""
    types = spec["type"] if isinstance(spec["type"], list) else [spec["type"]]
    if value is None:
        return "null" in types
    ok = {
        "string": isinstance(value, str),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
    }
    if not any(ok[t] for t in types if t != "null"):
        return False
    if "enum" in spec and value not in spec["enum"]:  # type: ignore[operator]
        return False
    if "minimum" in spec and value < spec["minimum"]:  # type: ignore[operator]
        return False
    if "maximum" in spec and value > spec["maximum"]:  # type: ignore[operator]
        return False
    return not ("pattern" in spec and not re.match(str(spec["pattern"]), str(value)))


def _json_rows(frame: pd.DataFrame) -> list[dict[str, object]]:
    return json.loads(frame.to_json(orient="records", date_format="iso"))  # type: ignore[no-any-return]


def test_the_sample_conforms_to_the_schema() -> None:
    schema = json_schema(KARABASH)
    data = pedprof.load_sample(KARABASH)
    tables = {**data.tables, "organizations": data.organizations}
    for name, frame in tables.items():
        spec = schema["$defs"][name]
        for row in _json_rows(frame):
            for column in spec["required"]:
                assert row.get(column) is not None, (name, column)
            for column, value in row.items():
                prop = spec["properties"][column]
                if prop.get("format") == "date" and value is not None:
                    value = str(value)[:10]
                assert _conforms(value, prop), (name, column, value)


def test_schema_command() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["schema", "--profile", "karabash"])
    assert result.exit_code == 0, result.output
    parsed = json.loads(result.output)
    assert parsed["x-pedprof-profile"] == "karabash"
    one = json.loads(
        runner.invoke(main, ["schema", "--profile", "karabash", "--table", "events"]).output
    )
    assert one["x-pedprof-table"] == "events"
    bad = runner.invoke(main, ["schema", "--profile", "karabash", "--table", "nope"])
    assert bad.exit_code != 0
    assert "нет таблицы «nope»" in bad.output


DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_schema_reference_page_matches_the_profile() -> None:
    text = (DOCS / "reference" / "schemas.md").read_text(encoding="utf-8")
    excerpt = text.split("```json\n", 1)[1].split("\n```", 1)[0]
    assert json.loads(excerpt) == json_schema(KARABASH, "projects")
    for source in KARABASH.sources:
        assert f"### `{source.name}` — {source.title}" in text
        for f in source.fields:
            assert f"| `{f.name}` | {f.label}" in text, (source.name, f.name)


def test_neutralised_text_reads_back_as_written(tmp_path: Path) -> None:
    rows = pd.DataFrame(
        {
            "programme_id": ["m1", "m2"],
            "title": ["-я программа", "=1+2"],
            "form": ["programme", "plan"],
        }
    )
    path = write_form(
        KARABASH,
        tmp_path / "f.xlsx",
        unit_id="kgo_s1",
        period="2023-2024",
        rows={"mentoring_programmes": rows},
    )
    result = read_submissions(KARABASH, [path], reference=pedprof.load_sample(KARABASH))
    assert result.dataset is not None
    titles = result.dataset.tables["mentoring_programmes"]["title"].tolist()
    assert titles == ["-я программа", "=1+2"]
