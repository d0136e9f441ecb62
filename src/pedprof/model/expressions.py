"""The condition syntax of profile files: a small, safe language that reads like the order.

A profile file writes an indicator's population and numerator as text::

    возраст < 35 и стаж < 3
    category in ["teacher", "manager"] and not retired
    «Участвует в формах поддержки и сопровождения» = да
    pk_date в отчётном периоде или retraining_date за 3 периода

The text is parsed with a grammar (:mod:`lark`) into the condition objects of
:mod:`pedprof.model.conditions`, never evaluated as Python nor handed to pandas ``query``;
the result renders itself back in Russian words as any condition does.

**Words.** ``и`` / ``and``, ``или`` / ``or``, ``не`` / ``not``, parentheses; comparisons
``<``, ``<=`` (``≤``), ``>``, ``>=`` (``≥``), ``=`` (``==``), ``!=`` (``≠``); membership
``в [..]`` / ``in [..]``; ``да`` / ``нет`` (``true`` / ``false``); a yes/no column alone means
«да»; ``заполнено`` / ``is filled`` for a filled-in column; a date column ``в отчётном
периоде`` / ``within period``, ``за N периода`` / ``within N periods`` (the reporting period
and the N − 1 before it), ``начиная с 2021-2022`` / ``since 2021-2022``.

**Columns.** A column is named by its Latin name (``age``), by its Russian label in
guillemets or quotes (``«Возраст, полных лет»``), by an alias the source declares, or by one
word of a single label (``возраст``, ``стаж``). Text values may be the code (``"teacher"``)
or the Russian label of a choice (``«педагогический работник»``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

import attrs
import lark

from pedprof.model.conditions import Condition, col
from pedprof.model.periods import Cumulative, PeriodKind, Rolling, Window, parse_period
from pedprof.model.sources import Field, FieldType, Source

__all__ = ["Columns", "ConditionError", "parse_condition"]

GRAMMAR = r"""
?start: disj
?disj: conj (OR conj)*
?conj: neg (AND neg)*
?neg: NOT neg -> negation
    | atom
?atom: "(" disj ")"
     | column OP value          -> compare
     | column IN "[" values "]" -> member
     | column FILLED            -> filled
     | column WITHIN_PERIOD     -> within
     | column LAST INT PERIODS  -> within_last
     | column SINCE PERIOD_LABEL -> since
     | column                   -> truth
values: value ("," value)*
?value: NUMBER -> number
      | STRING -> text
      | TRUE   -> yes
      | FALSE  -> no
      | WORD   -> word
column: WORD | STRING

OR.2: /(или|or)(?![\w])/i
AND.2: /(и|and)(?![\w])/i
NOT.2: /(не|not)(?![\w])/i
IN.2: /(в|in)(?=\s*\[)/i
TRUE.2: /(да|true)(?![\w])/i
FALSE.2: /(нет|false)(?![\w])/i
FILLED.2: /(заполнено|is\s+filled)(?![\w])/i
WITHIN_PERIOD.2: /(в\s+отч[её]тном\s+периоде|within\s+period)(?![\w])/i
LAST.2: /(за|within)(?=\s+\d)/i
PERIODS.2: /(период(а|ов)?|год(а)?|лет|periods?|years?)(?![\w])/i
SINCE.2: /(начиная\s+с|since)(?![\w])/i
PERIOD_LABEL.3: /\d{4}(-\d{4}|-Q[1-4])?(?![\w-])/
OP: "<=" | ">=" | "!=" | "==" | "≤" | "≥" | "≠" | "<" | ">" | "="
NUMBER: /-?\d+([.,]\d+)?(?![\w])/
INT: /\d+/
STRING: /«[^»]*»/ | /"[^"]*"/ | /'[^']*'/
WORD: /[^\W\d][\w.]*/

