"""Charts for the .docx (PNG) and .html (inline SVG) reports, drawn with matplotlib.

No pyplot and no global backend: each chart is a :class:`matplotlib.figure.Figure` saved
twice. Labels are Russian, numbers use the decimal comma. matplotlib is imported by the
functions that draw, so importing :mod:`pedprof.reports` does not load it; each chart is
drawn once per content (the cache is keyed by the chart's value).
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from typing import TYPE_CHECKING, Any, cast

from pedprof.formatting import format_number, format_value
from pedprof.reports._content import Chart

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["CHART_WIDTH_CM", "render_png", "render_svg"]

#: The width charts are drawn at; the writers scale them to the page.
CHART_WIDTH_CM = 24.0

_RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "none",
    "svg.hashsalt": "pedprof",
    "figure.dpi": 100,
}
_BAR = "#9db7d5"
_BAR_CURRENT = "#2f5d8a"
_TARGET = "#c0392b"
_SERIES = ("#a93226", "#e59866", "#f5cba7")
_SCHOOL_YEAR = re.compile(r"^(\d{4})-\d{2}(\d{2})$")


def _short(label: str) -> str:
    """«2020-2021» → «2020-21» so that four periods fit under a small panel."""
    m = _SCHOOL_YEAR.match(label)
    return f"{m[1]}-{m[2]}" if m else label


def _label(value: float, percent: bool) -> str:
    if math.isnan(value):
        return ""
    return format_value(value, "value", percent=percent)


def _period_colors(n: int) -> list[str]:
    """Light to dark blue, the reporting period darkest."""
    ramp = ["#d6e2f0", "#b3c9e2", "#8aacd1", "#5f8bbd", "#2f5d8a"]
    return ramp[-n:] if n <= len(ramp) else [ramp[0]] * (n - len(ramp)) + ramp


def _periods(chart: Chart, width_in: float) -> Figure:
    """Grouped horizontal bars: one row per indicator, one bar per period, a target mark.

    Shares and counts get separate axes (their scales differ).
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    groups = [(pct, [p for p in chart.panels if p[3] == pct]) for pct in (True, False)]
    groups = [(pct, panels) for pct, panels in groups if panels]
    n_per = len(chart.categories)
    row_h = 0.11 * n_per + 0.12
    heights = [len(panels) * row_h + 0.5 for _, panels in groups]
    total = sum(heights) + 0.6
    fig = Figure(figsize=(width_in, total))
    axes = fig.subplots(len(groups), 1, squeeze=False, gridspec_kw={"height_ratios": heights})[:, 0]
    wrapped = {p[0]: textwrap.fill(p[0], 34) for p in chart.panels}
    longest = max((len(x) for v in wrapped.values() for x in v.split("\n")), default=4)
    fig.subplots_adjust(
        left=min(0.36, (0.15 + 0.062 * longest) / width_in),
        right=0.97,
        top=1 - 0.38 / total,
        bottom=0.5 / total,
        hspace=0.35 * len(groups),
    )
    colors = _period_colors(n_per)
    bar_h = 0.8 / max(n_per, 1)
    handles = []
    for ax, (pct, panels) in zip(axes, groups, strict=True):
        rows = range(len(panels))
        matrix = [[0.0 if math.isnan(v) else v for v in p[1]] for p in panels]
        targets = [p[2] for p in panels]
        top = max([1.0, *(max(m) for m in matrix), *(t for t in targets if not math.isnan(t))])
        for j in range(n_per):
            ys = [i - 0.4 + bar_h * (j + 0.5) for i in rows]
            h = ax.barh(ys, [m[j] for m in matrix], height=bar_h * 0.92, color=colors[j])
            if ax is axes[0]:
                handles.append((h, _short(chart.categories[j])))
        for i, (_title, values, _target, _p) in enumerate(panels):
            last = values[-1] if values else math.nan
            if _title in chart.hidden:
                text = "* (значение не приводится)"
            else:
                text = "нет данных" if math.isnan(last) else _label(last, pct)
            ax.text(
                (0 if math.isnan(last) else last) + top * 0.005,
                i - 0.4 + bar_h * (n_per - 0.5),
                text,
                va="center",
                fontsize=7,
                fontweight="bold",
            )
        marks = [(i, t) for i, t in enumerate(targets) if not math.isnan(t)]
        if marks:
            ax.vlines(
                [t for _, t in marks],
                [i - 0.45 for i, _ in marks],
                [i + 0.45 for i, _ in marks],
                color=_TARGET,
                linewidth=2,
            )
        ax.set_xlim(0, top * 1.18)
        ax.set_ylim(len(panels) - 0.5, -0.5)
        ax.set_yticks(list(rows), [wrapped[p[0]] for p in panels], fontsize=7.5)
        ax.xaxis.set_major_locator(MaxNLocator(6, integer=not pct))
        ax.xaxis.set_major_formatter(
            FuncFormatter(lambda x, _pos, p=pct: format_number(x) + (" %" if p else ""))
        )
        ax.tick_params(axis="x", labelsize=7)
        ax.set_xlabel("доля, %" if pct else "количество", fontsize=7)
        ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
        ax.set_axisbelow(True)
    legend = [h for h, _ in handles[:n_per]]
    labels = [lab for _, lab in handles[:n_per]]
    target_line = axes[0].plot([], [], color=_TARGET, linewidth=2)[0]
    fig.legend(
        [*legend, target_line],
        [*labels, "цель"],
        loc="upper center",
        ncol=n_per + 1,
        frameon=False,
        fontsize=7,
        bbox_to_anchor=(0.5, 1.0),
    )
    return fig


