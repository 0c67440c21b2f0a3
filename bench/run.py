"""`make bench`: run every bench/bench_*.py in turn, each in its own process.

Each script prints its own table; this runner only sequences them (so they
never compete for the two cores) and fails when one fails.
`python bench/run.py validate lint` runs only those.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if argv:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in argv]
    failed = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        start = time.perf_counter()
        code = subprocess.run([sys.executable, str(script)], check=False).returncode
        print(f"== {script.name}: exit {code} in {time.perf_counter() - start:.1f} s\n",
              flush=True)
        if code != 0:
            failed.append(script.name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
