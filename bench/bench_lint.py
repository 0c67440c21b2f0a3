"""`okr lint` (all rules) against `check-jsonschema` on the same files, in the same run.

Cases: one sheet (what the pre-commit hook does on a typical commit, the whole
process including interpreter start) and a generated tree of 800 sheets
(200 teams x 4 quarters, bench/synth.py); then one sheet again once the
tree is a git repository of 5,000 commits (spread over 2026), where the history
rules (OKR503, OKR604) read the log of that sheet from its cycle's start on:
a 2026-Q1 sheet on 2026-02-15 (the history starts on 2026-01-01, so every
commit is since its cycle started: the whole log, after a walk of the whole
first-parent chain looking for an older one) and a 2026-Q4 sheet on
2026-11-20 (the hook in the cycle under way: the log from late September on,
okrkit.history's "Bounded reads"). check-jsonschema only checks the
schema, okr lint also loads the tree, resolves references and runs every
rule.

The hook case is what pre-commit runs on a check-in: `okr lint <the staged
sheet>` from the repository's top, the sheet changed (one `current:` edited and
staged), so its new content is not a committed blob. The 800 sheets are timed
twice: with okrkit's caches (warm: what a second run sees, outside git the
parse cache is in the user's cache folder) and without the parse cache
(OKRKIT_PARSE_CACHE=0: every sheet parsed and validated). check-jsonschema is
timed again beside the in-repository runs, so each ratio is paired. Ratios are
given for wall and CPU time (user + system, with git's processes): the machine
is shared, CPU moves less with the load.

OKR_BENCH_BEFORE=<a plugins folder of another okrkit> (e.g. `git archive` of an
older commit) times that code's hook too, in the same run, on a copy of the
repository (each copy keeps its own caches): a before/after pair.

Aims (issue 3): one sheet about 0.33 s and at most 0.7x check-jsonschema;
800 sheets at most 0.25x. Issue 16: 800 sheets at most 0.12x (warm and cold),
the hook on one sheet of the 5,000-commit repository at most 0.5x.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402
from _timing import BIN, Timing, runs_from_env, table, time_command  # noqa: E402

REPO = HERE.parent
OKR = str(BIN / "okr")
PYTHON = str(BIN / "python")
CHECK_JSONSCHEMA = str(BIN / "check-jsonschema")
SCHEMA = REPO / "schema"
QUARTERS = ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")
ENV = {"OKR_TODAY": "2026-02-15", "LANG": "C.UTF-8"}
ENV_Q4 = {**ENV, "OKR_TODAY": "2026-11-20"}  # the last quarter under way
AIM_ONE_SHEET_S = 0.33
AIM_ONE_SHEET_RATIO = 0.7
AIM_TREE_RATIO = 0.25
AIM_TREE_RATIO_16 = 0.12
AIM_HOOK_RATIO_16 = 0.5
HISTORY_COMMITS = 5000


def findings_summary(cmd: list[str], cwd: Path) -> str:
    out = subprocess.run([*cmd, "--format", "json"], cwd=cwd, capture_output=True, text=True,
                         env={**os.environ, **ENV}, check=False).stdout
    rows = json.loads(out or "[]")
    counts = Counter(r["severity"] for r in rows)
    codes = Counter(r["code"] for r in rows)
    return (f"{len(rows)} findings ({', '.join(f'{n} {s}' for s, n in sorted(counts.items()))})"
            f"; by code: {dict(sorted(codes.items()))}")


def verdict(label: str, value: float, aim: float, unit: str = "x") -> str:
    mark = "ok" if value <= aim else "MISSED"
    return f"  {label}: {value:.2f}{unit} (aim <= {aim:.2f}{unit}) {mark}"


def ratio(a: Timing, b: Timing) -> float:
    return a.median / b.median


class Commits:
    """Another team's check-in, committed (by itself: the hook's staged sheet stays
    staged) an hour after HEAD: what lands between two runs of the hook."""

    def __init__(self, root: Path, sheet: str) -> None:
        self.root, self.sheet, self.count = root, sheet, 0

    def __call__(self) -> None:
        self.count += 1
        path = self.root / self.sheet
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(current: )(\S+)", rf"\g<1>{self.count}", text, count=1),
                        encoding="utf-8")
        last = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=self.root, check=True,
                              capture_output=True, text=True).stdout.strip()
        when = f"@{int(last) + 3600} +0800"
        subprocess.run(["git", "commit", "-q", "-m", f"checkin: {self.sheet}", "--", self.sheet],
                       cwd=self.root, check=True, capture_output=True,
                       env={**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when})


def main() -> int:
    runs = runs_from_env(10)
    tree_runs = runs_from_env(5)
    with tempfile.TemporaryDirectory(prefix="okr-bench-lint-") as tmp:
        root = Path(tmp) / "org"
        root.mkdir()
        # okrkit's user caches (validators; the parse cache outside git) start empty here
        os.environ["OKRKIT_CACHE_DIR"] = str(Path(tmp) / "cache")
        sheets = synth.write_tree(root, teams=200, cycles=QUARTERS)
        one = sheets[0].relative_to(root).as_posix()
        rel_sheets = [p.relative_to(root).as_posix() for p in sheets]
        print(f"tree: {len(sheets)} sheets in {root / 'okrs'}")
        print(f"one sheet ({one}): {findings_summary([OKR, 'lint', one], root)}")
        print(f"whole tree: {findings_summary([OKR, 'lint'], root)}\n")

        single = [
            time_command("python -c pass (interpreter start)", [PYTHON, "-c", "pass"],
                         runs=runs, cwd=root),
            time_command("okr lint (1 sheet, all rules)", [OKR, "lint", one], runs=runs,
                         cwd=root, env=ENV, ok_codes=(0, 1)),
            time_command("check-jsonschema (1 sheet)",
                         [CHECK_JSONSCHEMA, "--schemafile", str(SCHEMA / "okr.schema.json"),
                          one], runs=runs, cwd=root),
        ]
        print(table(single, baseline=single[-1], title="one sheet", cpu=True))

        both = (f"{shlex.quote(CHECK_JSONSCHEMA)} --schemafile "
                f"{shlex.quote(str(SCHEMA / 'okr.schema.json'))} "
                + " ".join(shlex.quote(p) for p in rel_sheets)
                + f" && {shlex.quote(CHECK_JSONSCHEMA)} --schemafile "
                f"{shlex.quote(str(SCHEMA / 'org.schema.json'))} okrs/org.yaml")
        whole = [
            time_command(f"okr lint ({len(sheets)} sheets + org, all rules)", [OKR, "lint"],
                         runs=tree_runs, cwd=root, env=ENV, ok_codes=(0, 1)),
            time_command(f"okr lint ({len(sheets)} sheets + org, no parse cache)",
                         [OKR, "lint"], runs=tree_runs, cwd=root,
                         env={**ENV, "OKRKIT_PARSE_CACHE": "0"}, ok_codes=(0, 1)),
            time_command(f"check-jsonschema ({len(sheets)} sheets + org, 2 calls)",
                         ["sh", "-c", both], runs=tree_runs, cwd=root),
        ]
        print(table(whole, baseline=whole[-1], title=f"{len(sheets)} sheets", cpu=True))

        # the hook in a real repository: the history rules (OKR503, OKR604) read git
        synth.make_history(root, commits=HISTORY_COMMITS)
        q4 = next(p for p in rel_sheets if p.startswith("okrs/2026-Q4/"))
        # a check-in being committed: the sheet's new content staged
        sheet = root / q4
        text = sheet.read_text(encoding="utf-8")
        sheet.write_text(re.sub(r"(current: )(\S+)", r"\g<1>0", text, count=1),
                         encoding="utf-8")
        subprocess.run(["git", "add", q4], cwd=root, check=True)
        in_repo = [
            time_command(f"okr lint (1 Q1 sheet on 02-15, {HISTORY_COMMITS} commits, all rules)",
                         [OKR, "lint", one], runs=runs, cwd=root, env=ENV, ok_codes=(0, 1)),
            time_command(f"okr lint (1 Q4 sheet on 11-20, {HISTORY_COMMITS} commits, all rules)",
                         [OKR, "lint", q4], runs=runs, cwd=root, env=ENV_Q4, ok_codes=(0, 1)),
            time_command("okr lint (1 sheet, history rules ignored)",
                         [OKR, "lint", "--ignore", "OKR503,OKR604", one], runs=runs, cwd=root,
                         env=ENV, ok_codes=(0, 1)),
            # what the hook meets on a real check-in: HEAD moved since its last run
            time_command("okr lint (1 Q1 sheet on 02-15, a commit after the last run)",
                         [OKR, "lint", one], runs=runs, cwd=root, env=ENV, ok_codes=(0, 1),
                         before_each=Commits(root, next(p for p in rel_sheets
                                                        if p.startswith("okrs/2026-Q2/")))),
            time_command("check-jsonschema (1 sheet, again)",
                         [CHECK_JSONSCHEMA, "--schemafile", str(SCHEMA / "okr.schema.json"),
                          q4], runs=runs, cwd=root),
        ]
        before = os.environ.get("OKR_BENCH_BEFORE")
        if before:
            copy = Path(tmp) / "before"
            shutil.copytree(root, copy, symlinks=True)
            shutil.rmtree(copy / ".git" / "okrkit", ignore_errors=True)
            old = {"PYTHONPATH": before, "OKRKIT_CACHE_DIR": str(Path(tmp) / "cache-before")}
            in_repo[3:3] = [
                time_command("before: okr lint (1 Q1 sheet on 02-15)", [OKR, "lint", one],
                             runs=runs, cwd=copy, env={**ENV, **old}, ok_codes=(0, 1)),
                time_command("before: okr lint (1 Q4 sheet on 11-20)", [OKR, "lint", q4],
                             runs=runs, cwd=copy, env={**ENV_Q4, **old}, ok_codes=(0, 1)),
            ]
        print(table(in_repo, baseline=in_repo[-1], cpu=True,
                    title=f"one sheet in a git repository of {HISTORY_COMMITS} commits"))

        print("aims:")
        print(verdict("one sheet, wall median", single[1].median, AIM_ONE_SHEET_S, " s"))
        print(verdict("one sheet vs check-jsonschema", ratio(single[1], single[2]),
                      AIM_ONE_SHEET_RATIO))
        print(verdict(f"{len(sheets)} sheets vs check-jsonschema", ratio(whole[0], whole[2]),
                      AIM_TREE_RATIO))
        print("aims (issue 16), wall and CPU:")
        for label, row, base, aim in (
                (f"{len(sheets)} sheets, warm", whole[0], whole[2], AIM_TREE_RATIO_16),
                (f"{len(sheets)} sheets, no parse cache", whole[1], whole[2], AIM_TREE_RATIO_16),
                ("the hook, Q4 sheet (staged check-in)", in_repo[1], in_repo[-1],
                 AIM_HOOK_RATIO_16),
                ("the hook, Q1 sheet (the whole log)", in_repo[0], in_repo[-1],
                 AIM_HOOK_RATIO_16),
                ("the hook, Q1 sheet, a commit after its last run", in_repo[-2],
                 in_repo[-1], AIM_HOOK_RATIO_16)):
            print(verdict(f"{label} vs check-jsonschema, wall", ratio(row, base), aim))
            print(verdict(f"{label} vs check-jsonschema, cpu", row.cpu / base.cpu, aim))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
