"""`okr lint` (the pre-commit hook) stays light: no mkdocs, jinja2 or site code, and
no jsonschema while every file is valid (DESIGN: start-up time of the hook); nor,
once its schema validators are cached, fastjsonschema, nor what only other
commands use."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from paths import REPO_ROOT

HEAVY = ("mkdocs", "jinja2", "okrkit.site", "okrkit.mkdocs_plugin", "material",
         # okr measure's sources and their libraries (OKR204 reads measure: as data)
         "okrkit.sources", "okrkit.commands.measure", "httpx", "sqlalchemy", "google")

PROBE = """
import json, sys
from okrkit.cli import main
code = main(sys.argv[1:])
print(json.dumps({"exit": code, "modules": sorted(sys.modules)}))
"""


def modules_after(argv: list[str], cwd: Path) -> tuple[int, list[str]]:
    proc = subprocess.run([sys.executable, "-c", PROBE, *argv], cwd=cwd, capture_output=True,
                          text=True, check=False, env={"OKR_TODAY": "2026-02-15",
                                                       "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    assert proc.returncode == 0, proc.stderr
    last = json.loads(proc.stdout.strip().splitlines()[-1])
    return last["exit"], last["modules"]


@pytest.mark.parametrize("argv", [
    ["lint"],
    ["lint", "okrs/2026-Q1/marketing.yaml"],
    ["lint", "--format", "sarif"],
    ["rule", "OKR603"],
])
def test_lint_imports_no_site_code(argv: list[str]) -> None:
    exit_code, modules = modules_after(argv, REPO_ROOT)
    assert exit_code in (0, 1)
    loaded = [m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)]
    assert loaded == []
    assert "okrkit.rules.runner" in modules or argv[0] == "rule"


def test_valid_files_do_not_import_jsonschema() -> None:
    _, modules = modules_after(["lint", "okrs/2026-Q1/marketing.yaml"], REPO_ROOT)
    assert "jsonschema" not in modules


def test_the_hook_does_not_import_the_diff_renderers() -> None:
    # the history rules share only okrkit.pairing with the diff
    _, modules = modules_after(["lint", "okrs/2026-Q1/marketing.yaml"], REPO_ROOT)
    assert "okrkit.pairing" in modules and "okrkit.diff" not in modules


# what the hook on one valid sheet has no use for: fastjsonschema (the validators' cached
# code raises okrkit.schema.Invalid), statistics (and random: the site's means)
HOOK_NEVER = ("jsonschema", "fastjsonschema", "statistics", "random", "okrkit.diff",
              "okrkit.commands.status", "okrkit.grading")


def test_the_hook_imports_only_what_it_uses() -> None:
    argv = ["lint", "okrs/2026-Q1/marketing.yaml"]
    modules_after(argv, REPO_ROOT)  # the validators compiled and cached (a first run)
    exit_code, modules = modules_after(argv, REPO_ROOT)
    assert exit_code in (0, 1)
    loaded = [m for m in modules if any(m == h or m.startswith(h + ".") for h in HOOK_NEVER)]
    assert loaded == []
