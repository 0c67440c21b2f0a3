"""The GitHub workflows, this repository's and those `okr init` writes: actionlint
(with shellcheck on every `run:` script) passes, and each keeps what it is for:
least-privilege permissions, full history where the git log is read, the
pinned actions, one comment or issue updated rather than duplicated."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from okrkit.commands.init import plan
from paths import REPO_ROOT
from skipping import skip_or_fail

OWN_WORKFLOWS = REPO_ROOT / ".github" / "workflows"
PINNED = {"actions/checkout@v4", "actions/setup-python@v5", "actions/upload-pages-artifact@v3",
          "actions/deploy-pages@v4", "actions/github-script@v7", "actions/cache@v4",
          # the release: artifacts between its jobs; PyPA's action lives on its major branch
          "actions/upload-artifact@v4", "actions/download-artifact@v4",
          "pypa/gh-action-pypi-publish@release/v1"}


def _tool_path() -> str:
    # the venv's bin first: actionlint finds shellcheck on PATH
    return os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])


@pytest.fixture(scope="module")
def actionlint() -> str:
    found = shutil.which("actionlint", path=_tool_path())
    missing = [name for name in ("actionlint", "shellcheck")
               if shutil.which(name, path=_tool_path()) is None]
    if missing:
        skip_or_fail(f"{' and '.join(missing)} missing: `pip install -e '.[dev]'` installs them")
    assert found is not None
    return found


def _actionlint(exe: str, files: list[Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([exe, "-no-color", *map(str, files)], cwd=cwd, capture_output=True,
                          text=True, env={**os.environ, "PATH": _tool_path()}, check=False)


@pytest.fixture(scope="module", params=["en", "zh-TW"])
def scaffold(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository as `okr init` writes it (no git needed for linting)."""
    root = tmp_path_factory.mktemp(f"scaffold-{request.param}")
    for f in plan("acme", lang=request.param, team="marketing", today=dt.date(2026, 11, 2)):
        (root / f.path).parent.mkdir(parents=True, exist_ok=True)
        (root / f.path).write_bytes(f.content)
    return root


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as a boolean
        data["on"] = data.pop(True)
    return data


def _steps(workflow: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for job in workflow["jobs"].values():
        yield from job.get("steps", [])


def _runs(workflow: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in _steps(workflow))


def _checkouts(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in _steps(workflow) if s.get("uses", "").startswith("actions/checkout@")]


def test_actionlint_and_shellcheck_catch_a_bad_workflow(actionlint: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo $FOO ${{ github.event.pull_request.title }}\n"
                   "      - uses: actions/checkout@v1\n", encoding="utf-8")

    result = _actionlint(actionlint, [bad], tmp_path)

    assert result.returncode == 1
    assert "SC2086" in result.stdout  # shellcheck ran on the script
    assert "potentially untrusted" in result.stdout
    assert "too old" in result.stdout


def test_this_repositorys_workflows_pass_actionlint(actionlint: str) -> None:
    files = sorted(OWN_WORKFLOWS.glob("*.yml"))
    assert {f.name for f in files} == {"ci.yml", "pages.yml", "release.yml"}

    result = _actionlint(actionlint, files, REPO_ROOT)

    assert result.returncode == 0, result.stdout + result.stderr


def test_scaffolded_workflows_pass_actionlint(actionlint: str, scaffold: Path) -> None:
    files = sorted((scaffold / ".github" / "workflows").glob("*.yml"))
    assert {f.name for f in files} == {"okr-review.yml", "okr-pages.yml", "okr-stale.yml",
                                       "okr-checkin.yml", "okr-measure.yml"}

    result = _actionlint(actionlint, files, scaffold)

    assert result.returncode == 0, result.stdout + result.stderr


def _all_workflows(scaffold: Path) -> list[Path]:
    return [*OWN_WORKFLOWS.glob("*.yml"), *(scaffold / ".github" / "workflows").glob("*.yml")]


def test_actions_are_pinned_to_major_tags(scaffold: Path) -> None:
    for path in _all_workflows(scaffold):
        uses = {s["uses"] for s in _steps(_load(path)) if "uses" in s}
        assert uses <= PINNED, path.name


def test_ci_runs_make_test_with_chromium_on_push_and_pull_request() -> None:
    ci = _load(OWN_WORKFLOWS / "ci.yml")

    assert {"push", "pull_request"} <= set(ci["on"])
    assert ci["permissions"] == {"contents": "read"}
    runs = _runs(ci)
    assert "make test" in runs
    assert "apt-get install" in runs and "chromium" in runs


@pytest.mark.parametrize("which", ["own", "scaffold"])
def test_pages_builds_strict_from_full_history_and_deploys_with_least_privilege(
        scaffold: Path, which: str) -> None:
    path = (OWN_WORKFLOWS / "pages.yml" if which == "own"
            else scaffold / ".github" / "workflows" / "okr-pages.yml")
    pages = _load(path)

    assert pages["on"]["push"]["branches"] == ["main"]
    assert pages["permissions"] == {"contents": "read"}
    assert pages["concurrency"]["group"] == "pages"
    build, deploy = pages["jobs"]["build"], pages["jobs"]["deploy"]
    assert "permissions" not in build
    if which == "own":  # the demo's history is its story, replayed (issue 14)
        assert "python demo/replay.py build/demo-repo" in _runs(pages)
    else:
        assert [c["with"]["fetch-depth"] for c in _checkouts(pages)] == [0]
    assert "mkdocs build --strict" in _runs(pages)
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith(
        "actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"] for s in deploy["steps"]] == ["actions/deploy-pages@v4"]


