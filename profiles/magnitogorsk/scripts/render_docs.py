"""Write the docs fragments rendered from the profile's data.

Run from the repository root: ``uv run python profiles/magnitogorsk/scripts/render_docs.py``.
``docs/cycle.md`` (the documents of the management cycle per component) is included by the
documentation page ``docs/profiles/magnitogorsk.md``; a test checks it is current.
"""

from __future__ import annotations

from pathlib import Path

from pedprof_magnitogorsk import cycle_markdown

OUT = Path(__file__).resolve().parents[1] / "docs"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    (OUT / "cycle.md").write_text(cycle_markdown(), encoding="utf-8")


if __name__ == "__main__":
    main()
