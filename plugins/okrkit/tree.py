"""The OKR tree on disk: discover files, load them, build the model, check references.

`okrs/org.yaml` is the organisation; `okrs/<cycle>/<team>.yaml` are sheets.
With a selection of paths (what pre-commit passes), only those sheets, the org
and the sheets their `parent:` references point at are read: references are
resolved against the whole tree without reading all of it.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from okrkit import build, cache, problems, schema, yamlload
from okrkit.config import CONFIG_NAME, Config
from okrkit.cycles import Cycle
from okrkit.errors import FatalError
from okrkit.findings import Finding, Pos, Severity, unique_sorted
from okrkit.model import KeyResult, Objective, Org, Sheet, Source

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class Tree:
    """Everything loaded: the config, the org and the sheets that parsed and validated."""

    config: Config
    org: Org | None
    sheets: tuple[Sheet, ...]
    # display paths whose findings were asked for (every loaded file when no selection)
    selected: frozenset[str] = field(default_factory=frozenset)
    # display path → yamlload.digest of the bytes each sheet was built from: an edit
    # decided on this model refuses a file that changed since (yamledit.edit_file)
    digests: Mapping[str, bytes] = field(default_factory=dict, repr=False, compare=False)
    # display path → the first error of each selected sheet that did not load (syntax,
    # schema, a merge conflict): what `okr score` and `okr checkin` must not pass over
    unloaded: Mapping[str, Finding] = field(default_factory=dict, repr=False, compare=False)

    def cycle(self, cycle_id: str) -> Cycle | None:
        return self.config.calendar.get(cycle_id)

    def sheet(self, cycle_id: str, team: str) -> Sheet | None:
        return next((s for s in self.sheets if s.cycle_id == cycle_id and s.team == team), None)

    def objective(self, ref: str) -> tuple[Sheet, Objective] | None:
        """The objective named by `cycle/team/objective`."""
        parts = ref.split("/")
        if len(parts) != 3:
            return None
        sheet = self.sheet(parts[0], parts[1])
        if sheet is None:
            return None
        found = next((o for o in sheet.objectives if o.id == parts[2]), None)
        return None if found is None else (sheet, found)

    def key_results(self) -> Iterator[tuple[Sheet, Objective, KeyResult]]:
        for sheet in self.sheets:
            for objective in sheet.objectives:
                for kr in objective.key_results:
                    yield sheet, objective, kr

    def cycles(self) -> list[Cycle]:
        """The cycles that have sheets, in time order (years before their quarters)."""
        found = {c.id: c for s in self.sheets if (c := self.cycle(s.cycle_id)) is not None}
        return sorted(found.values(), key=Cycle.sort_key)


@dataclass(slots=True)
class _Files:
    org: Path | None = None
    sheets: list[Path] = field(default_factory=list)
    misplaced: list[Path] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)  # what `discover` walked

    def copy(self) -> _Files:
        """Its own lists: a caller may add to what `_WALKED` keeps."""
        return _Files(self.org, list(self.sheets), list(self.misplaced), list(self.folders))


# a whole-tree load trusts a file's or folder's stat to say it is unchanged only when it
# last changed this long before that load began: a change within the same tick of the
# file system's clock could leave the same times and size (git's "racy" files)
_RACY_NS = 2_000_000_000

Stat = tuple[int, int, int, int, int]


def _stat_of(st: os.stat_result) -> Stat:
    return st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_dev


def _discover_again(okrs_dir: Path) -> _Files:
    """`discover`, or what it found last time when no folder it walked has changed since
    (adding, removing or renaming an entry changes its folder's times): under serve the
    tree is loaded again after each edit, and making 800 paths was a third of the load.
    Only from a whole-tree load's second time in a process: the first one's stats would
    go unused in a one-shot command."""
    last = _WALKED.get(okrs_dir)
    if last is not None:
        stats, files = last
        try:
            if all(_stat_of(os.stat(folder)) == stat for folder, stat in stats):
                return files.copy()
        except OSError:
            pass
    began = time.time_ns()
    files = discover(okrs_dir)
    walked = []
    for folder in files.folders:
        try:
            stat = _stat_of(os.stat(folder))
        except OSError:
            break
        if max(stat[0], stat[1]) > began - _RACY_NS:
            break
        walked.append((folder, stat))
    else:
        if files.folders:
            _WALKED[okrs_dir] = (tuple(walked), files)
            return files.copy()
    _WALKED.pop(okrs_dir, None)
    return files


def discover(okrs_dir: Path) -> _Files:
    """org.yaml, the sheets `<cycle>/<team>.yaml`, and YAML files anywhere else."""
    files = _Files()
    if not okrs_dir.is_dir():
        return files
    for dirpath, dirnames, filenames in os.walk(okrs_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        files.folders.append(dirpath)
        depth = len(Path(dirpath).relative_to(okrs_dir).parts)
        for name in sorted(filenames):
            if not name.endswith(YAML_SUFFIXES):
                continue
            path = Path(dirpath) / name
            if depth == 0 and Path(name).stem == "org":
                files.org = path
            elif depth == 1:
                files.sheets.append(path)
            else:
                files.misplaced.append(path)
    return files


def _discover_files(okrs_dir: Path, paths: Sequence[Path]) -> _Files | None:
    """What `discover` would say about these files alone, without walking the tree: the
    org (one listing of the top folder) and the given files that `discover` would list,
    each where it would put it. None when a path is a folder (then walk). The hook
    passes one sheet of hundreds: walking them all was a tenth of its time."""
    files = _Files()
    if not okrs_dir.is_dir():
        return files
    for given in paths:
        path = given.resolve()  # as `_select` resolves it: no link left in it
        if path.is_dir():
            return None
        try:
            parts = path.relative_to(okrs_dir).parts
        except ValueError:
            continue
        # os.walk lists entries (not only regular files) and skips hidden folders
        if (not parts or any(p.startswith(".") for p in parts[:-1])
                or not parts[-1].endswith(YAML_SUFFIXES) or not os.path.lexists(path)):
            continue
        if len(parts) == 2:
            files.sheets.append(path)
        elif len(parts) > 2 or Path(parts[0]).stem != "org":
            files.misplaced.append(path)
    try:
        with os.scandir(okrs_dir) as entries:
            names = sorted(e.name for e in entries if not e.is_dir())
    except OSError:  # os.walk passes over a folder it cannot read
        names = []
    for name in names:  # the last one wins, as in `discover`
        if name.endswith(YAML_SUFFIXES) and Path(name).stem == "org":
            files.org = okrs_dir / name
    return files


def load_tree(config: Config, paths: Sequence[Path] | None = None, *, save: bool = True
              ) -> tuple[Tree, list[Finding]]:
    """Load the tree; findings only for `paths` (all files when None). `save`: write the
    documents parsed to the parse cache now (else a later save in this run writes them:
    the linter's, loading the tree while the history is read)."""
    # tens of thousands of small acyclic values a sheet (documents, the model): the cyclic
    # collector would walk the growing heap again and again (half the time of a warm
    # load) and never find a cycle to free
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load_tree(config, paths, save=save)
    finally:
        if collecting:
            gc.enable()


def _load_tree(config: Config, paths: Sequence[Path] | None, *, save: bool
               ) -> tuple[Tree, list[Finding]]:
    okrs_dir = config.okrs_dir.resolve()
    began = time.time_ns()
    if paths is not None:
        files = _discover_files(okrs_dir, paths) or discover(okrs_dir)
    elif config.okrs_dir in _KEPT:  # loaded again in this process: `mkdocs serve`
        files = _discover_again(okrs_dir)
    else:  # a one-shot load: its folders' stats would never be compared
        files = discover(okrs_dir)
    names: dict[Path, str] = {}
    # what the last whole-tree load showed, from the same folder (serve loads it again)
    cwd = os.getcwd()
    before = _SHOWN[1] if paths is None and _SHOWN[0] == cwd else {}

    def shown(path: Path) -> str:  # asked twice a sheet: relpath's work once
        name = names.get(path)
        if name is None:
            name = before.get(path)
            if name is None:
                name = config.display_path(path)
            names[path] = name
        return name

    if paths is None:
        wanted = list(files.sheets)  # already resolved: found under the resolved okrs_dir
        selected = {shown(p) for p in [*files.sheets, *files.misplaced]}
        if files.org is not None:
            selected.add(shown(files.org))
        misplaced = files.misplaced
    else:
        wanted, misplaced = _select(okrs_dir, files, paths)
        selected = {shown(p) for p in [*wanted, *misplaced]}
        if files.org is not None and files.org.resolve() in {p.resolve() for p in paths}:
            selected.add(shown(files.org))
    findings: list[Finding] = []
    org = None
    digests: dict[str, bytes] = {}
    if files.org is not None:
        org_doc, org_findings = _load(config, files.org, "org", digests)
        findings += org_findings
        if org_doc is not None:
            org = build.org_from(org_doc)
    loaded: dict[Path, Sheet] = {}
    reuse = _Reuse(*_KEPT.get(config.okrs_dir, ({}, {})) if paths is None else ({}, {}),
                   trusted_before=began - _RACY_NS)
    unloaded: dict[str, Finding] = {}
    for path in wanted:
        sheet, sheet_findings = _load_sheet(config, path, shown(path), digests, reuse)
        findings += sheet_findings
        if sheet is not None:
            loaded[path] = sheet
            continue
        errors = [f for f in sheet_findings if f.severity >= Severity.ERROR]
        if errors:
            unloaded[shown(path)] = min(errors, key=Finding.sort_key)
    if paths is not None:  # the sheets that selected objectives point at
        for ref in {o.parent for s in list(loaded.values()) for o in s.objectives if o.parent}:
            parts = ref.split("/")
            if len(parts) != 3:
                continue
            for suffix in YAML_SUFFIXES:
                target = (okrs_dir / parts[0] / (parts[1] + suffix)).resolve()
                if target.is_file() and target not in loaded:
                    doc, _ = _load(config, target, "okr", digests)
                    if doc is not None:
                        loaded[target] = build.sheet_from(doc)
    for path in misplaced:
        findings.append(problems.PATH_MISMATCH.finding(Pos(shown(path)), "location"))
    tree = Tree(config, org, tuple(loaded.values()), frozenset(selected), digests,
                dict(sorted(unloaded.items())))
    if tree.org is not None and tree.org.src.path in tree.selected:  # else all filtered out
        findings += check_org(tree)
    findings += _second_sheets(tree.sheets)
    checks = (tree.digests.get(org.src.path) if org is not None else None,
              repr((config.calendar.fiscal_year_start, sorted(config.calendar.custom.items()))))
    for sheet in tree.sheets:
        if sheet.path in tree.selected:
            one = reuse.kept.get((sheet.path, digests.get(sheet.path, b"")))
            findings += check_sheet(tree, sheet) if one is None else one.check(tree, sheet, checks)
    findings = [f for f in findings if f.pos.path in tree.selected]
    if paths is None:
        _KEPT[config.okrs_dir] = (reuse.kept, reuse.stats)  # this load's: the old ones go
        _SHOWN[:] = [cwd, names]
    if save:
        cache.for_path(config.okrs_dir).save()
    return tree, unique_sorted(findings)


# what the last whole-tree load made of each file's bytes, by okrs folder and (display path,
# digest): under `mkdocs serve` the tree is loaded again after each edit and 799 sheets of
# 800 are the bytes they were; their model (immutable) and findings are taken as they were.
# With them, by display path, each file's stat and digest as read then, when trusted
# (`_RACY_NS`): a file with the same stat is not read again
_KEPT: dict[Path, tuple[dict[tuple[str, bytes], _Kept], dict[str, tuple[Stat, bytes]]]] = {}
# the folders `discover` walked (their stats) and what it found, by okrs folder
_WALKED: dict[Path, tuple[tuple[tuple[str, Stat], ...], _Files]] = {}
# the display path of each file the last whole-tree load saw, and the folder it ran in
_SHOWN: list[Any] = ["", {}]


@dataclass(slots=True)
class _Kept:
    sheet: Sheet | None
    findings: tuple[Finding, ...]  # of the loading (syntax, schema)
    max_bytes: int
    # check_sheet's findings and what they were made under (org.yaml's digest, the cycles);
    # only for a sheet whose objectives name no parent in this tree (another sheet's part)
    checked: tuple[Any, tuple[Finding, ...]] | None = None

    def check(self, tree: Tree, sheet: Sheet, under: Any) -> tuple[Finding, ...]:
        if self.checked is not None and self.checked[0] == under:
            return self.checked[1]
        found = tuple(check_sheet(tree, sheet))
        if all(not o.parent or ":" in o.parent for o in sheet.objectives):
            self.checked = (under, found)
        return found


@dataclass(slots=True)
class _Reuse:
    """What a whole-tree load takes from the last one (`_KEPT`), and leaves for the next."""

    previous: Mapping[tuple[str, bytes], _Kept]
    seen: Mapping[str, tuple[Stat, bytes]]
    trusted_before: int  # time_ns: a stat changed since is not kept (`_RACY_NS`)
    kept: dict[tuple[str, bytes], _Kept] = field(default_factory=dict)
    stats: dict[str, tuple[Stat, bytes]] = field(default_factory=dict)


def _load_sheet(config: Config, path: Path, shown: str, digests: dict[str, bytes],
                reuse: _Reuse) -> tuple[Sheet | None, Sequence[Finding]]:
    """One sheet's model and loading findings; as the last load made them from the same
    bytes, when it did (the same stat as then: not even read)."""
    seen = reuse.seen.get(shown)
    if seen is not None:
        try:
            same = _stat_of(os.stat(path)) == seen[0]
        except OSError:
            same = False
        found = reuse.previous.get((shown, seen[1])) if same else None
        if found is not None and found.max_bytes == config.max_file_bytes:
            digests[shown] = seen[1]
            reuse.kept[(shown, seen[1])] = found
            reuse.stats[shown] = seen
            return found.sheet, found.findings
    try:
        with open(path, "rb") as file:
            stat = _stat_of(os.fstat(file.fileno()))  # as it was when read
            raw = file.read()
    except OSError as err:
        return None, [problems.ENCODING.finding(Pos(shown), "unreadable",
                                                error=err.strerror or str(err))]
    digest = digests[shown] = yamlload.digest(raw)
    if max(stat[0], stat[1]) < reuse.trusted_before:
        reuse.stats[shown] = (stat, digest)
    found = reuse.previous.get((shown, digest))
    if found is None or found.max_bytes != config.max_file_bytes:
        doc, findings = load_bytes(config, shown, raw, "okr")
        found = _Kept(build.sheet_from(doc) if doc is not None else None, tuple(findings),
                      config.max_file_bytes)
    reuse.kept[(shown, digest)] = found
    return found.sheet, found.findings


def _second_sheets(sheets: Iterable[Sheet]) -> Iterator[Finding]:
    """One team has one sheet a cycle: `marketing.yaml` beside `marketing.yml` is refused
    (which one `okr checkin` edits, or the site shows, would be a matter of luck)."""
    first: dict[tuple[str, str], Sheet] = {}
    for sheet in sheets:
        seen = first.setdefault((sheet.cycle_id, sheet.team), sheet)
        if seen is not sheet:
            yield problems.DUPLICATE_ID.finding(sheet.src.pos("team"), "sheet", team=sheet.team,
                                                cycle=sheet.cycle_id, first=seen.path)


def kind_of(path: Path) -> str:
    """The schema a file outside the tree is checked against, from its name."""
    if path.name == CONFIG_NAME:
        return "config"
    return "org" if path.stem == "org" else "okr"


def check_file(config: Config, path: Path, kind: str | None = None) -> list[Finding]:
    """YAML and schema findings of one file on its own, without references."""
    _, findings = _load(config, path, kind or kind_of(path))
    return findings


def _select(okrs_dir: Path, files: _Files, paths: Sequence[Path]
            ) -> tuple[list[Path], list[Path]]:
    # found by os.walk under the resolved okrs_dir (dir symlinks not followed), so
    # already resolved: resolving 800 paths again cost 30 ms of a one-file hook run
    sheets = set(files.sheets)
    misplaced = set(files.misplaced)
    wanted: list[Path] = []
    odd: list[Path] = []
    for given in paths:
        path = given.resolve()
        if path.is_dir():
            wanted += [p for p in sorted(sheets) if p.is_relative_to(path)]
            odd += [p for p in sorted(misplaced) if p.is_relative_to(path)]
        elif path in sheets:
            wanted.append(path)
        elif path in misplaced:
            odd.append(path)
    return list(dict.fromkeys(wanted)), list(dict.fromkeys(odd))


def _load(config: Config, path: Path, kind: str, digests: dict[str, bytes] | None = None
          ) -> tuple[yamlload.Document | None, list[Finding]]:
    shown = config.display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        return None, [problems.ENCODING.finding(Pos(shown), "unreadable",
                                                error=err.strerror or str(err))]
    if digests is not None:  # 16 bytes a sheet, ~7 µs for 6 KB: not the texts themselves
        digests[shown] = yamlload.digest(raw)
    return load_bytes(config, shown, raw, kind)


def load_bytes(config: Config, shown: str, raw: bytes, kind: str
               ) -> tuple[yamlload.Document | None, list[Finding]]:
    """One file's bytes (from disk or a git blob) loaded and checked against the `kind`
    schema; None when either fails. A content already loaded cleanly (by this run's
    history read, or by an earlier run) comes from the parse cache."""
    parses = cache.for_path(config.okrs_dir)
    blob = cache.blob_id(raw) if len(raw) <= config.max_file_bytes else None
    if blob is not None:
        cached = parses.document(blob, kind, shown)
        if cached is not None:
            return cached, []
    doc, findings = yamlload.load_bytes(shown, raw, max_bytes=config.max_file_bytes)
    if doc is None:
        return None, findings
    schema_findings = schema.validate(doc, kind)
    if schema_findings:
        return None, findings + schema_findings
    if blob is not None and not findings:
        parses.keep_document(blob, kind, doc)
    return doc, findings


# -- references and structure --------------------------------------------------


def _dupes(items: Iterable[tuple[str, Source]], what: str, what_zh: str) -> Iterator[Finding]:
    first: dict[str, Source] = {}
    for item_id, src in items:
        if item_id in first:
            yield problems.DUPLICATE_ID.finding(
                src.pos("id"), what=what, what_zh=what_zh, id=item_id,
                first_line=first[item_id].pos("id").line)
        else:
            first[item_id] = src


def _unknown(pos: Pos, what: str, what_zh: str, ref: str, known: Iterable[str]) -> Finding:
    import difflib

    close = difflib.get_close_matches(ref, sorted(known), n=1, cutoff=0.7)
    if close:
        return problems.UNRESOLVED_REFERENCE.finding(pos, "suggest", what=what, what_zh=what_zh,
                                                     ref=ref, suggestion=close[0])
    return problems.UNRESOLVED_REFERENCE.finding(pos, what=what, what_zh=what_zh, ref=ref)


def check_org(tree: Tree) -> list[Finding]:
    org = tree.org
    if org is None:
        return []
    findings = [
        *_dupes(((t.id, t.src) for t in org.themes), "strategy theme", "策略主題"),
        *_dupes(((t.id, t.src) for t in org.teams), "team", "團隊"),
        *_dupes(((p.id, p.src) for p in org.people), "person", "成員"),
    ]
    team_ids = {t.id for t in org.teams}
    for team in org.teams:
        if team.parent is not None and team.parent not in team_ids:
            findings.append(_unknown(team.src.pos("parent"), "team", "團隊", team.parent,
                                     team_ids))
        findings += _people(tree, [(team.lead, team.src.pos("lead"))])
        findings += _people(tree, [(m, team.src.pos("members", i))
                                   for i, m in enumerate(team.members)])
    return findings


_ORG_IDS: list[tuple[Org, frozenset[str], frozenset[str], frozenset[str]]] = []


def _org_ids(org: Org) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The org's team, theme and person ids, once per org (not once per sheet: 800 sheets
    times hundreds of people)."""
    if not _ORG_IDS or _ORG_IDS[0][0] is not org:
        _ORG_IDS[:] = [(org, frozenset(t.id for t in org.teams),
                        frozenset(t.id for t in org.themes), frozenset(p.id for p in org.people))]
    _, teams, themes, people = _ORG_IDS[0]
    return teams, themes, people


def _people(tree: Tree, owners: Iterable[tuple[str | None, Pos]]) -> list[Finding]:
    if tree.org is None or not tree.org.people:
        return []
    known = _org_ids(tree.org)[2]
    return [_unknown(pos, "person", "成員", owner, known)
            for owner, pos in owners if owner is not None and owner not in known]


def _contributors(kr: KeyResult, team_ids: frozenset[str],
                  people: frozenset[str]) -> list[Finding]:
    """A contributor is a team or a person (`contributors: [martin, alex]`); the people
    are checked only when org.yaml lists them, as owners are."""
    findings = []
    for i, ref in enumerate(kr.contributors):
        if ref in team_ids or ref in people:
            continue
        if people:
            findings.append(_unknown(kr.src.pos("contributors", i), "team or person",
                                     "團隊或成員", ref, team_ids | people))
    return findings


def check_sheet(tree: Tree, sheet: Sheet) -> list[Finding]:
    """Path, cycle, ids and references of one sheet."""
    findings: list[Finding] = []
    src = sheet.src
    path = Path(os.path.abspath(sheet.path))  # names only: no need for resolve's syscalls
    expected_cycle, expected_team = path.parent.name, path.stem
    if sheet.cycle_id != expected_cycle:
        findings.append(problems.PATH_MISMATCH.finding(
            src.pos("cycle"), field="cycle", field_zh="週期", inside=sheet.cycle_id,
            expected=expected_cycle))
    if sheet.team != expected_team:
        findings.append(problems.PATH_MISMATCH.finding(
            src.pos("team"), field="team", field_zh="團隊", inside=sheet.team,
            expected=expected_team))
    cycle = tree.cycle(sheet.cycle_id)
    if cycle is None:
        findings.append(problems.UNRESOLVED_REFERENCE.finding(
            src.pos("cycle"), "unknown-cycle", ref=sheet.cycle_id))
    org = tree.org
    if org is None:
        findings.append(problems.UNRESOLVED_REFERENCE.finding(
            src.pos("team"), "no-org", what="team", what_zh="團隊", ref=sheet.team))
    else:
        team_ids, theme_ids, person_ids = _org_ids(org)
        if sheet.team not in team_ids:
            findings.append(_unknown(src.pos("team"), "team", "團隊", sheet.team, team_ids))
        owners: list[tuple[str | None, Pos]] = [(sheet.owner, src.pos("owner"))]
        for objective in sheet.objectives:
            owners.append((objective.owner, objective.src.pos("owner")))
            for i, theme in enumerate(objective.strategy):
                if theme not in theme_ids:
                    findings.append(_unknown(objective.src.pos("strategy", i),
                                             "strategy theme", "策略主題", theme, theme_ids))
            for kr in objective.key_results:
                owners.append((kr.owner, kr.src.pos("owner")))
                owners += [(i.owner, i.src.pos("owner")) for i in kr.initiatives]
                findings += _contributors(kr, team_ids, person_ids)
        findings += _people(tree, owners)
    findings += _dupes(((o.id, o.src) for o in sheet.objectives), "objective", "目標")
    for objective in sheet.objectives:
        findings += _dupes(((kr.id, kr.src) for kr in objective.key_results),
                           "key result", "關鍵結果")
        if objective.parent is not None:
            findings += _check_parent(tree, objective, cycle)
    return findings


def _check_parent(tree: Tree, objective: Objective, cycle: Cycle | None) -> list[Finding]:
    ref = objective.parent
    assert ref is not None
    if ":" in ref:
        # another repository's objective (`<include>:<cycle>/<team>/<objective>`): the site
        # checks it against that repository's export (okrkit.include), the linter cannot
        return []
    pos = objective.src.pos("parent")
    found = tree.objective(ref)
    if found is None:
        known = [s.ref(o) for s in tree.sheets for o in s.objectives]
        return [_unknown(pos, "parent objective", "上層目標", ref, known)]
    parent_sheet, _ = found
    parent_cycle = tree.cycle(parent_sheet.cycle_id)
    if cycle is not None and parent_cycle is not None and not parent_cycle.contains(cycle):
        return [problems.UNRESOLVED_REFERENCE.finding(
            pos, "cycle-outside", ref=ref, parent_cycle=parent_cycle.id, cycle=cycle.id)]
    return []


# -- choosing a cycle and a key result (status, checkin, log, the site) -----------


def current_cycle(tree: Tree, today: dt.date) -> Cycle | None:
    """Config `current_cycle`, else the shortest cycle with sheets that contains `today`,
    else the latest cycle with sheets; None when there are no sheets."""
    return pick_current_cycle(tree.config, tree.cycles(), today)


def current_cycle_folder(config: Config, today: dt.date) -> Cycle | None:
    """`current_cycle` judged from the folders that hold YAML files, without reading any:
    a command that needs one cycle's sheets reads only those."""
    found = []
    if config.okrs_dir.is_dir():
        for entry in os.scandir(config.okrs_dir):
            # a linked folder is not followed, nor an unreadable one read: as `discover`
            cycle = (config.calendar.get(entry.name) if entry.is_dir(follow_symlinks=False)
                     else None)
            if cycle is None:
                continue
            try:
                names = os.listdir(entry.path)
            except OSError:
                continue
            if any(name.endswith(YAML_SUFFIXES) for name in names):
                found.append(cycle)
    return pick_current_cycle(config, sorted(found, key=Cycle.sort_key), today)


def pick_current_cycle(config: Config, cycles: Sequence[Cycle], today: dt.date
                       ) -> Cycle | None:
    if config.current_cycle:
        configured = config.calendar.get(config.current_cycle)
        if configured is not None:
            return configured
    active = [c for c in cycles if c.contains_date(today)]
    if active:
        return min(active, key=lambda c: (c.days, c.start))
    return max(cycles, key=lambda c: (c.end, c.start), default=None)


_REF_MESSAGES = {
    "empty": {"en": "empty key result reference", "zh-TW": "關鍵結果參照是空的"},
    "unknown": {"en": "no key result matches '{ref}'",
                "zh-TW": "找不到符合「{ref}」的關鍵結果"},
    "suggest": {"en": "no key result matches '{ref}' (did you mean '{suggestion}'?)",
                "zh-TW": "找不到符合「{ref}」的關鍵結果(是否指「{suggestion}」?)"},
    "ambiguous": {"en": "'{ref}' matches {count} key results: {candidates}",
                  "zh-TW": "「{ref}」符合 {count} 個關鍵結果:{candidates}"},
}


def split_ref(text: str) -> list[str]:
    """The ids of a reference: `/`-separated, leading, trailing and doubled slashes ignored."""
    return [p for p in text.strip().strip("/").split("/") if p]


def is_subsequence(parts: Sequence[str], of: Sequence[str]) -> bool:
    """Every one of `parts` in `of`, in that order (a short form names some ids, in order)."""
    it = iter(of)
    return all(any(part == item for item in it) for part in parts)


@dataclass(frozen=True, slots=True)
class KrMatch:
    """What a key result reference names: the candidates after the current cycle's
    preference, and, when there is none, the nearest known reference or id."""

    ref: str  # as given
    found: tuple[tuple[Sheet, Objective, KeyResult], ...]
    suggestion: str | None = None

    def error(self) -> FatalError:
        """Why `ref` names no single key result, in both languages."""
        if not split_ref(self.ref):
            return _ref_error("empty")
        if not self.found:
            if self.suggestion is not None:
                return _ref_error("suggest", ref=self.ref, suggestion=self.suggestion)
            return _ref_error("unknown", ref=self.ref)
        candidates = ", ".join(sorted(s.ref(o, kr) for s, o, kr in self.found))
        return _ref_error("ambiguous", ref=self.ref, count=str(len(self.found)),
                          candidates=candidates)


def _ref_error(key: str, **values: str) -> FatalError:
    messages = _REF_MESSAGES[key]
    return FatalError(messages["en"].format(**values), zh=messages["zh-TW"].format(**values))


def match_kr_refs(tree: Tree, text: str, today: dt.date) -> KrMatch:
    """The key results named by `cycle/team/objective/kr` or a short form of it.

    A short form keeps the key result id last and any of cycle, team and
    objective before it, in that order (`marketing/unique-visitors`,
    `unique-visitors`). Without a cycle, a key result of the current cycle wins
    over the same id in other cycles.
    """
    parts = split_ref(text)
    if not parts:
        return KrMatch(text, ())
    def matching(before: Sequence[str]) -> list[tuple[Sheet, Objective, KeyResult]]:
        return [(s, o, kr) for s, o, kr in tree.key_results()
                if kr.id == parts[-1] and is_subsequence(before, (s.cycle_id, s.team, o.id))]

    found = matching(parts[:-1])
    if not found and tree.org is not None:  # a team by its name (行銷部/unique-visitors)
        found = matching([t.id if (t := tree.org.team_named(p)) is not None else p
                          for p in parts[:-1]])
    if len(found) > 1 and not any(p == s.cycle_id for s, _, _ in found for p in parts[:-1]):
        current = current_cycle(tree, today)
        in_current = [f for f in found if current is not None and f[0].cycle_id == current.id]
        if in_current:
            found = in_current
    if found:
        return KrMatch(text, tuple(found))
    import difflib

    known = [s.ref(o, kr) for s, o, kr in tree.key_results()]
    known += [kr.id for _, _, kr in tree.key_results()]
    close = difflib.get_close_matches(text.strip(), sorted(set(known)), n=1, cutoff=0.6)
    return KrMatch(text, (), close[0] if close else None)


def resolve_kr_ref(tree: Tree, text: str, *, today: dt.date | None = None
                   ) -> tuple[Sheet, Objective, KeyResult]:
    """The one key result `text` names (`match_kr_refs`); FatalError when nothing or more
    than one key result matches, naming the candidates."""
    match = match_kr_refs(tree, text, today or dt.date.today())
    if len(match.found) == 1:
        return match.found[0]
    raise match.error()
