"""Time the ИАС (issue 16): the concise Karabash справка in all three formats (.docx, .xlsx,
.html) from the sample, in a fresh process, against the goal of 3 s; then the full
справка with its charts, and a plain-pandas baseline in the same run (the same summary
frame written with ``DataFrame.to_excel`` and ``to_html``) for scale.

    uv run python benchmarks/report.py

The last line is ``ratio=`` the concise справка's seconds (cold: imports, fonts and the
analysis included) divided by the 3 s goal — at most 1 meets it.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 3.0


def main() -> None:
    t0 = time.perf_counter()
    import pandas as pd

    import pedprof
    from pedprof.reports import build_report, write_reports

    profile = pedprof.get_profile("karabash")
    data = pedprof.load_sample(profile)
    t_load = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        t1 = time.perf_counter()
        report = build_report(profile, data, suppress_below=5)
        t_build = time.perf_counter() - t1
        t2 = time.perf_counter()
        write_reports(report, out / "concise", formats=("docx", "xlsx", "html"))
        t_write = time.perf_counter() - t2
        concise = time.perf_counter() - t1
        print(f"imports and sample: {t_load:.2f} s")
        print(f"concise: build {t_build:.2f} s, write docx+xlsx+html {t_write:.2f} s")

        t3 = time.perf_counter()
        full = build_report(profile, data, suppress_below=5, full=True)
        write_reports(full, out / "full", formats=("docx", "xlsx", "html"))
        t_full = time.perf_counter() - t3
        print(f"full with charts (first time: matplotlib loaded, charts drawn): {t_full:.2f} s")
        t4 = time.perf_counter()
        write_reports(full, out / "full-again", formats=("docx", "html"))
        print(f"full again (charts from the cache): {time.perf_counter() - t4:.2f} s")

        t5 = time.perf_counter()
        frame = report.analysis.current()
        frame.to_excel(out / "baseline.xlsx")
        (out / "baseline.html").write_text(frame.to_html(), encoding="utf-8")
        t_base = time.perf_counter() - t5
        print(f"plain pandas baseline (summary frame to .xlsx and .html): {t_base:.2f} s")
        assert isinstance(frame, pd.DataFrame)
    print(f"concise Karabash ИАС, all three formats: {concise:.2f} s (goal {GOAL_SECONDS:.0f} s)")
    print(f"ratio={concise / GOAL_SECONDS:.2f}")


if __name__ == "__main__":
    main()
