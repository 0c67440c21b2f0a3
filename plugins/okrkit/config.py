"""The root config file `.okrkit.yaml`, read alike by the CLI, the hook and the site."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from okrkit import schema, yamlload
from okrkit.cycles import CustomCycle, CycleCalendar, parse_date
from okrkit.errors import FatalError
from okrkit.findings import Finding
from okrkit.model import StatusBands

CONFIG_NAME = ".okrkit.yaml"
TODAY_ENV = "OKR_TODAY"  # a fixed "today" (YYYY-MM-DD) for reproducible runs and tests


@dataclass(frozen=True, slots=True)
class Config:
    root: Path  # the repository root: where .okrkit.yaml is, or would be
    okrs_dir: Path
    language: str | None = None
    main_branch: str = "main"
    calendar: CycleCalendar = field(default_factory=CycleCalendar, compare=False)
    current_cycle: str | None = None
    bands: StatusBands = field(default_factory=StatusBands)
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    rules: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    per_path_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    max_file_bytes: int = yamlload.DEFAULT_MAX_BYTES
    checkin_allow: tuple[str, ...] = ("OWNER", "MEMBER", "COLLABORATOR")
    checkin_via: str = "push"  # or "pull-request"
    source: yamlload.Document | None = field(default=None, repr=False, compare=False)

    def display_path(self, path: Path) -> str:
        """A path as findings show it: relative to the current directory when inside it."""
        try:
            return os.path.relpath(path)
        except ValueError:  # pragma: no cover (another drive, Windows only)
            return str(path)


def today_from_env() -> dt.date:
    """Today, or the date in OKR_TODAY (read here, not in the linter: every command needs it)."""
    value = os.environ.get(TODAY_ENV)
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise FatalError(f"{TODAY_ENV}={value!r} is not a date (YYYY-MM-DD)",
                         zh=f"{TODAY_ENV}={value!r} 不是日期(YYYY-MM-DD)") from None


def find_root(start: Path) -> Path:
    """The nearest ancestor with `.okrkit.yaml`, else with `okrs/`, else with `.git`."""
    start = start.resolve()
    if start.is_file():
        start = start.parent
    candidates = [start, *start.parents]
    for marker in (CONFIG_NAME, "okrs", ".git"):
        for folder in candidates:
            if (folder / marker).exists():
                return folder
    return start


def config_for(paths: Sequence[str]) -> tuple[list[Path], Config, list[Finding]]:
    """The paths of a command line (each must exist) and the config of their repository
    (the first path's, else the current directory's), with its findings."""
    given = [Path(p) for p in paths]
    for path in given:
        if not path.exists():
            raise FatalError(f"no such file or folder: {path}", zh=f"找不到檔案或資料夾:{path}")
    config, findings = load_config(find_root(given[0] if given else Path.cwd()))
    return given, config, findings


def history_config(config: Config, repo: Path) -> Config:
    """The config with its root moved to `repo`, the OKR folder at the same relative path:
    the history of the same sheets read from another repository (`history_repo` of the
    MkDocs plugin and of `okr build --engine zensical`; okrkit's demo replays its story
    there while the pages show okrs/ as it is)."""
    if not (repo / ".git").exists():
        raise FatalError(f"history_repo: {repo} is not a git repository"
                         " (okrkit's demo: run `make demo`)",
                         zh=f"history_repo:{repo} 不是 git 儲存庫(okrkit 的示範:請執行 "
                            "`make demo`)")
    relative = config.okrs_dir.resolve().relative_to(config.root.resolve())
    return replace(config, root=repo.resolve(), okrs_dir=repo.resolve() / relative)


def load_config(root: Path) -> tuple[Config, list[Finding]]:
    """The config at `root` (defaults when there is none) and its findings."""
    path = root / CONFIG_NAME
    if not path.is_file():
        return Config(root=root, okrs_dir=root / "okrs"), []
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise FatalError(f"cannot read {path}: {err.strerror}",
                         zh=f"無法讀取 {path}:{err.strerror}") from err
    shown = os.path.relpath(path)
    doc, findings = yamlload.load_bytes(shown, raw)
    if doc is None:
        return Config(root=root, okrs_dir=root / "okrs"), findings
    if doc.data is None:  # an empty config means all defaults
        return Config(root=root, okrs_dir=root / "okrs", source=doc), findings
    findings += schema.validate(doc, "config")
    if findings:
        return Config(root=root, okrs_dir=root / "okrs", source=doc), findings
    return config_from_data(root, doc.data, source=doc), findings


def config_from_data(root: Path, data: Mapping[str, Any], *,
                     source: yamlload.Document | None = None) -> Config:
    """A Config from schema-valid data."""
    custom = {}
    for cycle_id, spec in (data.get("cycles") or {}).items():
        start, end = parse_date(spec["start"]), parse_date(spec["end"])
        assert start is not None and end is not None  # the schema checked the format
        custom[cycle_id] = CustomCycle(start, end, spec.get("title", ""))
    status = data.get("status") or {}
    bands = StatusBands(**{k: float(v) for k, v in status.items()})
    return Config(
        root=root,
        okrs_dir=root / data.get("okrs_dir", "okrs"),
        language=data.get("language"),
        main_branch=data.get("main_branch", "main"),
        calendar=CycleCalendar(fiscal_year_start=data.get("fiscal_year_start", 1),
                               custom=custom),
        current_cycle=data.get("current_cycle"),
        bands=bands,
        select=tuple(data.get("select") or ()),
        ignore=tuple(data.get("ignore") or ()),
        rules={code: dict(opts or {}) for code, opts in (data.get("rules") or {}).items()},
        per_path_ignores={glob: tuple(codes) for glob, codes
                          in (data.get("per_path_ignores") or {}).items()},
        max_file_bytes=data.get("max_file_bytes", yamlload.DEFAULT_MAX_BYTES),
        **_checkin(data.get("checkin") or {}),
        source=source,
    )


def _checkin(data: Mapping[str, Any]) -> dict[str, Any]:
    """`checkin: {allow, via}` as Config fields; absent keys keep the defaults."""
    found: dict[str, Any] = {}
    if "allow" in data:
        found["checkin_allow"] = tuple(data["allow"])
    if "via" in data:
        found["checkin_via"] = data["via"]
    return found
