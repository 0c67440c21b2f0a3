"""`okr init DIR`: scaffold a new OKR repository that lints, builds and publishes
out of the box (DESIGN: "whoever runs the repo sets it up once").

The templates are package data under `okrkit/scaffold/`: `common/` for every
language, `en/` and `zh-TW/` for what people read. A name starting `dot-`
becomes a dotfile (`dot-github` → `.github`), so that neither packaging nor the
tools of this repository (pre-commit, actionlint, GitHub itself) treat the
templates as this repository's own configuration. `@@name@@` in paths and text
is filled in from `_values`. The first sheet, okrs/<cycle>/<team>.yaml, is
`okr new`'s default template (`okrkit.sheet_templates`).

The schemas are copied into the new repository's `schema/`, so the modelines
(`$schema=../../schema/okr.schema.json`) and the editor settings work offline,
in a private repository and before the site is first published; the hook and
CI validate against the installed okrkit's own copy, so an old copy can only
make editor hints stale, never let a bad file through.

Nothing is half-written: every file is written into a staging folder inside
DIR first and then moved into place with `os.replace`; on an error the files
already moved are taken back (and overwritten ones restored).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from okrkit import __version__, i18n, resources, sheet_templates
from okrkit.cycles import Cycle, CycleCalendar
from okrkit.errors import FatalError
from okrkit.model import is_id

SCAFFOLD_DIR = Path(__file__).resolve().parent.parent / "scaffold"
# Where okrkit is published is not settled yet: both are settings of `okr init`
# (--hooks-repo, --package) and lines of the generated files, easy to change.
PROJECT_URL = "https://github.com/okrkit/okrkit"
DEFAULT_TEAM = "marketing"

# a plain YAML scalar that stays a string for the strict loader and PyYAML alike
_PLAIN_RE = re.compile(r"[^\W\d_][\w .\-/@~+]*(?<! )\Z|[A-Za-z][\w.+-]*://[\w.\-/@~+:%]+\Z")
_NOT_PLAIN = frozenset({"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"})

_STRINGS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "wf_review": "OKR review",
        "wf_review_job": "Semantic diff and lint",
        "wf_review_diff": "Semantic diff and lint summary",
        "wf_review_comment": "Post or update the pull-request comment",
        "wf_review_lint": "Lint (annotations on the changed lines)",
        "wf_pages": "OKR site",
        "wf_pages_build": "Build the site",
        "wf_pages_deploy": "Publish to GitHub Pages",
        "wf_stale": "OKR check-ins",
        "wf_stale_job": "Who owes a check-in",
        "wf_stale_report": "Report who owes a check-in",
        "wf_stale_issue": "Open, update or close the check-in issue",
        "wf_checkin": "OKR check-in from an issue",
        "wf_checkin_job": "Apply the check-in",
        "wf_checkin_apply": "Apply, commit and push the check-in",
        "wf_checkin_answer": "Answer on the issue",
        "wf_checkin_failed": "Fail the job when the check-in failed",
        "wf_measure": "OKR measure",
        "wf_measure_job": "Measure the key results from their sources",
        "wf_measure_detect": "Look for measure: blocks",
        "wf_measure_run": "Measure, commit and push",
        "site_name": "{org} OKRs",
        "owner": "alex",
        "owner_name": "Alex Chen",
    },
    "zh-TW": {
        "wf_review": "OKR 審查",
        "wf_review_job": "語意差異與檢查",
        "wf_review_diff": "語意差異與檢查摘要",
        "wf_review_comment": "發布或更新 pull request 留言",
        "wf_review_lint": "檢查(標註在變更的行上)",
        "wf_pages": "OKR 網站",
        "wf_pages_build": "建置網站",
        "wf_pages_deploy": "發布到 GitHub Pages",
        "wf_stale": "OKR 進度更新提醒",
        "wf_stale_job": "誰還沒更新進度",
        "wf_stale_report": "列出誰還沒更新進度",
        "wf_stale_issue": "開啟、更新或關閉提醒 issue",
        "wf_checkin": "從 issue 更新 OKR 進度",
        "wf_checkin_job": "套用進度更新",
        "wf_checkin_apply": "套用、提交並推送進度更新",
        "wf_checkin_answer": "在 issue 上回覆",
        "wf_checkin_failed": "進度更新失敗時讓工作失敗",
        "wf_measure": "OKR 自動量測",
        "wf_measure_job": "從資料來源量測關鍵結果",
        "wf_measure_detect": "尋找 measure: 設定",
        "wf_measure_run": "量測、提交並推送",
        "site_name": "{org} OKR",
        "owner": "mei",
        "owner_name": "王美玲",
    },
}

# the names of the teams the seed article and the demo have (業務部 is the seed's 業務部門,
# the others as the demo's org.yaml names them); another id is shown title-cased
TEAM_NAMES: Mapping[str, Mapping[str, str]] = {
    "en": {"marketing": "Marketing", "sales": "Sales", "ecommerce": "E-commerce",
           "content": "Content", "growth": "Growth", "expansion": "Expansion"},
    "zh-TW": {"marketing": "行銷部", "sales": "業務部", "ecommerce": "電商營運部",
              "content": "內容行銷組", "growth": "成長部", "expansion": "海外市場拓展部"},
}

MESSAGES: Mapping[str, Mapping[str, str]] = {
    "en": {
        "created": "created {count} files in {dir}:",
        "would-write": "would write {count} files in {dir}:",
        "refused": "nothing written: {existing} of the {count} files already exist in {dir} "
                   "(--force overwrites them); it would have written:",
        "exists": "(exists)",
        "overwrite": "(overwrite)",
        "overwritten": "(overwritten)",
        "next": "next steps:",
        "next-git": "git init -b main && git add -A && git commit -m 'okr: start'",
        "next-hook": "pip install -r requirements.txt pre-commit && pre-commit install",
        "next-pages": "on GitHub: Settings → Pages → Source: GitHub Actions",
        "not-a-folder": "{path} exists and is not a folder",
        "in-the-way": "{path} is in the way (a file where a folder belongs, or the reverse)",
        "bad-team": "--team must be a slug like 'marketing' (lowercase letters, digits, "
                    "hyphens), not '{team}'",
        "write-failed": "cannot write {path}: {error} (nothing was written)",
        "next-cycle": "{current} is {gone} gone: the first sheet is for {cycle} "
                      "(--cycle {current} for the current quarter)",
        "bad-cycle": "--cycle: unknown cycle '{cycle}' (2026, 2026-H1, 2026-Q1)",
        "sources": "requirements.txt installs {package}; the pre-commit hook comes from "
                   "{hooks_repo} at {hooks_rev} (--package, --hooks-repo, --hooks-rev "
                   "change them)",
    },
    "zh-TW": {
        "created": "已在 {dir} 建立 {count} 個檔案:",
        "would-write": "將在 {dir} 寫入 {count} 個檔案:",
        "refused": "沒有寫入任何檔案:{count} 個檔案中有 {existing} 個已存在於 {dir}"
                   "(加上 --force 會覆寫它們);原本會寫入:",
        "exists": "(已存在)",
        "overwrite": "(將覆寫)",
        "overwritten": "(已覆寫)",
        "next": "接下來:",
        "next-git": "git init -b main && git add -A && git commit -m 'okr: start'",
        "next-hook": "pip install -r requirements.txt pre-commit && pre-commit install",
        "next-pages": "在 GitHub:Settings → Pages → Source: GitHub Actions",
        "not-a-folder": "{path} 已存在,但不是資料夾",
        "in-the-way": "{path} 擋住了路徑(該是資料夾的地方是檔案,或相反)",
        "bad-team": "--team 必須是像「marketing」的代號(小寫英文字母、數字、連字號),"
                    "而不是「{team}」",
        "write-failed": "無法寫入 {path}:{error}(沒有寫入任何檔案)",
        "next-cycle": "{current} 已過 {gone}:第一份 OKR 表改為 {cycle}"
                      "(要用本季請加上 --cycle {current})",
        "bad-cycle": "--cycle:未知的週期「{cycle}」(2026、2026-H1、2026-Q1)",
        "sources": "requirements.txt 安裝 {package};pre-commit hook 來自 {hooks_repo} 的 "
                   "{hooks_rev}(可用 --package、--hooks-repo、--hooks-rev 變更)",
    },
}


@dataclass(frozen=True, slots=True)
class Planned:
    """One file of the new repository."""

    path: str  # POSIX path relative to the repository root
    content: bytes


def init(directory: str, *, lang: str | None, team: str | None = None, force: bool = False,
         dry_run: bool = False, hooks_repo: str | None = None, hooks_rev: str | None = None,
         package: str | None = None, today: dt.date | None = None,
         engine: str = "mkdocs", cycle: str | None = None) -> int:
    """Write the scaffold into `directory`; 0 done, 1 refused (files exist), 2 fatal."""
    chosen = i18n.choose(lang, None)
    msg = MESSAGES[chosen]
    team = team or DEFAULT_TEAM
    if not is_id(team):
        raise FatalError(msg["bad-team"].format(team=team))
    dest = Path(directory)
    if dest.exists() and not dest.is_dir():
        raise FatalError(msg["not-a-folder"].format(path=dest))
    today = today or dt.date.today()
    if cycle is not None and CycleCalendar().get(cycle) is None:
        raise FatalError(msg["bad-cycle"].format(cycle=cycle))
    first = first_cycle(today, cycle)
    files = plan(dest.resolve().name or "okrs", lang=chosen, team=team,
                 today=today, hooks_repo=hooks_repo, hooks_rev=hooks_rev,
                 package=package, engine=engine, cycle=first.id)
    blockers = _blockers(dest, files)
    if blockers:
        raise FatalError(msg["in-the-way"].format(path=blockers[0]))
    existing = {f.path for f in files if (dest / f.path).exists()}
    if existing and not force:
        print(msg["refused"].format(existing=len(existing), count=len(files), dir=dest))
        _list(files, existing, msg["exists"])
        return 1
    if dry_run:
        print(msg["would-write"].format(count=len(files), dir=dest))
        _list(files, existing, msg["overwrite"])
        return 0
    _write_all(dest, files, msg)
    print(msg["created"].format(count=len(files), dir=dest))
    _list(files, existing, msg["overwritten"])
    current = CycleCalendar().containing(today)
    if cycle is None and first.id != current.id:
        gone = current.elapsed(today)
        print(msg["next-cycle"].format(current=current.id, gone=f"{gone:.0%}", cycle=first.id))
    values = _values("x", lang=chosen, team=team, today=today, hooks_repo=hooks_repo,
                     hooks_rev=hooks_rev, package=package)
    print(msg["sources"].format(package=values["package"], hooks_repo=hooks_repo or PROJECT_URL,
                                hooks_rev=hooks_rev or f"v{__version__}"))
    print(msg["next"])
    for step in (f"cd {dest}", msg["next-git"], msg["next-hook"], msg["next-pages"]):
        print(f"  {step}")
    return 0


def first_cycle(today: dt.date, cycle: str | None = None) -> Cycle:
    """The first sheet's cycle: `cycle` when given, else today's quarter while at most
    half of it is gone, else the next one (a new repository is set up to plan ahead)."""
    calendar = CycleCalendar()
    if cycle is not None:
        chosen = calendar.get(cycle)
        assert chosen is not None
        return chosen
    current = calendar.containing(today)
    if current.elapsed(today) > 0.5:
        return calendar.containing(current.end + dt.timedelta(days=1))
    return current


def plan(name: str, *, lang: str, team: str, today: dt.date, hooks_repo: str | None = None,
         hooks_rev: str | None = None, package: str | None = None,
         engine: str = "mkdocs", cycle: str | None = None) -> list[Planned]:
    """Every file of a new repository named `name`, rendered, sorted by path; the first
    sheet for `cycle`, default today's quarter."""
    values = _values(name, lang=lang, team=team, today=today, hooks_repo=hooks_repo,
                     hooks_rev=hooks_rev, package=package, engine=engine, cycle=cycle)
    # the site's config: mkdocs.yml for MkDocs, zensical.toml for Zensical
    unused = "zensical.toml" if engine == "mkdocs" else "mkdocs.yml"
    files: dict[str, bytes] = {}
    for base in (SCAFFOLD_DIR / "common", SCAFFOLD_DIR / lang):
        for src in sorted(p for p in base.rglob("*") if p.is_file()):
            rel = "/".join(_dest_name(part) for part in src.relative_to(base).parts)
            if rel == unused:
                continue
            files[sheet_templates.fill(rel, values)] = sheet_templates.fill(
                src.read_text(encoding="utf-8"), values).encode("utf-8")
    # the first sheet is `okr new`'s default template: one source for both commands
    sheet = sheet_templates.render(sheet_templates.DEFAULT, lang, cycle_id=values["cycle"],
                                   team=team, due=values["due"], owner=values["owner"],
                                   themes=None)  # the scaffold's org.yaml has its themes
    files[f"okrs/{values['cycle']}/{team}.yaml"] = sheet.encode("utf-8")
    for kind in ("okr", "org", "config"):
        files[f"schema/{kind}.schema.json"] = resources.schema_file(kind).read_bytes()
    return [Planned(path, files[path]) for path in sorted(files)]


