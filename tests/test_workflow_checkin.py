"""The check-in issue form and the okr-checkin workflow that `okr init` writes.

The form's fields are what `okr checkin --from-issue` parses (both languages); the
workflow keeps least privilege, one check-in at a time and issue text out of its
shell; its github-script step, run by node against the in-memory stand-in for
GitHub's REST API (tests/resources/init/github-script-harness.cjs: the network is
the one thing replaced), answers with the comment that a real `okr checkin
--from-issue` run on the scaffolded repository printed, then closes the issue, or
labels it okr-check-in-failed, or opens the pull request.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from okrkit.forge import github
from test_workflows import _load, _run_script, _runs, _script, _steps, node, scaffold

__all__ = ["node", "scaffold"]  # the fixtures, shared with test_workflows

PAYLOAD = Path(__file__).resolve().parent / "resources" / "checkin" / "issues-opened.json"


def _form(scaffold: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        (scaffold / ".github/ISSUE_TEMPLATE/okr-checkin.yml").read_text(encoding="utf-8"))
    return data


def _lang(scaffold: Path) -> str:
    return "zh-TW" if "zh-TW" in scaffold.name else "en"


def test_the_form_has_the_field_ids_and_labels_the_parser_reads(scaffold: Path) -> None:
    form, lang = _form(scaffold), _lang(scaffold)
    fields = {f["id"]: f for f in form["body"] if "id" in f}

    assert list(fields) == ["kr", "value", "confidence", "note", "confirm"]
    assert form["labels"] == [github.LABEL]
    assert {k: f["attributes"]["label"] for k, f in fields.items()} == github.FORM_LABELS[lang]
    assert [f["type"] for f in fields.values()] == ["input", "input", "dropdown", "textarea",
                                                    "checkboxes"]
    assert [o["label"] for o in fields["confirm"]["attributes"]["options"]] == [
        github.CONFIRM_OPTION[lang]]
    assert fields["confidence"]["attributes"]["options"] == [
        github.UNCHANGED[lang], *github.CONFIDENCE_OPTIONS]
    assert fields["confidence"]["attributes"]["default"] == 0
    assert [f["validations"]["required"] for f in list(fields.values())[:4]] == [
        True, True, True, False]
    assert fields["confirm"]["attributes"]["options"][0]["required"] is False
    # a submission as GitHub renders it parses back to what was typed
    labels = github.FORM_LABELS[lang]
    body = (f"### {labels['kr']}\n\nmarketing/unique-visitors\n\n### {labels['value']}\n\n"
            f"55500\n\n### {labels['confidence']}\n\n{github.UNCHANGED[lang]}\n\n"
            f"### {labels['note']}\n\n{github.NO_RESPONSE}")
    assert github.parse_form(body) == github.CheckinForm(
        lang, "marketing/unique-visitors", "55500", None, None)


def test_the_workflow_is_least_privilege_serial_and_keeps_issue_text_out_of_the_shell(
        scaffold: Path) -> None:
    path = scaffold / ".github/workflows/okr-checkin.yml"
    flow = _load(path)

    assert flow["on"] == {"issues": {"types": ["opened", "edited"]}}
    assert flow["permissions"] == {"contents": "write", "issues": "write"}
    assert flow["concurrency"] == {"group": "okr-write", "cancel-in-progress": False}
    job = flow["jobs"]["checkin"]
    assert "contains(github.event.issue.labels.*.name, 'okr-check-in')" in job["if"]
    assert "<!-- okrkit-stale -->" in job["if"]  # the stale report's issue is not a check-in
    runs = _runs(flow)
    assert 'okr checkin --from-issue "$GITHUB_EVENT_PATH" --push --format json' in runs
    for step in _steps(flow):  # no expression at all in a shell line, so no issue text
        assert "${{" not in step.get("run", ""), step
    assert "github.event.issue" not in path.read_text(encoding="utf-8").split("steps:")[1]


# -- the answer on the issue --------------------------------------------------------------------


def _outcome(scaffold: Path, tmp_path: Path, body: str, *, config: str = "",
             association: str = "MEMBER") -> Path:
    """A real `okr checkin --from-issue --push` on a copy of the scaffold with a bare
    origin; the JSON outcome file the workflow's next step reads."""
    import shutil

    work, bare = tmp_path / "work", tmp_path / "origin.git"
    shutil.copytree(scaffold, work)
    if config:
        (work / ".okrkit.yaml").write_text(config, encoding="utf-8")
    env = {**os.environ, "OKR_TODAY": "2026-11-20"}

    def git(*args: str, cwd: Path = work) -> None:
        subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)

    git("init", "-q", "--bare", "-b", "main", str(bare), cwd=tmp_path)
    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "okr: start")
    git("remote", "add", "origin", str(bare))
    git("push", "-q", "origin", "main")
    payload = json.loads(PAYLOAD.read_text(encoding="utf-8"))
    payload["issue"].update(body=body, author_association=association)
    event = tmp_path / "event.json"
    event.write_text(json.dumps(payload), encoding="utf-8")
    out = tmp_path / "okr-checkin.json"
    with out.open("wb") as stdout:
        okr = str(Path(sys.executable).parent / "okr")  # the venv's, whatever PATH says
        subprocess.run([okr, "checkin", "--from-issue", str(event), "--push", "--format", "json"],
                       cwd=work, env=env, stdout=stdout, check=False)
    return out


