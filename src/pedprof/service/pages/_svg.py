"""An indicator's history as an inline SVG line chart, drawn on the server."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from pedprof.service.pages._format import ru_number

__all__ = ["history_svg"]


def history_svg(
    periods: Sequence[str],
    values: Sequence[float | None],
    targets: Sequence[float | None],
    *,
    share: bool,
    title: str,
    width: int = 640,
    height: int = 260,
) -> str:
    """An SVG chart of ``values`` by period (gaps for ``None``), with the targets dashed.

    :returns: the ``<svg>`` element, with a ``<title>`` and a text description for screen
        readers.
    """
    left, right, top, bottom = 56, 16, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    finite = [v for v in list(values) + list(targets) if v is not None and math.isfinite(v)]
    hi = max(finite, default=1.0)
    lo = min(0.0, min(finite, default=0.0))
    if share:
        hi = max(hi, 100.0)
    hi = hi if hi > lo else lo + 1.0
    n = max(len(periods), 1)

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def y(v: float) -> float:
        return top + plot_h * (1 - (v - lo) / (hi - lo))

    unit = "\u00a0%" if share else ""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="chart" role="img" aria-labelledby="chart-title">',
        f'<title id="chart-title">{escape(title)}</title>',
    ]
    for k in range(5):
        v = lo + (hi - lo) * k / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            'class="grid"/>'
            f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" class="axis">'
            f"{escape(ru_number(v, 0))}{unit}</text>"
        )
    for i, p in enumerate(periods):
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - 14}" text-anchor="middle" class="axis">'
            f"{escape(str(p))}</text>"
        )

    def path(series: Sequence[float | None]) -> str:
        d, pen = [], "M"
        for i, v in enumerate(series):
            if v is None or not math.isfinite(v):
                pen = "M"
                continue
            d.append(f"{pen}{x(i):.1f},{y(v):.1f}")
            pen = "L"
        return " ".join(d)

    if any(t is not None for t in targets):
        parts.append(f'<path d="{path(targets)}" class="target"/>')
    parts.append(f'<path d="{path(values)}" class="line"/>')
    for i, point in enumerate(values):
        if point is not None and math.isfinite(point):
            v = point
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="4" class="point">'
                f"<title>{escape(str(periods[i]))}: {escape(ru_number(v))}{unit}</title>"
                "</circle>"
            )
    parts.append("</svg>")
    return "".join(parts)
