"""The README's «Use from Python» runs and prints what the README shows."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def _section(text: str, title: str) -> str:
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def _blocks(section: str) -> list[tuple[str, str]]:
    """The fenced blocks of ``section``: (language, body)."""
    return [(m[1], m[2]) for m in re.finditer(r"```(\w*)\n(.*?)\n```", section, re.S)]


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.strip("\n").splitlines()]


def test_use_from_python_prints_what_the_readme_shows(tmp_path: Path) -> None:
    blocks = _blocks(_section(README.read_text(encoding="utf-8"), "Use from Python"))
    assert [lang for lang, _ in blocks][:2] == ["python", "text"]
    code, shown = blocks[0][1], blocks[1][1]
    assert len([line for line in code.splitlines() if line.strip()]) <= 12  # about ten lines
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert _lines(run.stdout) == _lines(shown)
    # the report it says it writes is there
    assert sorted(p.suffix for p in (tmp_path / "out").iterdir()) == [".docx", ".html", ".xlsx"]
