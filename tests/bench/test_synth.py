"""bench/synth.py, the shared synthetic-data generator: clean trees and a real linear history."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

from okrkit.cli import main


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                          check=True).stdout


def test_write_tree_validates_cleanly(synth: ModuleType, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    sheets = synth.write_tree(tmp_path, teams=4, cycles=["2026", "2026-H2", "2026-Q3"],
                              objectives=2, krs=4, seed=3)
    assert [p.relative_to(tmp_path).as_posix() for p in sheets] == [
        f"okrs/{cycle}/team-{team:03d}.yaml" for cycle in ("2026", "2026-H2", "2026-Q3")
        for team in range(4)]
    monkeypatch.chdir(tmp_path)
    assert main(["validate"]) == 0
    assert capsys.readouterr().out == ""
    text = sheets[0].read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/okr.schema.json\n"
                           'cycle: "2026"\nteam: team-000\n')
    for key in ("metric", "source", "baseline", "target", "current", "confidence", "owner"):
        assert text.count(f"        {key}: ") == 8, key
    assert text.count("        due: 2026-12-31\n") == 8


def test_write_tree_is_deterministic_and_mixes_languages(synth: ModuleType,
                                                         tmp_path: Path) -> None:
    first = synth.write_tree(tmp_path / "a", teams=6, cycles=["2026-Q1"], seed=7)
    second = synth.write_tree(tmp_path / "b", teams=6, cycles=["2026-Q1"], seed=7)
    texts = [p.read_text(encoding="utf-8") for p in first]
    assert texts == [p.read_text(encoding="utf-8") for p in second]
    titles = "".join(line for t in texts for line in t.splitlines(True) if "title:" in line)
    assert "將" in titles and ("Raise" in titles or "Cut" in titles)


def test_write_tree_refuses_unknown_cycles(synth: ModuleType, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a standard cycle id: 'FY23-Q1'"):
        synth.write_tree(tmp_path, teams=1, cycles=["FY23-Q1"])


def test_make_history(synth: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                      monkeypatch: pytest.MonkeyPatch) -> None:
    synth.write_tree(tmp_path, teams=5, cycles=["2026-Q1", "2026-Q2"], seed=1)
    written = {p: p.read_text(encoding="utf-8") for p in (tmp_path / "okrs").rglob("*.yaml")}
    synth.make_history(tmp_path, commits=120, seed=1)

    log = git(tmp_path, "log", "--format=%H %P|%an|%ae|%aI|%s").splitlines()
    assert len(log) == 120
    assert all(len(line.split("|")[0].split()) == (1 if n == 119 else 2)
               for n, line in enumerate(log))  # linear: one parent each, the root has none
    assert git(tmp_path, "status", "--porcelain") == ""  # the work tree is the last commit
    first = git(tmp_path, "show", "--format=", "--name-only", log[-1].split()[0]).split()
    assert sorted(first) == sorted(p.relative_to(tmp_path).as_posix() for p in written)

    org_people = {line.split("email: ")[1] for line in
                  (tmp_path / "okrs" / "org.yaml").read_text(encoding="utf-8").splitlines()
                  if "email: " in line}
    emails = {line.split("|")[2] for line in log}
    assert emails <= org_people and len(emails) > 5
    dates = [dt.datetime.fromisoformat(line.split("|")[3]) for line in reversed(log)]
    assert dates == sorted(dates)
    assert dates[0].date() == dt.date(2026, 1, 1) and dates[-1].date() == dt.date(2026, 6, 30)

    # check-ins move current and confidence; a few move a target
    root = log[-1].split()[0]
    patch = git(tmp_path, "log", "-p", "--format=", "-U0", f"{root}..HEAD")
    changed = [line.split(":")[0].strip("+ ") for line in patch.splitlines()
               if line.startswith("+ ") and ":" in line]
    assert changed.count("current") > 100 and changed.count("confidence") > 100
    assert 0 < changed.count("target") < changed.count("current") / 5
    assert set(changed) <= {"current", "confidence", "target"}

    # each commit touches sheets of a cycle that contains its date
    for line in log[:-1]:
        sha, day = line.split()[0], line.split("|")[3][:10]
        for path in git(tmp_path, "show", "--format=", "--name-only", sha).split():
            cycle = path.split("/")[1]
            assert (cycle == "2026-Q1") == (day <= "2026-03-31"), (path, day)

    # the final tree still validates
    monkeypatch.chdir(tmp_path)
    assert main(["validate"]) == 0
    assert capsys.readouterr().out == ""
    changed_files = [p for p, text in written.items() if p.read_text(encoding="utf-8") != text]
    assert changed_files


def test_make_history_continues_an_existing_repository(synth: ModuleType, git_repo: object,
                                                       ) -> None:
    repo = git_repo.path  # type: ignore[attr-defined]
    git_repo.write("README.md", "# OKRs\n")  # type: ignore[attr-defined]
    base = git_repo.commit("start")  # type: ignore[attr-defined]
    synth.write_tree(repo, teams=2, cycles=["2026-Q1"])
    synth.make_history(repo, commits=10)
    log = git(repo, "log", "--format=%H").split()
    assert len(log) == 11 and log[-1] == base
    assert git(repo, "status", "--porcelain") == ""