%import common.WS
%ignore WS
"""

_OPS = {
    "<": "lt",
    "<=": "le",
    "≤": "le",
    ">": "gt",
    ">=": "ge",
    "≥": "ge",
    "=": "eq",
    "==": "eq",
    "!=": "ne",
    "≠": "ne",
}

#: How the grammar's terminals are named to a methodologist in an error message.
_EXPECTED_WORDS = {
    "OR": "«или»",
    "AND": "«и»",
    "NOT": "«не»",
    "IN": "«в [...]»",
    "TRUE": "«да»",
    "FALSE": "«нет»",
    "FILLED": "«заполнено»",
    "WITHIN_PERIOD": "«в отчётном периоде»",
    "LAST": "«за N периода»",
    "PERIODS": "«периода»",
    "SINCE": "«начиная с»",
    "PERIOD_LABEL": "период (2021-2022)",
    "OP": "сравнение (<, ≤, >, ≥, =, ≠)",
    "NUMBER": "число",
    "INT": "целое число",
    "STRING": "текст в кавычках",
    "WORD": "имя столбца или значение",
    "LPAR": "«(»",
    "RPAR": "«)»",
    "LSQB": "«[»",
    "RSQB": "«]»",
    "COMMA": "«,»",
    "$END": "конец условия",
}


@cache
def _parser() -> lark.Lark:
    return lark.Lark(GRAMMAR, parser="lalr", maybe_placeholders=False)


@attrs.frozen
class ConditionError(Exception):
    """A condition that cannot be read, with the place in its text (1-based).

    :param message: what is wrong, in Russian.
    :param line: the line within the condition's text.
    :param column: the column within that line.
    """

    message: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return self.message


@attrs.frozen
class Columns:
    """The columns a condition may name: a source's fields (with their labels and choices),
    the columns the engine adds (``org_kind``), and the source's aliases.

    :param fields: the fields, by name.
    :param aliases: extra words that name a column (``{"стаж": "experience_years"}``).
    :param period_kind: how a period label (``начиная с 2021-2022``) is read.
    """

    fields: Mapping[str, Field]
    aliases: Mapping[str, str] = attrs.field(factory=dict)
    period_kind: PeriodKind = PeriodKind.SCHOOL_YEAR

    @classmethod
    def of(
        cls,
        source: Source,
        *,
        aliases: Mapping[str, str] | None = None,
        extra: Iterable[Field] = (),
        period_kind: PeriodKind = PeriodKind.SCHOOL_YEAR,
    ) -> Columns:
        """The columns of ``source``, plus ``extra`` fields (e.g. ``org_kind``)."""
        fields = {f.name: f for f in (*source.fields, *extra)}
        return cls(fields, dict(aliases or {}), period_kind)

    def resolve(self, text: str) -> str:
        """The column name a word or label stands for.

        :raises ConditionError: unknown or ambiguous.
        """
        if text in self.fields:
            return text
        folded = text.casefold()
        for alias, name in self.aliases.items():
            if alias.casefold() == folded:
                return name
        exact = [f.name for f in self.fields.values() if f.label.casefold() == folded]
        if len(exact) == 1:
            return exact[0]
        words = [
            f.name for f in self.fields.values() if folded in _words(f.label) or folded == f.name
        ]
        if len(words) == 1:
            return words[0]
        if len(words) > 1:
            raise ConditionError(
                f"«{text}» неоднозначно: подходят столбцы {', '.join(sorted(words))}; "
                "укажите имя столбца или полную подпись в «»"
            )
        known = ", ".join(sorted(self.fields))
        raise ConditionError(f"неизвестный столбец «{text}»; известны: {known}")

    def value(self, column: str, raw: str) -> str:
        """A text value: a choice's code, whether written as the code or as its label."""
        field = self.fields.get(column)
        if field is None or not field.choices:
            return raw
        if raw in field.choices:
            return raw
        for code, label in field.choices.items():
            if label.casefold() == raw.casefold():
                return code
        known = ", ".join(f"{c} («{lbl}»)" for c, lbl in field.choices.items())
        raise ConditionError(f"у столбца {column} нет значения «{raw}»; возможны: {known}")


def _words(label: str) -> set[str]:
    return {w.strip(",.:;()«»\"'").casefold() for w in label.split()} - {""}


def _unquote(token: str) -> str:
    return token[1:-1] if token[:1] in "«\"'" else token


def _number(token: str) -> int | float:
    text = token.replace(",", ".")
    return float(text) if "." in text else int(text)