def test_review_comments_once_and_annotates(scaffold: Path) -> None:
    review = _load(scaffold / ".github" / "workflows" / "okr-review.yml")

    assert set(review["on"]) == {"pull_request"}
    assert set(review["on"]["pull_request"]["paths"]) == {"okrs/**", ".okrkit.yaml"}
    assert review["permissions"] == {"contents": "read", "pull-requests": "write"}
    assert [c["with"]["fetch-depth"] for c in _checkouts(review)] == [0]
    runs = _runs(review)
    assert "okr review HEAD^1 HEAD" in runs
    assert '>> "$GITHUB_STEP_SUMMARY"' in runs
    assert "okr lint --format github" in runs
    script = next(s for s in _steps(review) if "github-script" in s.get("uses", ""))
    code = script["with"]["script"]
    assert '"<!-- okrkit-diff -->"' in code
    assert "updateComment" in code and "createComment" in code
    # the lint step comes last: failing findings must not keep the comment from being posted
    assert list(_steps(review))[-1]["run"] == "okr lint --format github"


def test_stale_report_keeps_one_issue(scaffold: Path) -> None:
    stale = _load(scaffold / ".github" / "workflows" / "okr-stale.yml")

    assert {"schedule", "workflow_dispatch"} <= set(stale["on"])
    assert stale["on"]["schedule"][0]["cron"].split()[-1] == "1"  # weekly, on Mondays
    assert stale["permissions"] == {"contents": "read", "issues": "write"}
    assert [c["with"]["fetch-depth"] for c in _checkouts(stale)] == [0]
    runs = _runs(stale)
    assert "okr review --stale" in runs
    assert '>> "$GITHUB_STEP_SUMMARY"' in runs
    script = next(s for s in _steps(stale) if "github-script" in s.get("uses", ""))
    code = script["with"]["script"]
    assert '"<!-- okrkit-stale -->"' in code
    assert "issues.update" in code and "issues.create" in code


def test_markers_match_what_okr_review_prints(scaffold: Path) -> None:
    from okrkit.commands.review import DIFF_MARKER, STALE_COUNT, STALE_MARKER

    review = (scaffold / ".github/workflows/okr-review.yml").read_text(encoding="utf-8")
    stale = (scaffold / ".github/workflows/okr-stale.yml").read_text(encoding="utf-8")
    assert f'"{DIFF_MARKER}"' in review
    assert f'"{STALE_MARKER}"' in stale
    # the script's pattern for the count line matches the line okr review prints
    assert STALE_COUNT.format(count=r"(\d+)") in stale


# -- the github-script steps, run by node against a stand-in for GitHub's API ----

HARNESS = REPO_ROOT / "tests" / "resources" / "init" / "github-script-harness.cjs"