def _hbar(chart: Chart, width_in: float) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    n = len(chart.categories)
    height = 0.3 * n + 0.9
    fig = Figure(figsize=(width_in, height))
    ax = fig.add_subplot()
    longest = max((len(c) for c in chart.categories), default=10)
    fig.subplots_adjust(
        left=min(0.45, (0.2 + 0.065 * longest) / width_in),
        right=0.97,
        top=1 - 0.15 / height,
        bottom=0.6 / height,
    )
    left = [0.0] * n
    for (name, values), color in zip(chart.series, _SERIES, strict=False):
        ax.barh(range(n), values, left=left, color=color, label=name, height=0.65)
        left = [a + b for a, b in zip(left, values, strict=True)]
    for y, total in enumerate(left):
        ax.text(total + 0.1, y, format_number(total), va="center", fontsize=7)
    ax.set_yticks(range(n), list(chart.categories))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("число показателей")
    ax.invert_yaxis()
    ax.legend(loc="lower right", frameon=False, fontsize=7)
    return fig


_FIGURES: dict[tuple[str, float], Figure] = {}
_OUTPUTS: dict[tuple[str, float, str], bytes | str] = {}


def _figure(chart: Chart, width_cm: float) -> Figure:
    import matplotlib

    key = (repr(chart), width_cm)
    if key not in _FIGURES:
        if len(_FIGURES) > 32:
            _FIGURES.clear()
            _OUTPUTS.clear()
        with matplotlib.rc_context(cast(Any, _RC)):
            width_in = width_cm / 2.54
            _FIGURES[key] = (
                _periods(chart, width_in) if chart.kind == "periods" else _hbar(chart, width_in)
            )
    return _FIGURES[key]


def render_png(chart: Chart, *, width_cm: float = CHART_WIDTH_CM) -> bytes:
    """The chart as PNG (150 dpi); the figure is drawn once per chart and shared with
    :func:`render_svg`, so the .docx and .html of one report do not build it twice."""
    key = (repr(chart), width_cm, "png")
    if key not in _OUTPUTS:
        import matplotlib

        fig = _figure(chart, width_cm)
        buf = io.BytesIO()
        with matplotlib.rc_context(cast(Any, _RC)):
            fig.savefig(buf, format="png", dpi=150, pil_kwargs={"compress_level": 1})
        _OUTPUTS[key] = buf.getvalue()
    out = _OUTPUTS[key]
    assert isinstance(out, bytes)
    return out


def render_svg(chart: Chart, *, width_cm: float = CHART_WIDTH_CM) -> str:
    """The chart as SVG markup (no XML prologue, scales with the page)."""
    key = (repr(chart), width_cm, "svg")
    if key not in _OUTPUTS:
        import matplotlib

        fig = _figure(chart, width_cm)
        buf = io.StringIO()
        with matplotlib.rc_context(cast(Any, _RC)):
            fig.savefig(buf, format="svg", metadata={"Date": None})
        _OUTPUTS[key] = _strip_prologue(buf.getvalue())
    out = _OUTPUTS[key]
    assert isinstance(out, str)
    return out


def _strip_prologue(text: str) -> str:
    start = text.find("<svg")
    body = text[start:] if start >= 0 else text
    # scale with the page: drop the fixed size, keep the viewBox
    body = re.sub(r'<svg([^>]*?)\swidth="[^"]*"', r"<svg\1", body, count=1)
    body = re.sub(r'<svg([^>]*?)\sheight="[^"]*"', r'<svg\1 class="chart"', body, count=1)
    return body
