"""The wheel: built from this checkout, installed into a plain venv outside the repository,
it validates a copy of okrs/ with its own packaged schemas."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from paths import REPO_ROOT


def run(cmd: list[str], *, cwd: Path, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False,
                          env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    proc = run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(REPO_ROOT)],
               cwd=out)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    wheels = list(out.glob("okrkit-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.mark.slow
def test_wheel_ships_the_schemas_and_the_site_templates(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {"okrkit/schema/okr.schema.json", "okrkit/schema/org.schema.json",
            "okrkit/schema/config.schema.json", "okrkit/schema/export.schema.json"} <= names
    shipped_templates = {n for n in names if n.startswith("okrkit/site_templates/")}
    in_repo = {"okrkit/site_templates/" + p.relative_to(REPO_ROOT / "site_templates").as_posix()
               for p in (REPO_ROOT / "site_templates").rglob("*") if p.is_file()}
    assert shipped_templates and shipped_templates == in_repo
    assert {"okrkit/cli.py", "okrkit/yamlload.py", "okrkit/commands/validate.py"} <= names
    # package data inside okrkit/ ships as it is: `okr new`'s templates
    assert {f"okrkit/sheet_templates/{lang}/sales.yaml" for lang in ("en", "zh-TW")} <= names
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(entry_points).decode()
    assert "okr = okrkit.__main__:run" in text
    assert not any(n.startswith(("tests/", "okrs/", "bench/")) for n in names)


@pytest.mark.slow
def test_installed_wheel_validates_the_demo_outside_the_repository(
        wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    proc = run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    pip = venv / "bin" / "pip"
    proc = run([str(pip), "install", "--quiet", "--disable-pip-version-check", str(wheel)],
               cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]

    work = tmp_path / "work"
    shutil.copytree(REPO_ROOT / "okrs", work / "okrs")
    okr = str(venv / "bin" / "okr")
    clean = {"PYTHONPATH": "", "PYTHONSAFEPATH": "1"}  # nothing from this checkout
    proc = run([okr, "validate"], cwd=work, env=clean)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")

    # the schemas it used are the packaged copies, not the repository's
    proc = run([str(venv / "bin" / "python"), "-c",
                "from okrkit import resources; print(resources.schema_file('okr'))"],
               cwd=work, env=clean)
    assert proc.returncode == 0, proc.stderr
    used = Path(proc.stdout.strip())
    assert used.is_relative_to(venv) and used.is_file()

    bad = work / "okrs" / "2026-Q1" / "marketing.yaml"
    text = bad.read_text(encoding="utf-8")
    line = text[:text.index("due: 2026-03-31")].count("\n") + 1
    bad.write_text(text.replace("due: 2026-03-31", "due: 2025-13-45", 1), encoding="utf-8")
    proc = run([okr, "validate", "okrs/2026-Q1/marketing.yaml"], cwd=work, env=clean)
    assert (proc.returncode, proc.stderr) == (1, "")
    assert proc.stdout == (f'okrs/2026-Q1/marketing.yaml:{line}:14: OKR002 objectives[0].'
                           'key_results[0].due: "2025-13-45" is not a valid date\n')

    # `okr new` reads its templates from the installed package
    proc = run([okr, "new", "2026-Q3", "sales", "--template", "sales"], cwd=work, env=clean)
    assert (proc.returncode, proc.stdout) == (0, "created okrs/2026-Q3/sales.yaml\n"), proc.stderr
    assert "      - id: quarter-revenue\n" in (work / "okrs" / "2026-Q3" / "sales.yaml").read_text(
        encoding="utf-8")


@pytest.mark.slow
def test_the_release_distributions_pass_twine_check(wheel: Path, tmp_path: Path) -> None:
    # what .github/workflows/release.yml runs before publishing: both files, strictly
    proc = run([sys.executable, "-m", "build", "--sdist", "--outdir", str(tmp_path),
                str(REPO_ROOT)], cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    sdists = list(tmp_path.glob("okrkit-*.tar.gz"))
    assert len(sdists) == 1, sdists
    proc = run([sys.executable, "-m", "twine", "check", "--strict", str(sdists[0]), str(wheel)],
               cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("PASSED") == 2
