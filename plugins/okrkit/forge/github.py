"""GitHub's side of a check-in from an issue: the `issues` event payload, the issue
form's sections, who may check in, who the commit is by, and the comment the
workflow posts (DESIGN, "Check-ins without YAML").

Everything here is text in, data out: no git (that is `okrkit.git`), no network
(the workflow's github-script step talks to GitHub's API), no YAML edit (that is
`okrkit.yamledit` through `okr checkin`). Issue text is data from a stranger: it
is size-capped, parsed by the form's own labels, and never reaches a shell.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from okrkit.errors import FatalError
from okrkit.model import Org

FORM_FILE = "okr-checkin.yml"  # .github/ISSUE_TEMPLATE/<this>, `template=` of the site's link
LABEL = "okr-check-in"
FAILED_LABEL = "okr-check-in-failed"
TRAILER = "OKR-Checkin-Issue"
COMMENT_MARKER = "<!-- okrkit-checkin -->"
NO_RESPONSE = "_No response_"  # what GitHub writes for an optional field left empty
# GitHub caps an issue body at 65,536 characters; a bigger "event" is not GitHub's
MAX_BODY = 65536
MAX_EVENT = 2 << 20  # the body (up to 4 bytes a character) and a few kB of metadata
DEFAULT_ALLOW = ("OWNER", "MEMBER", "COLLABORATOR")
ASSOCIATIONS = frozenset(("OWNER", "MEMBER", "COLLABORATOR", "CONTRIBUTOR"))

# The labels of the form's fields as GitHub renders them (`### <label>`), per language:
# the scaffolded okr-checkin.yml uses exactly these (tests check it).
FORM_LABELS: Mapping[str, Mapping[str, str]] = {
    "en": {"kr": "Key result", "value": "Value", "confidence": "Confidence", "note": "Note",
           "confirm": "Confirm"},
    "zh-TW": {"kr": "關鍵結果", "value": "數值", "confidence": "信心指數", "note": "備註",
              "confirm": "確認"},
}
# the one option of the optional `confirm` checkboxes: a value that moves a key result
# against its direction is refused unless it is ticked (the form cannot pass a flag)
CONFIRM_OPTION: Mapping[str, str] = {"en": "This value moves backwards on purpose",
                                     "zh-TW": "這個數值確實往反方向移動"}
_TICKED_RE = re.compile(r"^[-*][ \t]+\[[xX]\]", re.MULTILINE)
UNCHANGED: Mapping[str, str] = {"en": "unchanged", "zh-TW": "不變"}  # the dropdown's first option
CONFIDENCE_OPTIONS = tuple(f"{i / 10:.1f}" for i in range(11))

_LABEL_TO_FIELD = {label: (field, lang) for lang, labels in FORM_LABELS.items()
                   for field, label in labels.items()}
_HEADING_RE = re.compile(r"^###[ \t]+(.+?)[ \t]*$")
# a key result reference: ids joined by "/", nothing else (no "..", no spaces, no URL)
_REF_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*(?:/[A-Za-z0-9][A-Za-z0-9_-]*){0,3}\Z")
_LOGIN_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(?:\[bot\])?\Z")

MESSAGES: Mapping[str, Mapping[str, str]] = {
    "en": {
        "no-event": "cannot read the event file {path}: {error}",
        "bad-event": "{path} is not a GitHub `issues` event payload: {what}",
        "not-an-issue": "issue #{number} is a pull request, not a check-in issue",
        "action": "the event's action is '{action}': only opened and edited issues check in",
        "too-big": "the issue text is {size} characters long; a check-in form holds at most "
                   "{limit}",
        "not-a-form": "the issue is not a filled-in check-in form: no '### {label}' section "
                      "(open it from the site's \"Check in\" button, or use the OKR check-in "
                      "template)",
        "twice": "the form's section '### {label}' appears more than once",
        "missing": "the form's field '{label}' is empty",
        "one-line": "the form's field '{label}' must be one line",
        "bad-ref": "'{ref}' is not a key result reference such as "
                   "2026-Q1/marketing/brand-awareness/unique-visitors",
        "bad-confidence": "confidence '{value}' is not one of the form's choices ({choices})",
        "not-allowed": "@{login} may not check in here ({why}); ask a maintainer to add you "
                       "to `checkin.allow` in .okrkit.yaml, or to the repository",
        "association": "author association {association}",
        "allowed-list": "allowed: {allowed}",
    },
    "zh-TW": {
        "no-event": "無法讀取事件檔 {path}:{error}",
        "bad-event": "{path} 不是 GitHub `issues` 事件的內容:{what}",
        "not-an-issue": "#{number} 是 pull request,不是進度更新 issue",
        "action": "事件動作是「{action}」:只有新開或編輯的 issue 會更新進度",
        "too-big": "issue 內容有 {size} 個字元;進度更新表單最多 {limit} 個字元",
        "not-a-form": "這個 issue 不是填好的進度更新表單:沒有「### {label}」段落"
                      "(請從網站上的「更新進度」按鈕,或 OKR 進度更新範本開啟)",
        "twice": "表單的「### {label}」段落出現不只一次",
        "missing": "表單欄位「{label}」是空的",
        "one-line": "表單欄位「{label}」只能有一行",
        "bad-ref": "「{ref}」不是關鍵結果代號,例如 "
                   "2026-Q1/marketing/brand-awareness/unique-visitors",
        "bad-confidence": "信心指數「{value}」不是表單的選項之一({choices})",
        "not-allowed": "@{login} 不能在這裡更新進度({why});請維護者把你加入 .okrkit.yaml 的 "
                       "`checkin.allow`,或加入這個儲存庫",
        "association": "身分為 {association}",
        "allowed-list": "允許:{allowed}",
    },
}


class Refused(FatalError):
    """The check-in is refused (exit 1): the form, the author or the value; both languages."""


def refused(key: str, **values: object) -> Refused:
    return Refused(MESSAGES["en"][key].format(**values),
                   zh=MESSAGES["zh-TW"][key].format(**values))


def _fatal(key: str, **values: object) -> FatalError:
    return FatalError(MESSAGES["en"][key].format(**values),
                      zh=MESSAGES["zh-TW"][key].format(**values))


@dataclass(frozen=True, slots=True)
class IssueEvent:
    """What a check-in needs of an `issues` event (GitHub's webhook payload)."""

    action: str
    number: int
    title: str
    body: str
    login: str
    user_id: int
    association: str  # OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE, ...
    labels: tuple[str, ...]
    repo_url: str  # https://github.com/owner/name
    default_branch: str | None


def read_event(path: Path) -> IssueEvent:
    """The event in `path` (`$GITHUB_EVENT_PATH`); FatalError when it cannot be one."""
    shown = str(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise _fatal("no-event", path=shown, error=err.strerror or err) from err
    if len(raw) > MAX_EVENT:
        raise refused("too-big", size=len(raw), limit=MAX_BODY)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise _fatal("bad-event", path=shown, what=f"not JSON ({err})") from err
    if not isinstance(data, dict):
        raise _fatal("bad-event", path=shown, what="not a JSON object")
    issue = _field(data, "issue", dict, shown)
    user = _field(issue, "user", dict, shown)
    repo = _field(data, "repository", dict, shown)
    number = _field(issue, "number", int, shown)
    if "pull_request" in issue:
        raise refused("not-an-issue", number=number)
    login = _field(user, "login", str, shown)
    if not _LOGIN_RE.match(login):
        raise _fatal("bad-event", path=shown, what=f"user.login {login!r}")
    labels = tuple(str(label.get("name", "")) for label in issue.get("labels") or ()
                   if isinstance(label, dict))
    branch = repo.get("default_branch")
    return IssueEvent(
        action=_field(data, "action", str, shown), number=number,
        title=str(issue.get("title") or ""), body=str(issue.get("body") or ""),
        login=login, user_id=_field(user, "id", int, shown),
        association=str(issue.get("author_association") or "NONE"), labels=labels,
        repo_url=str(repo.get("html_url") or ""),
        default_branch=branch if isinstance(branch, str) and branch else None)


def _field(data: Mapping[str, Any], key: str, kind: type, shown: str) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise _fatal("bad-event", path=shown, what=f"no {kind.__name__} `{key}`")
    return value


@dataclass(frozen=True, slots=True)
class CheckinForm:
    """A submitted check-in form: the values as typed, in the language of its labels."""

    lang: str
    kr: str
    value: str
    confidence: str | None  # None: unchanged
    note: str | None  # None: no note
    # the "moves backwards on purpose" box: ticked or not; None: the form has no such box
    # (a repository's form from before it existed: a backwards value goes in, as it did)
    confirm: bool | None = None


def form_language(body: str) -> str | None:
    """The language of the form's labels in `body`, if any of them is there."""
    for line in body.splitlines():
        match = _HEADING_RE.match(line)
        if match and match.group(1) in _LABEL_TO_FIELD:
            return _LABEL_TO_FIELD[match.group(1)][1]
    return None


def parse_form(body: str) -> CheckinForm:
    """The fields of a check-in form as GitHub renders it: `### <label>`, a blank line,
    the value. Refused when a field is missing, empty or given twice.

    Only the form's own labels start a section; any other `###` line belongs to
    the text above it (a note may hold Markdown headings).
    """
    if len(body) > MAX_BODY:
        raise refused("too-big", size=len(body), limit=MAX_BODY)
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    lang = form_language(body) or "en"
    labels = FORM_LABELS[lang]
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in body.split("\n"):
        match = _HEADING_RE.match(line)
        found = _LABEL_TO_FIELD.get(match.group(1)) if match else None
        if found is not None:
            field = found[0]
            if field in sections:
                raise refused("twice", label=match.group(1) if match else field)
            current = sections[field] = []
        elif current is not None:
            current.append(line)
    values = {field: "\n".join(lines).strip() for field, lines in sections.items()}
    values = {field: "" if text == NO_RESPONSE else text for field, text in values.items()}
    for field in ("kr", "value"):
        if field not in values:
            raise refused("not-a-form", label=labels[field])
        if not values[field]:
            raise refused("missing", label=labels[field])
        if "\n" in values[field]:
            raise refused("one-line", label=labels[field])
    kr = values["kr"]
    if not _REF_RE.match(kr) or any(part in (".", "..") for part in kr.split("/")):
        raise refused("bad-ref", ref=_clip(kr))
    confidence = values.get("confidence") or None
    if confidence is not None and confidence in UNCHANGED.values():
        confidence = None
    if confidence is not None and confidence not in CONFIDENCE_OPTIONS:
        raise refused("bad-confidence", value=_clip(confidence),
                      choices=", ".join((UNCHANGED[lang], *CONFIDENCE_OPTIONS)))
    return CheckinForm(lang, kr, values["value"], confidence, values.get("note") or None,
                       confirm=bool(_TICKED_RE.search(values["confirm"]))
                       if "confirm" in values else None)


def _clip(text: str, width: int = 80) -> str:
    """User text quoted in a message: one line, at most `width` characters."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[:width - 1] + "…"


def check_allowed(event: IssueEvent, allow: Sequence[str], org: Org | None) -> None:
    """Refused unless the author is allowed: an author association in `allow`, their login,
    or a `team:<id>` of org.yaml they lead or belong to (through `people[].github`)."""
    login = event.login.lower()
    if event.association in allow and event.association in ASSOCIATIONS:
        return
    if any(entry.lower() == login for entry in allow if not entry.startswith("team:")):
        return
    teams = {entry.removeprefix("team:") for entry in allow if entry.startswith("team:")}
    if teams and org is not None:
        person = person_for(org, event.login)
        if person is not None and any(
                t.id in teams and (t.lead == person or person in t.members) for t in org.teams):
            return
    why_en = MESSAGES["en"]["association"].format(association=event.association)
    why_zh = MESSAGES["zh-TW"]["association"].format(association=event.association)
    if tuple(allow) != DEFAULT_ALLOW:
        why_en += "; " + MESSAGES["en"]["allowed-list"].format(allowed=", ".join(allow))
        why_zh += ";" + MESSAGES["zh-TW"]["allowed-list"].format(allowed=", ".join(allow))
    raise Refused(MESSAGES["en"]["not-allowed"].format(login=event.login, why=why_en),
                  zh=MESSAGES["zh-TW"]["not-allowed"].format(login=event.login, why=why_zh))


def person_for(org: Org, login: str) -> str | None:
    """The id of the person whose `github` is `login` (GitHub logins ignore case)."""
    return next((p.id for p in org.people if p.github and p.github.lower() == login.lower()),
                None)


def author_of(event: IssueEvent, org: Org | None) -> tuple[str, str]:
    """The commit author for the issue's author: the person of org.yaml with that GitHub
    login (their name and email when given), else the login and GitHub's no-reply
    address `ID+login@users.noreply.github.com` (what GitHub attributes to the user)."""
    noreply = f"{event.user_id}+{event.login}@users.noreply.github.com"
    if org is not None:
        person = next((p for p in org.people if p.github
                       and p.github.lower() == event.login.lower()), None)
        if person is not None:
            return (person.name or event.login, person.email or noreply)
    return (event.login, noreply)


def commit_url(repo_url: str, sha: str) -> str | None:
    if not repo_url.startswith("https://") or not re.fullmatch(r"[0-9a-f]{7,64}", sha):
        return None
    return f"{repo_url.rstrip('/')}/commit/{sha}"


# -- the comment --------------------------------------------------------------------

COMMENT: Mapping[str, Mapping[str, str]] = {
    "en": {
        "ok": "✅ Check-in recorded for **{title}** (`{ref}`).",
        "pr": "✅ Check-in for **{title}** (`{ref}`) is on branch `{branch}`; it reaches the "
              "OKRs when its pull request is merged.",
        "unchanged": "ℹ️ Nothing to record for **{title}** (`{ref}`): it already has these "
                     "values.",
        "refused": "❌ Check-in not recorded: {message}",
        "failed": "⚠️ Check-in not recorded: {message}",
        "retry": "Edit this issue to try again.",
        "field": "Field", "change": "Change",
        "current": "Current", "confidence": "Confidence", "progress": "Progress",
        "status": "Status", "note": "Note", "commit": "Commit",
        "status-on_track": "On track", "status-at_risk": "At risk",
        "status-off_track": "Off track", "status-unknown": "No data",
    },
    "zh-TW": {
        "ok": "✅ 已記錄 **{title}**(`{ref}`)的進度更新。",
        "pr": "✅ **{title}**(`{ref}`)的進度更新已放在分支 `{branch}`;pull request 合併後"
              "才會寫入 OKR。",
        "unchanged": "ℹ️ **{title}**(`{ref}`)已經是這些數值,沒有需要記錄的變更。",
        "refused": "❌ 沒有記錄這次進度更新:{message}",
        "failed": "⚠️ 沒有記錄這次進度更新:{message}",
        "retry": "編輯這個 issue 即可重試。",
        "field": "欄位", "change": "變化",
        "current": "目前值", "confidence": "信心度", "progress": "進度",
        "status": "狀態", "note": "備註", "commit": "Commit",
        "status-on_track": "進度正常", "status-at_risk": "有風險",
        "status-off_track": "落後", "status-unknown": "無資料",
    },
}

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>$-])")  # $: GitHub renders $math$


def markdown_text(text: str) -> str:
    """User text shown as typed in a comment: one line, HTML and Markdown escaped."""
    line = " ".join(text.split())
    line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", line)


def comment(outcome: Mapping[str, Any], lang: str) -> str:
    """The issue comment for an outcome of `okr checkin --from-issue` (see its JSON)."""
    s = COMMENT.get(lang, COMMENT["en"])
    lines = [COMMENT_MARKER]
    title = markdown_text(str(outcome.get("title") or outcome.get("kr") or ""))
    ref = str(outcome.get("kr") or "").replace("`", "")
    result = outcome["outcome"]
    if result in ("refused", "failed"):
        message = outcome["message"].get(lang) or outcome["message"]["en"]
        lines += [s[result].format(message=markdown_text(message)), "", s["retry"]]
        return "\n".join(lines) + "\n"
    if not outcome.get("changes"):
        lines.append(s["unchanged"].format(title=title, ref=ref))
        return "\n".join(lines) + "\n"
    branch = outcome.get("branch")
    lines += [s["pr"].format(title=title, ref=ref, branch=branch) if outcome.get("via") ==
              "pull-request" else s["ok"].format(title=title, ref=ref), "",
              f"| {s['field']} | {s['change']} |", "|---|---|"]
    for change in outcome["changes"]:
        if change["field"] == "notes":
            continue
        lines.append(f"| {s[change['field']]} | {markdown_text(change['old'])} → "
                     f"**{markdown_text(change['new'])}** |")
    progress = outcome.get("progress") or {}
    if progress.get("new") is not None:
        lines.append(f"| {s['progress']} | {progress.get('old') or '–'} → "
                     f"**{progress['new']}** |")
    if outcome.get("status"):
        lines.append(f"| {s['status']} | {s['status-' + outcome['status']]} |")
    if any(c["field"] == "notes" for c in outcome["changes"]):
        note = next(c["new"] for c in outcome["changes"] if c["field"] == "notes")
        lines.append(f"| {s['note']} | {markdown_text(note)} |")
    if outcome.get("commit"):
        sha = str(outcome["commit"])
        url = outcome.get("commit_url")
        lines += ["", f"{s['commit']}: " + (f"[`{sha[:7]}`]({url})" if url else f"`{sha[:7]}`")]
    return "\n".join(lines) + "\n"
