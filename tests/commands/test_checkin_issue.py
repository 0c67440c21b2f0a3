"""`okr checkin --from-issue EVENT.json [--push]`: a check-in from a GitHub issue form, run
against real git repositories with a bare repository as `origin`.

The event files are shaped exactly like GitHub's `issues` webhook payload
(tests/resources/checkin/issues-opened.json, a real payload's fields with our
values); `edited` adds GitHub's `changes` member. Nothing here talks to GitHub.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from gitrepo import GitRepo
from okrkit.cli import main

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
SMALL = RESOURCES / "small"
PAYLOAD = json.loads((RESOURCES / "checkin" / "issues-opened.json").read_text(encoding="utf-8"))
Q1 = "okrs/2026-Q1/marketing.yaml"
SALES = "okrs/2026-Q1/sales.yaml"
REF = "2026-Q1/marketing/brand-awareness/unique-visitors"
ORG = """\
name: Small Co
strategy:
  - id: brand
    title: 品牌知名度
teams:
  - id: marketing
    name: 行銷部
    lead: mei
    members: [kai]
  - id: sales
    name: 業務部
    lead: wei
people:
  - id: mei
    name: 王美玲
    email: mei@example.com
    github: mei-wang
  - id: kai
    github: kai-lin
  - id: wei
"""


def form(kr: str = REF, value: str = "55500", confidence: str = "0.7",
         note: str = "_No response_", *, lang: str = "en") -> str:
    """An issue body as GitHub renders a submitted issue form."""
    labels = (("Key result", "Value", "Confidence", "Note") if lang == "en"
              else ("關鍵結果", "數值", "信心指數", "備註"))
    return "".join(f"### {label}\n\n{text}\n\n"
                   for label, text in zip(labels, (kr, value, confidence, note), strict=True)
                   ).rstrip("\n")


def event(path: Path, body: str, *, action: str = "opened", login: str = "mei-wang",
          user_id: int = 583231, association: str = "MEMBER", number: int = 7) -> Path:
    payload: dict[str, Any] = copy.deepcopy(PAYLOAD)
    payload["action"] = action
    issue = payload["issue"]
    issue.update(number=number, body=body, author_association=association)
    issue["user"].update(login=login, id=user_id)
    payload["sender"].update(login=login, id=user_id)
    if action == "edited":
        payload["changes"] = {"body": {"from": form(value="1")}}
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return path


class Origin:
    """A bare `origin`, the workflow's clone of it (the current directory), and a second
    clone for someone else's pushes."""

    def __init__(self, tmp_path: Path, template: Path | None = None) -> None:
        self.tmp = tmp_path
        self.bare = tmp_path / "origin.git"
        if template is not None:  # a copy of a module's first one: git runs 10 times less
            shutil.copytree(template / "origin.git", self.bare, symlinks=True)
            shutil.copytree(template / "work", tmp_path / "work", symlinks=True)
            config = tmp_path / "work" / ".git" / "config"
            config.write_text(config.read_text(encoding="utf-8").replace(
                str(template / "origin.git"), str(self.bare)), encoding="utf-8")
            self.work = self._repo(tmp_path / "work")
            return
        subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(self.bare)], check=True)
        seed = GitRepo(tmp_path / "seed")
        shutil.copytree(SMALL / "okrs", seed.path / "okrs")
        seed.write("okrs/org.yaml", ORG)
        seed.commit("okrs: start 2026-Q1", date="2026-01-05T10:00:00+08:00")
        seed.git("push", "-q", str(self.bare), "main")
        self.work = self._clone("work")

    @staticmethod
    def _repo(path: Path) -> GitRepo:
        repo = GitRepo.__new__(GitRepo)
        repo.path = path
        return repo

    def _clone(self, name: str) -> GitRepo:
        dest = self.tmp / name
        subprocess.run(["git", "clone", "-q", str(self.bare), str(dest)], check=True)
        return self._repo(dest)

    def other_push(self, relpath: str, old: str, new: str) -> str:
        """Someone else edits a sheet and pushes it (after the workflow's checkout)."""
        other = self._clone(f"other-{len(list(self.tmp.glob('other-*')))}")
        path = other.path / relpath
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
        sha = other.commit("checkin(sales): someone else", author="Wei <wei@example.com>",
                           date="2026-02-14T09:00:00+08:00")
        other.git("push", "-q", "origin", "main")
        return sha

    def log(self, ref: str = "main", fmt: str = "%an <%ae>|%s") -> list[str]:
        out = subprocess.run(["git", "-C", str(self.bare), "log", "--format=" + fmt, ref],
                             capture_output=True, text=True, check=True).stdout
        return out.splitlines()

    def show(self, relpath: str, ref: str = "main") -> str:
        return subprocess.run(["git", "-C", str(self.bare), "show", f"{ref}:{relpath}"],
                              capture_output=True, text=True, check=True).stdout

    def branches(self) -> list[str]:
        return subprocess.run(["git", "-C", str(self.bare), "branch", "--format=%(refname:short)"],
                              capture_output=True, text=True, check=True).stdout.split()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("origin-template")
    Origin(root)
    return root