def yaml_scalar(text: str) -> str:
    """`text` as a YAML scalar that reads back as the same string: plain when safe."""
    if (_PLAIN_RE.match(text) and text.lower() not in _NOT_PLAIN
            and ": " not in text and " #" not in text):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in escaped) + '"'


def _values(name: str, *, lang: str, team: str, today: dt.date, hooks_repo: str | None,
            hooks_rev: str | None, package: str | None, engine: str = "mkdocs",
            cycle: str | None = None) -> dict[str, str]:
    strings = _STRINGS[lang]
    calendar = CycleCalendar()
    found = calendar.get(cycle) if cycle is not None else None
    cycle_obj = found or calendar.containing(today)
    owner = strings["owner"]
    team_name = TEAM_NAMES[lang].get(team) or team.replace("-", " ").title()
    return {
        **{key: value for key, value in strings.items() if key.startswith("wf_")},
        "org_name": yaml_scalar(name),
        "org_title": name,
        "site_name": yaml_scalar(strings["site_name"].format(org=name)),
        "team": team,
        "team_name": yaml_scalar(team_name),
        "owner": owner,
        "owner_name": yaml_scalar(strings["owner_name"]),
        "owner_email": f"{owner}@example.com",
        "cycle": cycle_obj.id,
        "due": cycle_obj.end.isoformat(),
        "hooks_repo": yaml_scalar(hooks_repo or PROJECT_URL),
        "hooks_rev": yaml_scalar(hooks_rev or f"v{__version__}"),
        "package": package or (f"okrkit=={__version__}" if engine == "mkdocs"
                               else f"okrkit[zensical]=={__version__}"),
        # a JSON string is a TOML basic string
        "site_name_toml": json.dumps(strings["site_name"].format(org=name), ensure_ascii=False),
        "site_build": "mkdocs build --strict" if engine == "mkdocs"
        else "okr build --engine zensical --strict",
        "version": __version__,
        "okrkit_url": PROJECT_URL,
    }


