"""Write the docs fragments rendered from the profile's data.

Run from the repository root: ``uv run python profiles/chelyabinsk/scripts/render_docs.py``.
``docs/roadmap.md`` (every row of the roadmap 2021–2022) is included by the documentation page
``docs/profiles/chelyabinsk.md``; a test checks it is current.
"""

from __future__ import annotations

from pathlib import Path

from pedprof_chelyabinsk import roadmap_markdown

OUT = Path(__file__).resolve().parents[1] / "docs"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    (OUT / "roadmap.md").write_text(roadmap_markdown(), encoding="utf-8")


if __name__ == "__main__":
    main()