@pytest.fixture(scope="module")
def node() -> str:
    found = shutil.which("node")
    if found is None:
        skip_or_fail("node is missing: the github-script tests need Node.js")
    return found


def _script(workflow: Path) -> str:
    step = next(s for s in _steps(_load(workflow)) if "github-script" in s.get("uses", ""))
    return str(step["with"]["script"])


def _run_script(node: str, script: str, state: dict[str, Any], tmp_path: Path,
                env: dict[str, str]) -> dict[str, Any]:
    import json

    script_file, state_file = tmp_path / "script.js", tmp_path / "state.json"
    script_file.write_text(script, encoding="utf-8")
    state_file.write_text(json.dumps(state), encoding="utf-8")
    result = subprocess.run([node, str(HARNESS), str(script_file), str(state_file)],
                            capture_output=True, text=True, env={**os.environ, **env},
                            check=False)
    assert result.returncode == 0, result.stderr
    new_state: dict[str, Any] = json.loads(state_file.read_text(encoding="utf-8"))
    return new_state


def test_review_comment_is_created_once_then_updated(node: str, scaffold: Path,
                                                     tmp_path: Path) -> None:
    script = _script(scaffold / ".github/workflows/okr-review.yml")
    body = (REPO_ROOT / "tests/resources/init/pr-comment.en.md").read_text(encoding="utf-8")
    review_file = tmp_path / "okr-review.md"
    # a person quoting the marker in their own comment: never edited by the bot
    human = {"id": 100, "issue_number": 7, "body": "> <!-- okrkit-diff -->\nLooks good",
             "user": {"login": "mei", "type": "User"}}
    state: dict[str, Any] = {"comments": [human], "issues": [], "next": 1}

    review_file.write_text(body, encoding="utf-8")
    state = _run_script(node, script, state, tmp_path, {"REVIEW_FILE": str(review_file)})
    assert state["calls"] == ["listComments", "createComment"]
    pushed = body.replace("<sub>", "A second push.\n\n<sub>")  # the next push's comment
    review_file.write_text(pushed, encoding="utf-8")
    state = _run_script(node, script, state, tmp_path, {"REVIEW_FILE": str(review_file)})

    assert state["calls"] == ["listComments", "updateComment"]
    bots = [c for c in state["comments"] if c["user"]["type"] == "Bot"]
    assert [c["body"] for c in bots] == [pushed]
    assert state["comments"][0] == human


