"""Start-up time of ``pedprof``: the library import, ``pedprof --help`` and ``pedprof check``.

Each command runs ``--runs`` times (default 7) in a fresh subprocess, timed by wall clock;
the script prints the median and the minimum of each, and the median CPU time (user +
system, less sensitive to other load on the machine). The commands:

* ``python -c pass``: the interpreter alone (the baseline every other figure includes);
* ``python -c "import pandas"``: pandas with numpy (what any pandas program pays);
* ``python -c "import pedprof"``: the curated public namespace (heavy names are lazy);
* ``pedprof --help``: the CLI's top-level help;
* ``pedprof check <one form> register.xlsx --profile karabash``: one school's filled form
  of the Karabash sample (latest period) with the register of organisations its codes are
  checked against, written beforehand into a temporary folder by
  :func:`pedprof.io.sample.write_sample`; the check also writes its error report.

Then the slowest entries of ``python -X importtime -c "import pedprof"`` (cumulative
time of each package's root module, which includes its submodules and
everything they import first) and the modules of the heavy
libraries the import loaded (it should load none). The last line is
``ratio=<import pedprof / import pandas>`` (medians).

Run with ``uv run python benchmarks/startup.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAVY = (
    "pandas",
    "numpy",
    "pyarrow",
    "matplotlib",
    "docx",
    "openpyxl",
    "python_calamine",
    "icalendar",
    "jinja2",
    "rich",
    "click",
    "fastapi",
    "sqlalchemy",
    "pluggy",
    "attrs",
)


def _cli() -> list[str]:
    exe = Path(sys.executable).with_name("pedprof")
    if exe.exists():
        return [str(exe)]
    return [sys.executable, "-m", "pedprof"]


def _time(cmd: list[str], runs: int, cwd: Path) -> tuple[float, float, float]:
    """Median and minimum wall-clock time, and median CPU time (user + system) of ``cmd``."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, check=False)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if proc.returncode not in (0, 1):
            sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr.decode()}")
    return statistics.median(walls), min(walls), statistics.median(cpus)


def _one_form(tmp: Path) -> list[Path]:
    """A school's filled form of the latest period, with the register of organisations
    its codes are checked against (as the municipality holds it)."""
    from pedprof.io.sample import REGISTER_FILE, write_sample
    from pedprof.plugins import get_profile, load_sample

    profile = get_profile("karabash")
    schools = set(load_sample(profile).organizations["org_id"].astype(str))
    files = write_sample(profile, tmp / "forms")
    register = next(p for p in files if p.name == REGISTER_FILE)
    latest = max(p.parent.name for p in files if p.parent != register.parent)
    forms = sorted(p for p in files if p.parent.name == latest and p.stem in schools)
    return [forms[0], register]


def _importtime(top: int) -> tuple[list[tuple[int, str]], list[str]]:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import pedprof"],
        capture_output=True,
        text=True,
        check=True,
    )
    per_package: dict[str, int] = {}
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line.removeprefix("import time:").split("|")
        name = name.strip()
        if "." not in name and not name.startswith("_"):
            # a package's root: its cumulative time covers all its submodules
            per_package[name] = max(per_package.get(name, 0), int(cumulative))
    ranked = sorted(((us, name) for name, us in per_package.items()), reverse=True)
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, pedprof; print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return ranked[:top], [m for m in HEAVY if m in loaded]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        form = _one_form(tmp)
        print(f"one form: {form[0].parent.name}/{form[0].name} with {form[1].name}")
        cases = {
            "python -c pass": [py, "-c", "pass"],
            "import pandas": [py, "-c", "import pandas"],
            "import pedprof": [py, "-c", "import pedprof"],
            "pedprof --help": [*_cli(), "--help"],
            "pedprof check (one form)": [
                *_cli(),
                "check",
                *map(str, form),
                "--profile",
                "karabash",
                "--report",
                str(tmp / "out" / "check-report.xlsx"),
            ],
        }
        results = {}
        print(f"runs={args.runs}  (seconds; wall clock, and CPU = user + system of the child)")
        for label, cmd in cases.items():
            med, best, cpu = _time(cmd, args.runs, tmp)
            results[label] = med
            print(f"{label:28s} median={med:.3f}  min={best:.3f}  cpu_median={cpu:.3f}")
    ranked, loaded = _importtime(args.top)
    print(f"\n-X importtime, import pedprof: top {len(ranked)} packages (cumulative)")
    for us, mod in ranked:
        print(f"  {us / 1000:8.1f} ms  {mod}")
    print(f"heavy libraries loaded by import pedprof: {', '.join(loaded) or 'none'}")
    print(f"ratio={results['import pedprof'] / results['import pandas']:.2f}")


if __name__ == "__main__":
    main()
