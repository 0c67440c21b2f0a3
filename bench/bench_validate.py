"""`okr validate` against `check-jsonschema` on the same files, in the same run.

Cases: one sheet (the pre-commit hook's usual call), a generated tree of 800
sheets (200 teams x 4 quarters, bench/synth.py), and two hostile inputs (an
alias bomb and a 10 MB file) that must cost no more than a tiny file.
check-jsonschema takes one schema per invocation: the sheets with
okr.schema.json, org.yaml with org.schema.json, so the tree costs two calls.
"""

from __future__ import annotations

import shlex
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402
from _timing import BIN, runs_from_env, table, time_command  # noqa: E402

REPO = HERE.parent
OKR = str(BIN / "okr")
CHECK_JSONSCHEMA = str(BIN / "check-jsonschema")
SCHEMA = REPO / "schema"
QUARTERS = ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")

ALIAS_BOMB = "".join(
    [f"a0: &a0 [{', '.join(['lol'] * 9)}]\n"]
    + [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]\n" for n in range(1, 10)]
)


def main() -> int:
    runs = runs_from_env(10)
    tree_runs = runs_from_env(5)
    with tempfile.TemporaryDirectory(prefix="okr-bench-") as tmp:
        root = Path(tmp)
        sheets = synth.write_tree(root, teams=200, cycles=QUARTERS)
        one = sheets[0].relative_to(root).as_posix()
        rel_sheets = [p.relative_to(root).as_posix() for p in sheets]
        print(f"tree: {len(sheets)} sheets in {root / 'okrs'}")

        single = [
            time_command("okr validate (1 sheet)", [OKR, "validate", one], runs=runs, cwd=root),
            time_command("okr validate --schema okr (1 sheet)",
                         [OKR, "validate", "--schema", "okr", one], runs=runs, cwd=root),
            time_command("check-jsonschema (1 sheet)",
                         [CHECK_JSONSCHEMA, "--schemafile", str(SCHEMA / "okr.schema.json"),
                          one], runs=runs, cwd=root),
        ]
        print(table(single, baseline=single[-1], title="one sheet"))

        both = (f"{shlex.quote(CHECK_JSONSCHEMA)} --schemafile "
                f"{shlex.quote(str(SCHEMA / 'okr.schema.json'))} "
                + " ".join(shlex.quote(p) for p in rel_sheets)
                + f" && {shlex.quote(CHECK_JSONSCHEMA)} --schemafile "
                f"{shlex.quote(str(SCHEMA / 'org.schema.json'))} okrs/org.yaml")
        whole = [
            time_command(f"okr validate ({len(sheets)} sheets + org)", [OKR, "validate"],
                         runs=tree_runs, cwd=root),
            time_command(f"check-jsonschema ({len(sheets)} sheets + org, 2 calls)",
                         ["sh", "-c", both], runs=tree_runs, cwd=root),
        ]
        print(table(whole, baseline=whole[-1], title=f"{len(sheets)} sheets"))

        (root / "bomb.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
        (root / "big.yaml").write_text("notes: " + "x" * (10 * 1024 * 1024) + "\n",
                                       encoding="utf-8")
        (root / "tiny.yaml").write_text("cycle: 2026-Q1\nteam: a\nobjectives: []\n",
                                        encoding="utf-8")
        hostile = [
            time_command("okr validate tiny file", [OKR, "validate", "--schema", "okr",
                                                    "tiny.yaml"], runs=runs, cwd=root),
            time_command("okr validate alias bomb", [OKR, "validate", "--schema", "okr",
                                                     "bomb.yaml"], runs=runs, cwd=root,
                         ok_codes=(1,)),
            time_command("okr validate 10 MB file", [OKR, "validate", "--schema", "okr",
                                                     "big.yaml"], runs=runs, cwd=root,
                         ok_codes=(1,)),
        ]
        print(table(hostile, baseline=hostile[0], title="hostile input"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