def _stale_bodies(git_repo: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """Real `okr review --stale` reports: three key results overdue, then none."""
    from okrkit.commands.review import stale_report
    from okrkit.config import load_config

    resources = REPO_ROOT / "tests/resources/init/review"
    shutil.copytree(resources / "base" / "okrs", git_repo.path / "okrs")
    git_repo.commit("marketing: 2026-Q1 計畫", date="2026-01-01T10:00:00+08:00")
    monkeypatch.chdir(git_repo.path)
    config, _ = load_config(git_repo.path)
    overdue = stale_report(config, lang="en", today=dt.date(2026, 2, 10))
    shutil.rmtree(git_repo.path / "okrs")
    shutil.copytree(resources / "head" / "okrs", git_repo.path / "okrs")
    git_repo.commit("marketing: 二月進度更新", date="2026-02-09T10:00:00+08:00")
    return overdue, stale_report(config, lang="en", today=dt.date(2026, 2, 10))


def test_stale_issue_is_opened_updated_closed_and_reopened(
        node: str, scaffold: Path, tmp_path: Path, git_repo: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    script = _script(scaffold / ".github/workflows/okr-stale.yml")
    overdue, clean = _stale_bodies(git_repo, monkeypatch)
    report = tmp_path / "okr-stale.md"
    env = {"REPORT_FILE": str(report), "LABEL": "okr-check-in"}
    state: dict[str, Any] = {"comments": [], "issues": [], "next": 1}

    def week(body: str) -> dict[str, Any]:
        report.write_text(body, encoding="utf-8")
        return _run_script(node, script, state, tmp_path, env)

    state = week(clean)  # nobody owes a check-in and there is no issue: nothing happens
    assert state["issues"] == [] and state["calls"] == ["listForRepo"]
    state = week(overdue)
    assert [(i["title"], i["state"], i["labels"]) for i in state["issues"]] == [
        ("OKR check-ins due: 3 key result(s), 2 owner(s)", "open", ["okr-check-in"])]
    assert state["labels"] == ["okr-check-in"]
    state = week(overdue)
    assert state["calls"] == ["listForRepo", "update"] and len(state["issues"]) == 1
    state = week(clean)
    assert [(i["title"], i["state"]) for i in state["issues"]] == [
        ("OKR check-ins: everybody is up to date", "closed")]
    state = week(overdue)
    assert [i["state"] for i in state["issues"]] == ["open"]  # the same issue, reopened
    assert state["issues"][0]["body"] == overdue


def test_measure_runs_daily_as_the_one_writer_with_secrets_as_env(scaffold: Path) -> None:
    measure = _load(scaffold / ".github" / "workflows" / "okr-measure.yml")

    assert {"schedule", "workflow_dispatch"} <= set(measure["on"])
    assert measure["on"]["schedule"][0]["cron"].split()[2:] == ["*", "*", "*"]  # daily
    assert measure["permissions"] == {"contents": "write"}
    assert measure["concurrency"] == {"group": "okr-write", "cancel-in-progress": False}
    steps = list(_steps(measure))
    # off until a sheet has measure: the first step after checkout looks, all else waits
    detect = steps[1]
    assert "measure:" in detect["run"] and detect["id"] == "detect"
    assert all(s.get("if") == "steps.detect.outputs.found == 'true'" for s in steps[2:])
    run = steps[-1]
    assert "okr measure --commit" in run["run"]
    # secrets reach okr measure as environment variables, never in the script's text
    assert all(v.startswith("${{ secrets.") for v in run["env"].values())
    assert "secrets." not in run["run"]


@pytest.mark.parametrize(("sheet", "found"), [
    ("key_results:\n  - id: a\n    measure:\n      from: csv\n", True),
    ("key_results:\n  - {id: a, measure: {from: sql, url: 'env:DB', query: x}}\n", True),
    ("key_results:\n  - id: a\n    title: how we measure: nothing here\n", True),
    ("key_results:\n  - id: a\n    title: measured by hand\n", False),
])
def test_measure_stays_off_until_a_sheet_has_measure(scaffold: Path, tmp_path: Path,
                                                      sheet: str, found: bool) -> None:
    detect = list(_steps(_load(scaffold / ".github/workflows/okr-measure.yml")))[1]["run"]
    (tmp_path / "okrs" / "2026-Q1").mkdir(parents=True)
    (tmp_path / "okrs" / "2026-Q1" / "marketing.yaml").write_text(sheet, encoding="utf-8")
    output, summary = tmp_path / "output", tmp_path / "summary"
    result = subprocess.run(["bash", "-e", "-c", detect], cwd=tmp_path, check=False,
                            capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "GITHUB_OUTPUT": str(output),
                                 "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 0, result.stderr
    written = output.read_text() if output.exists() else ""
    assert (written == "found=true\n") is found
    assert ("nothing to measure" in (summary.read_text() if summary.exists() else "")) \
        is not found
def test_release_builds_once_checks_and_publishes_with_trusted_publishing() -> None:
    release = _load(OWN_WORKFLOWS / "release.yml")

    assert release["on"] == {"push": {"tags": ["v*"]}}
    assert release["permissions"] == {"contents": "read"}
    build, pypi, github = (release["jobs"][j] for j in ("build", "pypi", "github-release"))
    runs = "\n".join(s.get("run", "") for s in build["steps"])
    assert "python -m build" in runs and "twine check --strict dist/*" in runs
    assert "permissions" not in build  # the build reads only
    assert pypi["needs"] == github["needs"] == "build"
    # no token: PyPI trusts the workflow's OIDC identity, in a protected environment
    assert pypi["permissions"] == {"id-token": "write"}
    assert pypi["environment"]["name"] == "pypi"
    assert [s["uses"] for s in pypi["steps"]][-1] == "pypa/gh-action-pypi-publish@release/v1"
    assert not any("password" in s.get("with", {}) for s in pypi["steps"])
    assert github["permissions"] == {"contents": "write"}
    assert "gh release create \"$TAG\" dist/*" in github["steps"][-1]["run"]