def _dest_name(part: str) -> str:
    return "." + part[len("dot-"):] if part.startswith("dot-") else part


def _blockers(dest: Path, files: Sequence[Planned]) -> list[Path]:
    """What even --force must not replace: a file where the scaffold needs a folder
    (`okrs` as a file), a folder where it writes a file (`README.md/`)."""
    folders = {parent for f in files for parent in Path(f.path).parents if parent != Path(".")}
    return sorted([*(dest / p for p in folders if (dest / p).exists() and not (dest / p).is_dir()),
                   *(dest / f.path for f in files if (dest / f.path).is_dir())])


def _list(files: Sequence[Planned], existing: set[str], mark: str) -> None:
    for f in files:
        print(f"  {f.path} {mark}" if f.path in existing else f"  {f.path}")


def _write_all(dest: Path, files: Sequence[Planned], msg: Mapping[str, str]) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".okr-init-", dir=dest))
    moved: list[tuple[Path, Path | None]] = []  # (target, the file it replaced)
    current = dest
    try:
        for i, f in enumerate(files):
            current = dest / f.path
            (staging / str(i)).write_bytes(f.content)
        for i, f in enumerate(files):
            current = target = dest / f.path
            target.parent.mkdir(parents=True, exist_ok=True)
            backup = None
            if target.exists():  # only with --force
                backup = staging / f"{i}.old"
                os.replace(target, backup)
            os.replace(staging / str(i), target)
            moved.append((target, backup))
    except OSError as err:
        for target, backup in reversed(moved):
            if backup is not None:
                os.replace(backup, target)
            else:
                target.unlink(missing_ok=True)
        raise FatalError(msg["write-failed"].format(
            path=current, error=err.strerror or err)) from err
    finally:
        shutil.rmtree(staging, ignore_errors=True)