@pytest.fixture
def origin(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Origin:
    found = Origin(tmp_path, template)
    monkeypatch.chdir(found.work.path)
    monkeypatch.setenv("OKR_TODAY", "2026-02-14")
    # the workflow's committer; the author comes from the issue
    monkeypatch.setenv("GIT_COMMITTER_NAME", "github-actions[bot]")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL",
                       "41898282+github-actions[bot]@users.noreply.github.com")
    return found


def run(capsys: pytest.CaptureFixture[str], path: Path, *args: str
        ) -> tuple[int, dict[str, Any], str]:
    code = main(["checkin", "--from-issue", str(path), "--format", "json", *args])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def test_an_en_form_lands_on_origin_as_the_issue_author_with_the_trailer(
        origin: Origin, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = origin.log()
    path = event(tmp_path / "event.json", form(note="GA, February"))

    code, outcome, _ = run(capsys, path, "--push")

    assert code == 0, outcome
    assert outcome["outcome"] == "ok" and outcome["lang"] == "en"
    assert origin.log()[1:] == before
    assert origin.log()[0] == ("王美玲 <mei@example.com>|checkin(marketing/unique-visitors): "
                               "53000 → 55500, confidence 0.6 → 0.7")
    body = origin.log(fmt="%B")
    assert "OKR-Checkin-Issue: #7" in body
    trailers = origin.log(fmt="%(trailers:only,unfold)")
    assert trailers[0] == "OKR-Checkin-Issue: #7"
    committer = origin.log(fmt="%cn")[0]
    assert committer == "github-actions[bot]"
    sheet = origin.show(Q1)
    assert "current: 55500   # GA, 一月" in sheet and "confidence: 0.7" in sheet
    assert "notes: GA, February" in sheet
    assert outcome["commit"] == origin.log(fmt="%H")[0]
    assert outcome["commit_url"] == f"https://github.com/acme/okrs/commit/{outcome['commit']}"
    assert outcome["progress"] == {"old": "30%", "new": "55%"}
    assert outcome["status"] == "on_track"
    assert outcome["changes"][0] == {"field": "current", "old": "53000", "new": "55500"}
    comment = outcome["comment"]
    assert comment.startswith("<!-- okrkit-checkin -->\n✅ Check-in recorded for")
    assert "| Current | 53000 → **55500** |" in comment
    assert "| Progress | 30% → **55%** |" in comment
    assert f"[`{outcome['commit'][:7]}`]({outcome['commit_url']})" in comment


def test_an_edited_zh_tw_form_without_a_person_uses_the_noreply_address(
        origin: Origin, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = form("marketing/social-followers", "29,100", "不變", "二月:活動帶來新粉絲", lang="zh-TW")
    path = event(tmp_path / "event.json", body, action="edited", login="ann-lee", user_id=99,
                 association="COLLABORATOR", number=12)

    code, outcome, _ = run(capsys, path, "--push")

    assert code == 0, outcome
    assert outcome["lang"] == "zh-TW"
    assert origin.log()[0] == ("ann-lee <99+ann-lee@users.noreply.github.com>|"
                               "checkin(marketing/social-followers): 28000 → 29100")
    assert "OKR-Checkin-Issue: #12" in origin.log(fmt="%B")
    sheet = origin.show(Q1)
    assert "current: 29100" in sheet and "notes: 二月:活動帶來新粉絲" in sheet
    assert outcome["comment"].startswith("<!-- okrkit-checkin -->\n✅ 已記錄")
    assert "| 目前值 | 28000 → **29100** |" in outcome["comment"]
    assert "信心指數" not in outcome["comment"]  # "unchanged" left it alone


def test_a_push_in_between_is_fetched_and_the_checkin_reapplied(
        origin: Origin, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # after the workflow's checkout, two people push: one edits the same sheet, the
    # other the same key result's confidence line
    theirs = origin.other_push(SALES, "current: 4200000", "current: 4300000")
    theirs2 = origin.other_push(Q1, "confidence: 0.6", "confidence: 0.5")
    path = event(tmp_path / "event.json", form(confidence="unchanged"))

    code, outcome, err = run(capsys, path, "--push")

    assert code == 0, (outcome, err)
    assert outcome["attempts"] == 2
    log = origin.log(fmt="%H %s")
    assert [line.split(" ", 1)[0] for line in log[1:3]] == [theirs2, theirs]  # nothing lost
    assert log[0].endswith("checkin(marketing/unique-visitors): 53000 → 55500")
    assert "current: 4300000" in origin.show(SALES)
    sheet = origin.show(Q1)
    assert "current: 55500" in sheet and "confidence: 0.5" in sheet
    # never a force push: the old tip is an ancestor of the new one
    subprocess.run(["git", "-C", str(origin.bare), "merge-base", "--is-ancestor", theirs2,
                    "main"], check=True)
    assert outcome["commit"] == log[0].split(" ", 1)[0]


@pytest.mark.parametrize("association", ["NONE", "CONTRIBUTOR", "FIRST_TIME_CONTRIBUTOR"])
def test_an_author_without_access_is_refused_and_nothing_is_pushed(
        origin: Origin, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        association: str) -> None:
    before = origin.log()
    path = event(tmp_path / "event.json", form(), login="drive-by", association=association)

    code, outcome, _ = run(capsys, path, "--push")

    assert code == 1
    assert outcome["outcome"] == "refused"
    assert outcome["message"]["en"].startswith("@drive-by may not check in here (author "
                                               f"association {association})")
    assert outcome["message"]["zh-TW"].startswith("@drive-by 不能在這裡更新進度")
    assert origin.log() == before
    assert origin.work.git("status", "--porcelain") == ""
    assert outcome["comment"].startswith(
        "<!-- okrkit-checkin -->\n❌ Check-in not recorded: @drive\\-by")
    assert "Edit this issue to try again." in outcome["comment"]


def test_checkin_allow_narrows_and_widens(origin: Origin, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    (origin.work.path / ".okrkit.yaml").write_text(
        "checkin:\n  allow: [team:marketing, ann-lee]\n", encoding="utf-8")
    origin.work.commit("config: check-ins by marketing")
    origin.work.git("push", "-q", "origin", "main")
    cases = [("kai-lin", "CONTRIBUTOR", 0),  # a member of team marketing in org.yaml
             ("ann-lee", "NONE", 0),  # named
             ("wei-chen", "MEMBER", 1)]  # a member of the org, but not allowed here
    for i, (login, association, expected) in enumerate(cases):
        path = event(tmp_path / f"event{i}.json", form(value=str(54000 + i)), login=login,
                     association=association)
        code, outcome, _ = run(capsys, path, "--push")
        assert code == expected, (login, outcome)
    assert "allowed: team:marketing, ann-lee" in outcome["message"]["en"]


@pytest.mark.parametrize(("fields", "message"), [
    ({"value": "lots"}, "'lots' is not a number"),
    ({"value": "0,5"}, "'0,5' is not a number"),
    ({"kr": "unique-visitor"}, "did you mean"),
    ({"kr": "2026-Q1/marketing/no-such-kr"}, "no key result matches"),
    ({"confidence": "1.5"}, "confidence '1.5' is not one of the form's choices"),
    ({"value": "_No response_"}, "the form's field 'Value' is empty"),
])
def test_a_value_that_fails_validation_is_refused_with_the_message(
        origin: Origin, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        fields: dict[str, str], message: str) -> None:
    before = origin.log()
    path = event(tmp_path / "event.json", form(**fields))

    code, outcome, _ = run(capsys, path, "--push")

    assert code == 1, outcome
    assert outcome["outcome"] == "refused"
    assert message in outcome["message"]["en"]
    assert outcome["message"]["zh-TW"] != outcome["message"]["en"]  # both languages
    assert origin.log() == before
    assert origin.work.git("status", "--porcelain") == ""


def test_via_pull_request_pushes_a_branch_and_leaves_main_alone(
        origin: Origin, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (origin.work.path / ".okrkit.yaml").write_text("checkin:\n  via: pull-request\n",
                                                   encoding="utf-8")
    origin.work.commit("config: check-ins by pull request")
    origin.work.git("push", "-q", "origin", "main")
    main_before = origin.log()

    code, outcome, _ = run(capsys, event(tmp_path / "e1.json", form()), "--push")

    assert code == 0, outcome
    assert outcome["via"] == "pull-request" and outcome["branch"] == "okr-checkin/issue-7"
    assert origin.log() == main_before
    assert "okr-checkin/issue-7" in origin.branches()
    assert "current: 55500" in origin.show(Q1, "okr-checkin/issue-7")
    assert "on branch `okr-checkin/issue-7`" in outcome["comment"]

    # the issue is edited: the branch gets a second commit on top (fast-forward, no force)
    origin.work.git("switch", "-q", "main")
    code, outcome, _ = run(capsys, event(tmp_path / "e2.json", form(value="56000"),
                                         action="edited"), "--push")
    assert code == 0, outcome["message"]
    assert [s for s in origin.log("okr-checkin/issue-7", "%s")][:2] == [
        "checkin(marketing/unique-visitors): 55500 → 56000",
        "checkin(marketing/unique-visitors): 53000 → 55500, confidence 0.6 → 0.7"]
    assert origin.log() == main_before


def test_dry_run_writes_nothing(origin: Origin, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    code, outcome, err = run(capsys, event(tmp_path / "e.json", form()), "--dry-run")

    assert code == 0 and outcome["outcome"] == "ok" and outcome["commit"] is None
    assert outcome["changes"][0]["new"] == "55500"
    assert "dry run" in err
    assert origin.work.git("status", "--porcelain") == ""


def test_without_push_the_commit_stays_local(origin: Origin, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    before = origin.log()
    code, outcome, _ = run(capsys, event(tmp_path / "e.json", form()))
    assert code == 0 and outcome["commit"] == origin.work.head()
    assert origin.log() == before


@pytest.mark.parametrize(("content", "message"), [
    (None, "cannot read the event file"),
    (b"{not json", "is not a GitHub `issues` event payload: not JSON"),
    (b"[]", "not a JSON object"),
    (b'{"action": "opened"}', "no dict `issue`"),
])
def test_a_missing_or_broken_event_file_is_exit_2(
        origin: Origin, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        content: bytes | None, message: str) -> None:
    path = tmp_path / "event.json"
    if content is not None:
        path.write_bytes(content)

    code, outcome, _ = run(capsys, path, "--push")

    assert code == 2 and outcome["outcome"] == "failed"
    assert message in outcome["message"]["en"]


def test_text_output_and_usage_errors(origin: Origin, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    ok = event(tmp_path / "ok.json", form(lang="zh-TW", confidence="不變"))
    assert main(["checkin", "--from-issue", str(ok)]) == 0
    assert capsys.readouterr().out == (f"issue #7:{REF}:目前值 53000 → 55500, "
                                       "進度 30% → 55%\n")
    path = event(tmp_path / "e.json", form(value="lots"))
    assert main(["checkin", "--from-issue", str(path)]) == 1
    assert capsys.readouterr().err == ("okr: error: 'lots' is not a number (55500, 55,500, "
                                       "2.6, 12%, NT$7.2萬)\n")
    assert main(["checkin", "--from-issue", str(path), "KR"]) == 2
    assert "takes no KR" in capsys.readouterr().err
    assert main(["checkin", "--from-issue", str(path), "--batch", "x.csv"]) == 2
    assert "okr checkin --from-issue takes no --batch" in capsys.readouterr().err
    assert main(["checkin", "--from-issue", str(path), "--allow-backwards"]) == 2
    assert "okr checkin --from-issue takes no --allow-backwards" in capsys.readouterr().err
    assert main(["checkin", "--from-issue", str(path), "--commit", "--lang", "zh-TW"]) == 2
    assert "--from-issue 一定會 commit" in capsys.readouterr().err
    assert main(["checkin", "unique-visitors", "1", "--push"]) == 2
    assert "--push: only with --from-issue" in capsys.readouterr().err
    assert main(["checkin"]) == 2
    assert capsys.readouterr().err == ("okr checkin: error: the following arguments are "
                                       "required: KR, VALUE\n")


# -- hostile input in every field --------------------------------------------------------------

HOSTILE = [
    "$(touch pwned)",
    "`touch pwned`",
    '"; rm -rf ~; "',
    "55500\n  target: 1",
    "<script>alert(1)</script> **bold** [x](javascript:alert(1))",
    "../../etc/passwd",
    "2026-Q1/../../../etc/passwd",
]


def _files(root: Path) -> set[Path]:
    """Every file outside git's own folders."""
    return {p for p in root.rglob("*") if not any(part.endswith(".git") for part in p.parts)}


@pytest.mark.parametrize("field", ["kr", "value", "confidence", "note"])
@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_is_refused_or_kept_as_inert_text(
        origin: Origin, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        field: str, text: str) -> None:
    before = origin.log()
    work = origin.work.path
    path = event(tmp_path / "event.json", form(**{field: text}))
    files_before = _files(tmp_path)

    code, outcome, _ = run(capsys, path, "--push")

    files_after = _files(tmp_path)
    assert not list(tmp_path.rglob("pwned")) and not (Path.home() / "pwned").exists()
    assert files_after == files_before  # nothing outside the OKR tree appeared
    changed = origin.work.git("show", "--name-only", "--format=", "HEAD").split()
    if field == "note":  # accepted: the note is stored as typed, one value
        assert code == 0, outcome
        assert changed == [Q1]
        from okrkit import yamlload

        doc, findings = yamlload.load_text(Q1, (work / Q1).read_text(encoding="utf-8"))
        assert findings == [] and doc is not None
        kr = doc.data["objectives"][0]["key_results"][0]
        assert kr["notes"] == " ".join(text.split("\n")) or kr["notes"] == text
        assert kr["target"] == 60000
        assert "<script>" not in outcome["comment"]  # escaped in the comment
    else:
        assert code == 1, outcome
        assert origin.log() == before
        assert "target: 1" not in (work / Q1).read_text(encoding="utf-8")
    assert origin.work.git("status", "--porcelain") == ""


def test_a_1_mb_body_is_refused(origin: Origin, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    before = origin.log()
    path = event(tmp_path / "event.json", form(note="x" * 1_000_000))

    code, outcome, _ = run(capsys, path, "--push")

    assert code == 1
    assert "a check-in form holds at most 65536" in outcome["message"]["en"]
    assert origin.log() == before


def test_a_form_section_given_twice_is_refused(origin: Origin, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    # a note that tries to override the value
    path = event(tmp_path / "event.json", form(note="fine\n\n### Value\n\n1"))
    code, outcome, _ = run(capsys, path, "--push")
    assert code == 1
    assert outcome["message"]["en"] == "the form's section '### Value' appears more than once"


def test_a_push_the_remote_refuses_is_a_failure_exit_2(origin: Origin, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    hook = origin.bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'GH006: Protected branch update failed' >&2\nexit 1\n",
                    encoding="utf-8")
    hook.chmod(0o755)
    before = origin.log()

    code, outcome, _ = run(capsys, event(tmp_path / "e.json", form()), "--push")

    assert code == 2 and outcome["outcome"] == "failed"
    assert "GH006: Protected branch update failed" in outcome["message"]["en"]
    assert outcome["comment"].startswith("<!-- okrkit-checkin -->\n⚠️ Check-in not recorded")
    assert origin.log() == before


def test_a_shallow_checkout_as_in_ci_is_rebased_over_too(
        origin: Origin, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # actions/checkout clones one commit deep; someone pushes before the job does
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin.bare}",
                    str(shallow)], check=True)
    theirs = origin.other_push(SALES, "current: 4200000", "current: 4300000")
    monkeypatch.chdir(shallow)

    code, outcome, err = run(capsys, event(tmp_path / "e.json", form()), "--push")

    assert code == 0, (outcome, err)
    assert outcome["attempts"] == 2
    log = origin.log(fmt="%H %s")
    assert log[1].split(" ", 1)[0] == theirs
    assert log[0].endswith("53000 → 55500, confidence 0.6 → 0.7")


def test_a_bad_checkin_setting_is_a_failure_naming_the_config(
        origin: Origin, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (origin.work.path / ".okrkit.yaml").write_text("checkin:\n  via: fork\n", encoding="utf-8")

    code, outcome, _ = run(capsys, event(tmp_path / "e.json", form()), "--push")

    assert code == 2 and outcome["outcome"] == "failed"
    assert outcome["message"]["en"].startswith(".okrkit.yaml:2:8")
    assert "fork" in outcome["message"]["en"]


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_a_backwards_value_is_refused_until_the_confirm_box_is_ticked(
        origin: Origin, tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str) -> None:
    before = origin.log()
    labels = {"en": ("Confirm", "This value moves backwards on purpose"),
              "zh-TW": ("確認", "這個數值確實往反方向移動")}[lang]
    unticked = form(value="5", confidence="0.7" if lang == "en" else "不變", lang=lang) + \
        f"\n\n### {labels[0]}\n\n- [ ] {labels[1]}"
    code, outcome, _ = run(capsys, event(tmp_path / "event.json", unticked), "--push")

    assert code == 1 and outcome["outcome"] == "refused"
    assert outcome["message"]["en"] == (
        f"{REF}: the value would move backwards (53000 → 5) while the key result should go "
        "up: check the key result and the value; if the value is right, tick \"This value "
        "moves backwards on purpose\" in the form and save the issue")
    assert outcome["message"]["zh-TW"] == (
        f"{REF}:數值將往反方向移動(53000 → 5),這個關鍵結果應該上升:請確認關鍵結果與數值;"
        "若數值正確,請在表單中勾選「這個數值確實往反方向移動」後儲存 issue")
    assert "❌" in outcome["comment"] and labels[1] in outcome["comment"]  # how to confirm
    assert origin.log() == before and origin.work.git("status", "--porcelain") == ""

    ticked = unticked.replace("- [ ]", "- [X]")
    code, outcome, _ = run(capsys, event(tmp_path / "event.json", ticked, action="edited"),
                           "--push")
    assert code == 0, outcome
    assert origin.log()[0].endswith("checkin(marketing/unique-visitors): 53000 → 5" +
                                    (", confidence 0.6 → 0.7" if lang == "en" else ""))


def test_a_form_from_before_the_confirm_box_takes_a_backwards_value_as_it_did(
        origin: Origin, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A repository whose issue form predates the box: refusing would leave its people no
    way to record a correction, so the value goes in, as it always did."""
    code, outcome, _ = run(capsys, event(tmp_path / "event.json", form(value="5")), "--push")
    assert code == 0, outcome
    assert origin.log()[0].endswith("checkin(marketing/unique-visitors): 53000 → 5, "
                                    "confidence 0.6 → 0.7")


@pytest.mark.parametrize(("value", "current"), [("NT$450萬", "4500000"), ("4,600,000", "4600000"),
                                                ("460萬元", "4600000")])
def test_the_form_takes_the_value_as_you_would_say_it(
        origin: Origin, tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str,
        current: str) -> None:
    path = event(tmp_path / "event.json",
                 form("2026-Q1/sales/increase-sales/quarter-revenue", value, lang="zh-TW"))

    code, outcome, _ = run(capsys, path, "--push")

    assert code == 0, outcome
    assert f"current: {current}" in origin.show(SALES)


def test_a_unit_the_key_result_has_not_is_refused_in_both_languages(
        origin: Origin, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = origin.log()
    path = event(tmp_path / "event.json",
                 form("2026-Q1/sales/increase-sales/quarter-revenue", "45%"))

    code, outcome, _ = run(capsys, path, "--push")

    assert code == 1 and outcome["outcome"] == "refused"
    assert outcome["message"] == {
        "en": "'45%' has the unit '%', but the key result's unit is 'NT$'",
        "zh-TW": "「45%」的單位是「%」,但關鍵結果的單位是「NT$」"}
    assert origin.log() == before
