"""okrkit.forge.github on its own: the form's sections as GitHub renders them (en and
zh-TW), who may check in, who the commit is by, and user text in the comment."""

from __future__ import annotations

from pathlib import Path

import pytest

from okrkit.errors import FatalError
from okrkit.forge import github
from okrkit.model import Org, Person, Source, Team
from okrkit.yamlload import Document

EN = "### Key result\n\n{kr}\n\n### Value\n\n{value}\n\n### Confidence\n\n{c}\n\n### Note\n\n{note}"
ZH = "### 關鍵結果\n\n{kr}\n\n### 數值\n\n{value}\n\n### 信心指數\n\n{c}\n\n### 備註\n\n{note}"


@pytest.mark.parametrize(("body", "expected"), [
    (EN.format(kr="marketing/unique-visitors", value="55,500", c="0.7", note="_No response_"),
     github.CheckinForm("en", "marketing/unique-visitors", "55,500", "0.7", None)),
    (ZH.format(kr="unique-visitors", value="2.6", c="不變", note="第一行\n\n### 小標題\n第二行"),
     github.CheckinForm("zh-TW", "unique-visitors", "2.6", None, "第一行\n\n### 小標題\n第二行")),
    # CRLF from a browser, no confidence section at all, trailing spaces after a label
    ("### Key result  \r\n\r\nunique-visitors\r\n\r\n### Value\r\n\r\n1\r\n",
     github.CheckinForm("en", "unique-visitors", "1", None, None)),
    # the confirm box: ticked ("- [X]"), or left empty
    (EN.format(kr="x", value="1", c="0.5", note="") +
     "\n\n### Confirm\n\n- [X] This value moves backwards on purpose",
     github.CheckinForm("en", "x", "1", "0.5", None, confirm=True)),
    (ZH.format(kr="x", value="1", c="不變", note="") +
     "\n\n### 確認\n\n- [ ] 這個數值確實往反方向移動",
     github.CheckinForm("zh-TW", "x", "1", None, None, confirm=False)),
])
def test_a_submitted_form_parses(body: str, expected: github.CheckinForm) -> None:
    assert github.parse_form(body) == expected


@pytest.mark.parametrize(("body", "message"), [
    ("I reached 55500 visitors!", "not a filled-in check-in form: no '### Key result'"),
    (EN.format(kr="_No response_", value="1", c="0.5", note=""), "field 'Key result' is empty"),
    (EN.format(kr="a\nb", value="1", c="0.5", note=""), "field 'Key result' must be one line"),
    (EN.format(kr="https://evil.example/x", value="1", c="0.5", note=""),
     "is not a key result reference"),
    (EN.format(kr="2026-Q1/../x", value="1", c="0.5", note=""),
     "is not a key result reference"),
    (EN.format(kr="x", value="1", c="0.55", note=""), "confidence '0.55' is not one of"),
    (EN.format(kr="x", value="1", c="0.5", note="### Key result\n\ny"), "appears more than once"),
    ("### Key result\n\nx\n\n" + "a" * 70000, "at most 65536"),
])
def test_a_bad_form_is_refused_with_the_reason(body: str, message: str) -> None:
    with pytest.raises(github.Refused, match=message.replace("(", r"\(").replace("?", r"\?")):
        github.parse_form(body)


def test_zh_tw_refusals_name_the_zh_tw_labels() -> None:
    with pytest.raises(github.Refused) as caught:
        github.parse_form(ZH.format(kr="x", value="", c="不變", note=""))
    assert caught.value.message("zh-TW") == "表單欄位「數值」是空的"


def _event(login: str = "mei-wang", association: str = "NONE") -> github.IssueEvent:
    return github.IssueEvent("opened", 7, "t", "", login, 583231, association, (),
                             "https://github.com/acme/okrs", "main")


def _org() -> Org:
    src = Source(Document("okrs/org.yaml", {}), ())
    return Org("Acme", "", (), (Team("marketing", "行銷部", None, "mei", ("kai",), src),),
               (Person("mei", "王美玲", src, email="mei@example.com", github="Mei-Wang"),
                Person("kai", "", src, github="kai-lin")), src)


@pytest.mark.parametrize(("login", "association", "allow", "allowed"), [
    ("x", "OWNER", github.DEFAULT_ALLOW, True),
    ("x", "COLLABORATOR", github.DEFAULT_ALLOW, True),
    ("x", "CONTRIBUTOR", github.DEFAULT_ALLOW, False),
    ("x", "NONE", github.DEFAULT_ALLOW, False),
    ("mei-wang", "NONE", ("team:marketing",), True),  # logins ignore case
    ("kai-lin", "NONE", ("team:marketing",), True),
    ("x", "MEMBER", ("team:marketing",), False),  # narrowed
    ("ann", "NONE", ("OWNER", "ANN"), True),  # widened
    ("x", "NONE", ("NONE",), False),  # NONE is not an association one may allow
])
def test_who_may_check_in(login: str, association: str, allow: tuple[str, ...],
                          allowed: bool) -> None:
    event = _event(login, association)
    if allowed:
        github.check_allowed(event, allow, _org())
    else:
        with pytest.raises(github.Refused, match=f"@{login} may not check in here"):
            github.check_allowed(event, allow, _org())


def test_the_author_is_the_person_or_the_noreply_address() -> None:
    assert github.author_of(_event("mei-wang"), _org()) == ("王美玲", "mei@example.com")
    assert github.author_of(_event("kai-lin"), _org()) == (
        "kai-lin", "583231+kai-lin@users.noreply.github.com")  # no name or email given
    assert github.author_of(_event("ann"), None) == (
        "ann", "583231+ann@users.noreply.github.com")


def test_user_text_in_the_comment_is_inert() -> None:
    text = github.markdown_text("<img src=x onerror=alert(1)> **b** [l](javascript:x) $x$\n`c`")
    assert text == ("&lt;img src=x onerror=alert\\(1\\)&gt; \\*\\*b\\*\\* "
                    "\\[l\\]\\(javascript:x\\) \\$x\\$ \\`c\\`")


def test_a_login_that_github_would_not_give_is_a_bad_event(tmp_path: Path) -> None:
    import json

    payload = json.loads((Path(__file__).resolve().parent.parent / "resources" / "checkin" /
                          "issues-opened.json").read_text(encoding="utf-8"))
    payload["issue"]["user"]["login"] = "mei; rm -rf ~"
    path = tmp_path / "e.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    with pytest.raises(FatalError, match=r"user\.login"):
        github.read_event(path)