def _body(scaffold: Path, value: str | None) -> str:
    """The form for the first key result of marketing's sheet; `value` None: its target
    (a value moving backwards would be refused without the confirm box)."""
    labels = github.FORM_LABELS[_lang(scaffold)]
    sheet = next((scaffold / "okrs").glob("*/marketing.yaml"))
    kr = yaml.safe_load(sheet.read_text(encoding="utf-8"))["objectives"][0]["key_results"][0]
    value = str(kr["target"]) if value is None else value
    return (f"### {labels['kr']}\n\nmarketing/{kr['id']}\n\n### {labels['value']}\n\n{value}"
            f"\n\n### {labels['confidence']}\n\n0.8\n\n### {labels['note']}\n\n_No response_")


def _env(scaffold: Path, outcome_file: Path) -> dict[str, str]:
    """The github-script step's `env:` as the runner sets it (the file in our tmp dir)."""
    flow = _load(scaffold / ".github/workflows/okr-checkin.yml")
    step = next(s for s in _steps(flow) if "github-script" in s.get("uses", ""))
    env = {k: str(v) for k, v in step["env"].items() if "${{" not in str(v)}
    return {**env, "OUTCOME_FILE": str(outcome_file)}


def _state() -> dict[str, Any]:
    issue = {"number": 7, "title": "Check-in", "body": "", "labels": ["okr-check-in"],
             "state": "open", "user": {"login": "mei-wang", "type": "User"}}
    return {"comments": [], "issues": [issue], "next": 100,
            "payload": {"repository": {"default_branch": "main"}}}


def test_a_recorded_checkin_is_answered_and_the_issue_closed(
        node: str, scaffold: Path, tmp_path: Path) -> None:
    outcome_file = _outcome(scaffold, tmp_path, _body(scaffold, None))
    outcome = json.loads(outcome_file.read_text(encoding="utf-8"))
    assert outcome["outcome"] == "ok", outcome

    state = _run_script(node, _script(scaffold / ".github/workflows/okr-checkin.yml"),
                        _state(), tmp_path, _env(scaffold, outcome_file))

    assert state["calls"] == ["createLabel", "createComment", "removeLabel", "addLabels",
                              "update"]
    assert [c["body"] for c in state["comments"]] == [outcome["comment"]]
    assert outcome["comment"].startswith(github.COMMENT_MARKER)
    assert outcome["commit"][:7] in outcome["comment"]
    issue = state["issues"][0]
    assert issue["state"] == "closed" and issue["state_reason"] == "completed"
    assert issue["labels"] == ["okr-check-in"]


def test_a_refusal_is_explained_labelled_and_left_open(node: str, scaffold: Path,
                                                      tmp_path: Path) -> None:
    outcome_file = _outcome(scaffold, tmp_path, _body(scaffold, "$(touch pwned)"))
    outcome = json.loads(outcome_file.read_text(encoding="utf-8"))
    assert outcome["outcome"] == "refused"

    state = _run_script(node, _script(scaffold / ".github/workflows/okr-checkin.yml"),
                        _state(), tmp_path, _env(scaffold, outcome_file))

    issue = state["issues"][0]
    assert issue["state"] == "open"
    assert issue["labels"] == ["okr-check-in", "okr-check-in-failed"]
    comment = state["comments"][0]["body"]
    retry = ("Edit this issue to try again." if _lang(scaffold) == "en"
             else "編輯這個 issue 即可重試")
    assert retry in comment
    assert "\\$\\(touch pwned\\)" in comment  # shown as typed, escaped for Markdown
    assert not list(tmp_path.rglob("pwned"))


def test_via_pull_request_opens_one_pull_request(node: str, scaffold: Path,
                                                 tmp_path: Path) -> None:
    outcome_file = _outcome(scaffold, tmp_path, _body(scaffold, None),
                            config="checkin:\n  via: pull-request\n")
    outcome = json.loads(outcome_file.read_text(encoding="utf-8"))
    assert outcome["outcome"] == "ok" and outcome["branch"] == "okr-checkin/issue-7", outcome
    script = _script(scaffold / ".github/workflows/okr-checkin.yml")

    state = _run_script(node, script, _state(), tmp_path, _env(scaffold, outcome_file))

    assert [(p["head"], p["base"], p["state"]) for p in state["pulls"]] == [
        ("okr-checkin/issue-7", "main", "open")]
    assert state["pulls"][0]["body"].startswith("Closes #7\n\n")
    assert "🔀 https://github.com/acme/okrs/pull/" in state["comments"][0]["body"]
    assert state["issues"][0]["state"] == "open"  # merging the pull request closes it
    # the issue is edited and checked in again: the same pull request, not a second one
    state = _run_script(node, script, state, tmp_path, _env(scaffold, outcome_file))
    assert len(state["pulls"]) == 1 and "pulls.create" not in state["calls"]


def test_no_outcome_at_all_still_answers(node: str, scaffold: Path, tmp_path: Path) -> None:
    empty = tmp_path / "okr-checkin.json"
    empty.write_text("", encoding="utf-8")

    state = _run_script(node, _script(scaffold / ".github/workflows/okr-checkin.yml"),
                        _state(), tmp_path, _env(scaffold, empty))

    assert "could not be run" in state["comments"][0]["body"]
    assert "okr-check-in-failed" in state["issues"][0]["labels"]