class _Build(lark.Transformer[lark.Token, Condition]):
    def __init__(self, columns: Columns | None) -> None:
        super().__init__()
        self.columns = columns

    def _name(self, tree: lark.Tree[lark.Token]) -> str:
        token = tree.children[0]
        assert isinstance(token, lark.Token)
        text = _unquote(str(token))
        if self.columns is None:
            return text
        try:
            return self.columns.resolve(text)
        except ConditionError as exc:
            raise ConditionError(exc.message, token.line or 1, token.column or 1) from None

    def _field_type(self, name: str) -> FieldType | None:
        if self.columns is None or name not in self.columns.fields:
            return None
        return self.columns.fields[name].type

    def _value(self, name: str, value: Any, token: lark.Token | None = None) -> Any:
        if isinstance(value, _Text) and self.columns is not None:
            try:
                return self.columns.value(name, value.text)
            except ConditionError as exc:
                where = value.token
                raise ConditionError(exc.message, where.line or 1, where.column or 1) from None
        return value.text if isinstance(value, _Text) else value

    # values
    def number(self, items: Sequence[lark.Token]) -> int | float:
        return _number(str(items[0]))

    def text(self, items: Sequence[lark.Token]) -> _Text:
        return _Text(_unquote(str(items[0])), items[0])

    def word(self, items: Sequence[lark.Token]) -> _Text:
        return _Text(str(items[0]), items[0])

    def yes(self, items: Sequence[lark.Token]) -> bool:
        return True

    def no(self, items: Sequence[lark.Token]) -> bool:
        return False

    def values(self, items: Sequence[Any]) -> list[Any]:
        return list(items)

    # conditions
    def compare(self, items: Sequence[Any]) -> Condition:
        column, op, value = items
        name = self._name(column)
        value = self._value(name, value)
        if isinstance(value, bool):
            if op in ("=", "=="):
                return col(name).true() if value else col(name).eq(False)
            if op in ("!=", "≠"):
                return col(name).eq(False) if value else col(name).true()
        return getattr(col(name), _OPS[str(op)])(value)

    def member(self, items: Sequence[Any]) -> Condition:
        column, _, values = items
        name = self._name(column)
        return col(name).isin([self._value(name, v) for v in values])

    def filled(self, items: Sequence[Any]) -> Condition:
        return col(self._name(items[0])).notna()

    def within(self, items: Sequence[Any]) -> Condition:
        return col(self._name(items[0])).within()

    def within_last(self, items: Sequence[Any]) -> Condition:
        column, _, count, _ = items
        return col(self._name(column)).within(Rolling(int(count)))

    def since(self, items: Sequence[Any]) -> Condition:
        column, _, label = items
        kind = self.columns.period_kind if self.columns is not None else PeriodKind.SCHOOL_YEAR
        try:
            period = parse_period(str(label), kind)
        except ValueError as exc:
            raise ConditionError(
                f"период «{label}» не читается: {exc}", label.line or 1, label.column or 1
            ) from None
        window: Window = Cumulative(period)
        return col(self._name(column)).within(window)

    def truth(self, items: Sequence[Any]) -> Condition:
        name = self._name(items[0])
        kind = self._field_type(name)
        if kind is not None and kind is not FieldType.BOOLEAN:
            token = items[0].children[0]
            raise ConditionError(
                f"столбец {name} не «да / нет»: сравните его со значением "
                "(например, «= …», «в [...]»)",
                token.line or 1,
                token.column or 1,
            )
        return col(name).true()

    def negation(self, items: Sequence[Any]) -> Condition:
        return ~items[1]

    def conj(self, items: Sequence[Any]) -> Condition:
        parts = [i for i in items if isinstance(i, Condition)]
        out = parts[0]
        for p in parts[1:]:
            out = out & p
        return out

    def disj(self, items: Sequence[Any]) -> Condition:
        parts = [i for i in items if isinstance(i, Condition)]
        out = parts[0]
        for p in parts[1:]:
            out = out | p
        return out


@attrs.frozen
class _Text:
    text: str
    token: lark.Token


def _expected(names: Iterable[str]) -> str:
    words = sorted({_EXPECTED_WORDS.get(n, n) for n in names})
    return ", ".join(words)


def parse_condition(text: str, columns: Columns | None = None) -> Condition:
    """The condition ``text`` says, as a :class:`~pedprof.model.conditions.Condition`.

    :param text: the condition in the file syntax (see the module docstring).
    :param columns: the columns it may name; None: take every name as written.
    :raises ConditionError: the text does not parse or names an unknown column or value;
        the error carries the line and column within ``text`` and what was expected there.
    """
    try:
        tree = _parser().parse(text)
    except lark.UnexpectedCharacters as exc:
        raise ConditionError(
            f"непонятный знак «{text[exc.pos_in_stream or 0]}»; ожидалось: "
            f"{_expected(exc.allowed or ())}",
            exc.line,
            exc.column,
        ) from None
    except lark.UnexpectedToken as exc:
        at_end = exc.token.type == "$END"
        got = "конец условия" if at_end else f"«{exc.token}»"
        line, column = (exc.line, exc.column)
        if at_end or line < 1:
            line, column = text.count("\n") + 1, len(text.rsplit("\n", 1)[-1]) + 1
        raise ConditionError(
            f"неожиданно {got}; ожидалось: {_expected(exc.expected)}", line, column
        ) from None
    except lark.UnexpectedEOF as exc:
        raise ConditionError(
            f"условие оборвано; ожидалось: {_expected(exc.expected)}",
            text.count("\n") + 1,
            len(text.rsplit("\n", 1)[-1]) + 1,
        ) from None
    try:
        result = _Build(columns).transform(tree)
    except lark.exceptions.VisitError as exc:
        if isinstance(exc.orig_exc, ConditionError):
            raise exc.orig_exc from None
        if isinstance(exc.orig_exc, (ValueError, TypeError)):
            # the condition objects refused a value (a word compared with «<»): their
            # Russian message, at the place of the rule that built it
            meta = getattr(exc.obj, "meta", None)
            line = getattr(meta, "line", 1) if meta is not None and not meta.empty else 1
            column = getattr(meta, "column", 1) if meta is not None and not meta.empty else 1
            raise ConditionError(str(exc.orig_exc), line, column) from None
        raise
    assert isinstance(result, Condition)
    return result
