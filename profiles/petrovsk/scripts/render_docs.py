"""Write the docs fragments rendered from the profile's data.

Run from the repository root: ``uv run python profiles/petrovsk/scripts/render_docs.py``.
``docs/structure.md`` (the structure of the system: levels → subjects → functions) is included
by the documentation page ``docs/profiles/petrovsk.md``; a test checks it is current.
"""

from __future__ import annotations

from pathlib import Path

from pedprof_petrovsk import structure_markdown

OUT = Path(__file__).resolve().parents[1] / "docs"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    (OUT / "structure.md").write_text(structure_markdown(), encoding="utf-8")


if __name__ == "__main__":
    main()
