"""The OKR tree: discovery, selective loading, the current cycle and key result references."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest

from okrkit.config import load_config
from okrkit.errors import FatalError
from okrkit.tree import (
    _discover_files,
    current_cycle,
    current_cycle_folder,
    discover,
    load_tree,
    match_kr_refs,
    resolve_kr_ref,
    split_ref,
)

D = dt.date


@pytest.fixture
def demo(demo_tree: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(demo_tree)
    return demo_tree


def _tree(root: Path, paths: list[Path] | None = None):  # type: ignore[no-untyped-def]
    config, findings = load_config(root)
    assert findings == []
    return load_tree(config, paths)


def test_demo_tree_is_clean(demo: Path) -> None:
    tree, findings = _tree(demo)
    assert findings == []
    assert tree.org is not None and tree.org.name == "雲祥數位 Demo Co."
    assert sorted(f"{s.cycle_id}/{s.team}" for s in tree.sheets) == [
        "2026-Q1/content", "2026-Q1/ecommerce", "2026-Q1/expansion", "2026-Q1/marketing",
        "2026-Q1/sales", "2026-Q4/ecommerce", "2026-Q4/marketing", "2026-Q4/sales",
        "2026/company"]
    assert [c.id for c in tree.cycles()] == ["2026", "2026-Q1", "2026-Q4"]
    assert "okrs/org.yaml" in tree.selected


def test_discover_sorts_files_into_org_sheets_and_misplaced(demo: Path) -> None:
    (demo / "okrs" / "2026-Q1" / "drafts").mkdir()
    (demo / "okrs" / "2026-Q1" / "drafts" / "x.yaml").write_text("a: 1\n", encoding="utf-8")
    (demo / "okrs" / ".hidden").mkdir()
    (demo / "okrs" / ".hidden" / "y.yaml").write_text("a: 1\n", encoding="utf-8")
    (demo / "okrs" / "README.md").write_text("# notes\n", encoding="utf-8")
    files = discover(demo / "okrs")
    assert files.org == demo / "okrs" / "org.yaml"
    assert len(files.sheets) == 9
    assert files.misplaced == [demo / "okrs" / "2026-Q1" / "drafts" / "x.yaml"]


def test_files_alone_are_sorted_as_the_walk_sorts_them(demo: Path) -> None:
    # the hook's one sheet is placed without walking the tree: the same verdict per file
    okrs = demo / "okrs"
    for folder in ("2026-Q1/drafts", ".hidden", "2026-Q1/.old"):
        (okrs / folder).mkdir()
    for name in ("2026-Q1/drafts/x.yaml", ".hidden/y.yaml", "2026-Q1/.old/z.yml", "loose.yaml",
                 "org.yml", "2026-Q1/notes.txt", "2026-Q1/odd.yml"):
        (okrs / name).write_text("a: 1\n", encoding="utf-8")
    (okrs / "2026-Q1" / "link.yaml").symlink_to(okrs / "2026-Q1" / "sales.yaml")
    (okrs / "2026-Q1" / "dangling.yaml").symlink_to(okrs / "2026-Q1" / "gone.yaml")
    walked = discover(okrs)
    given = [okrs / "2026-Q1" / n for n in ("marketing.yaml", "odd.yml", "notes.txt",
                                            "missing.yaml", "link.yaml", "dangling.yaml")]
    given += [okrs / n for n in ("2026-Q1/drafts/x.yaml", ".hidden/y.yaml",
                                 "2026-Q1/.old/z.yml", "loose.yaml", "org.yaml", "org.yml")]
    given += [demo / "elsewhere.yaml", okrs / "2026-Q1" / ".." / "2026-Q4" / "sales.yaml"]
    for path in given:
        alone = _discover_files(okrs, [path])
        assert alone is not None
        assert alone.org == walked.org == okrs / "org.yml"
        resolved = path.resolve()
        assert alone.sheets == [p for p in walked.sheets if p == resolved], path
        assert alone.misplaced == [p for p in walked.misplaced if p == resolved], path
    assert _discover_files(okrs, [okrs / "2026-Q1"]) is None  # a folder: walk


def test_selection_reads_the_parents_sheet_but_reports_only_the_selection(demo: Path) -> None:
    marketing = demo / "okrs" / "2026-Q1" / "marketing.yaml"
    tree, findings = _tree(demo, [marketing])
    assert findings == []
    assert sorted(s.path for s in tree.sheets) == ["okrs/2026-Q1/marketing.yaml",
                                                   "okrs/2026/company.yaml"]
    assert tree.selected == frozenset({"okrs/2026-Q1/marketing.yaml"})


def test_selection_of_a_folder(demo: Path) -> None:
    tree, _ = _tree(demo, [demo / "okrs" / "2026-Q4"])
    assert sorted(tree.selected) == ["okrs/2026-Q4/ecommerce.yaml",
                                     "okrs/2026-Q4/marketing.yaml", "okrs/2026-Q4/sales.yaml"]


def test_a_broken_sheet_is_left_out_of_the_model(demo: Path) -> None:
    (demo / "okrs" / "2026-Q1" / "sales.yaml").write_text("cycle: [\n", encoding="utf-8")
    tree, findings = _tree(demo)
    assert [f.code for f in findings] == ["OKR001"]
    assert "okrs/2026-Q1/sales.yaml" not in {s.path for s in tree.sheets}


# -- current_cycle -------------------------------------------------------------------------


@pytest.mark.parametrize(("today", "expected"), [
    (D(2026, 2, 1), "2026-Q1"),     # the shortest cycle with sheets that contains today
    (D(2026, 5, 1), "2026"),        # no quarter with sheets: the year
    (D(2026, 12, 31), "2026-Q4"),
    (D(2027, 6, 1), "2026-Q4"),     # after every cycle: the latest
    (D(2025, 6, 1), "2026-Q4"),
])
def test_current_cycle(demo: Path, today: dt.date, expected: str) -> None:
    tree, _ = _tree(demo)
    found = current_cycle(tree, today)
    assert found is not None and found.id == expected
    # judged from the folders alone, without reading a sheet: the same cycle
    by_folder = current_cycle_folder(tree.config, today)
    assert by_folder is not None and by_folder.id == expected


def test_current_cycle_folder_ignores_empty_and_odd_folders(demo: Path) -> None:
    (demo / "okrs" / "2026-Q2").mkdir()  # no sheet yet
    (demo / "okrs" / "2026-Q2" / "notes.txt").write_text("x", encoding="utf-8")
    (demo / "okrs" / "drafts").mkdir()
    (demo / "okrs" / "drafts" / "x.yaml").write_text("a: 1\n", encoding="utf-8")
    config, _ = load_config(demo)
    found = current_cycle_folder(config, D(2026, 5, 1))
    assert found is not None and found.id == "2026"


def test_current_cycle_from_config(demo: Path) -> None:
    (demo / ".okrkit.yaml").write_text("current_cycle: 2026-Q1\n", encoding="utf-8")
    tree, _ = _tree(demo)
    found = current_cycle(tree, D(2026, 11, 1))
    assert found is not None and found.id == "2026-Q1"


def test_current_cycle_with_a_fiscal_year(demo: Path) -> None:
    (demo / ".okrkit.yaml").write_text("fiscal_year_start: 7\n", encoding="utf-8")
    tree, _ = _tree(demo)
    found = current_cycle(tree, D(2026, 2, 1))  # fiscal 2026-Q1 is July–September 2026
    assert found is not None and found.id == "2026-Q4"


def test_no_current_cycle_without_sheets(tmp_path: Path) -> None:
    (tmp_path / "okrs").mkdir()
    config, _ = load_config(tmp_path)
    tree, _ = load_tree(config)
    assert current_cycle(tree, D(2026, 1, 1)) is None


# -- resolve_kr_ref ------------------------------------------------------------------------


@pytest.mark.parametrize(("ref", "expected"), [
    ("2026-Q1/marketing/brand-awareness/unique-visitors",
     "2026-Q1/marketing/brand-awareness/unique-visitors"),
    ("2026-Q4/marketing/brand-awareness/unique-visitors",
     "2026-Q4/marketing/brand-awareness/unique-visitors"),
    ("marketing/unique-visitors", "2026-Q1/marketing/brand-awareness/unique-visitors"),
    ("unique-visitors", "2026-Q1/marketing/brand-awareness/unique-visitors"),
    ("brand-awareness/unique-visitors", "2026-Q1/marketing/brand-awareness/unique-visitors"),
    ("2026-Q4/unique-visitors", "2026-Q4/marketing/brand-awareness/unique-visitors"),
    ("/2026/company/grow-online/online-revenue/", "2026/company/grow-online/online-revenue"),
    ("online-revenue", "2026/company/grow-online/online-revenue"),  # only in the year
    # a team by its name in org.yaml, as people see it on the site and in okr status
    ("行銷部/unique-visitors", "2026-Q1/marketing/brand-awareness/unique-visitors"),
    ("2026-Q4/行銷部/brand-awareness/unique-visitors",
     "2026-Q4/marketing/brand-awareness/unique-visitors"),
])
def test_resolve_kr_ref(demo: Path, ref: str, expected: str) -> None:
    tree, _ = _tree(demo)
    sheet, objective, kr = resolve_kr_ref(tree, ref, today=D(2026, 2, 1))
    assert sheet.ref(objective, kr) == expected


def test_short_forms_prefer_the_current_cycle(demo: Path) -> None:
    tree, _ = _tree(demo)
    sheet, _, _ = resolve_kr_ref(tree, "marketing/unique-visitors", today=D(2026, 11, 1))
    assert sheet.cycle_id == "2026-Q4"


def test_ambiguous_ref_names_the_candidates(demo: Path) -> None:
    tree, _ = _tree(demo)
    with pytest.raises(FatalError) as err:
        resolve_kr_ref(tree, "conversion-rate", today=D(2026, 2, 1))
    assert str(err.value) == (
        "'conversion-rate' matches 2 key results: "
        "2026-Q1/ecommerce/conversion/conversion-rate, "
        "2026-Q1/marketing/website-conversion/conversion-rate")
    assert err.value.message("zh-TW").startswith("「conversion-rate」符合 2 個關鍵結果:")


@pytest.mark.parametrize(("ref", "message"), [
    ("unique-visitor", "no key result matches 'unique-visitor' (did you mean "
                       "'unique-visitors'?)"),
    ("sales/unique-visitors", "no key result matches 'sales/unique-visitors' (did you mean "
                              "'unique-visitors'?)"),
    ("zzz", "no key result matches 'zzz'"),
    ("  / ", "empty key result reference"),
])
def test_unknown_ref(demo: Path, ref: str, message: str) -> None:
    tree, _ = _tree(demo)
    with pytest.raises(FatalError) as err:
        resolve_kr_ref(tree, ref, today=D(2026, 2, 1))
    assert str(err.value) == message


def test_current_cycle_folder_ignores_a_symlinked_folder(demo: Path, tmp_path: Path) -> None:
    # the tree is discovered without following folder links (load_tree never reads the
    # sheets behind one), so the folder alone must not make its cycle the current one
    elsewhere = tmp_path / "elsewhere"
    (demo / "okrs" / "2026-Q1").rename(elsewhere)
    (demo / "okrs" / "2026-Q1").symlink_to(elsewhere, target_is_directory=True)
    tree, _ = _tree(demo)
    expected = current_cycle(tree, D(2026, 2, 1))
    assert expected is not None and expected.id == "2026"
    found = current_cycle_folder(tree.config, D(2026, 2, 1))
    assert found is not None and found.id == "2026"


# -- match_kr_refs, split_ref -------------------------------------------------------------


@pytest.mark.parametrize(("text", "parts"), [
    ("2026-Q1/marketing/brand-awareness/unique-visitors",
     ["2026-Q1", "marketing", "brand-awareness", "unique-visitors"]),
    (" /marketing//unique-visitors/ ", ["marketing", "unique-visitors"]),
    ("  / ", []),
])
def test_split_ref(text: str, parts: list[str]) -> None:
    assert split_ref(text) == parts


def test_match_kr_refs_gives_the_candidates_and_a_suggestion(demo: Path) -> None:
    tree, _ = _tree(demo)
    ambiguous = match_kr_refs(tree, "conversion-rate", D(2026, 2, 1))
    assert sorted(s.ref(o, kr) for s, o, kr in ambiguous.found) == [
        "2026-Q1/ecommerce/conversion/conversion-rate",
        "2026-Q1/marketing/website-conversion/conversion-rate"]
    assert ambiguous.suggestion is None
    near = match_kr_refs(tree, "unique-visitor", D(2026, 2, 1))
    assert (near.found, near.suggestion) == ((), "unique-visitors")
    assert match_kr_refs(tree, "zzz", D(2026, 2, 1)).suggestion is None
    assert str(match_kr_refs(tree, "zzz", D(2026, 2, 1)).error()) == "no key result matches 'zzz'"
    assert match_kr_refs(tree, "zzz", D(2026, 2, 1)).error().message("zh-TW") == (
        "找不到符合「zzz」的關鍵結果")


# -- sheets that did not load, two sheets of one team --------------------------------------


def test_the_tree_records_the_first_error_of_each_sheet_that_did_not_load(demo: Path) -> None:
    broken = demo / "okrs" / "2026-Q1" / "sales.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("cycle: 2026-Q1", "cycle: [",
                                                                  1), encoding="utf-8")
    (demo / "okrs" / "2026-Q4" / "ecommerce.yaml").write_text("cycle: 2026-Q4\n",
                                                              encoding="utf-8")
    tree, findings = _tree(demo)
    assert list(tree.unloaded) == ["okrs/2026-Q1/sales.yaml", "okrs/2026-Q4/ecommerce.yaml"]
    for path, finding in tree.unloaded.items():
        assert finding == next(f for f in findings if f.pos.path == path)
    assert tree.unloaded["okrs/2026-Q1/sales.yaml"].code == "OKR001"
    assert tree.unloaded["okrs/2026-Q4/ecommerce.yaml"].code == "OKR002"
    assert _tree(demo, [demo / "okrs" / "2026-Q1"])[0].unloaded.keys() == {
        "okrs/2026-Q1/sales.yaml"}


def test_a_second_sheet_for_a_team_in_a_cycle(demo: Path) -> None:
    first = demo / "okrs" / "2026-Q4" / "marketing.yaml"
    second = first.with_suffix(".yml")
    second.write_bytes(first.read_bytes())
    tree, findings = _tree(demo)
    team_line = next(n for n, line in enumerate(first.read_text(encoding="utf-8").splitlines(),
                                                start=1) if line.startswith("team:"))
    assert [(str(f.pos), f.code, f.message("en"), f.message("zh-TW")) for f in findings] == [
        (f"okrs/2026-Q4/marketing.yml:{team_line}:7", "OKR005",
         "a second sheet for team 'marketing' in cycle '2026-Q4' (first: "
         "okrs/2026-Q4/marketing.yaml)",
         "團隊「marketing」在週期「2026-Q4」有第二份表(第一份:okrs/2026-Q4/marketing.yaml)")]
    assert tree.sheet("2026-Q4", "marketing").path == "okrs/2026-Q4/marketing.yaml"


def _opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files the tree loader opens from now on."""
    import okrkit.tree as tree_module

    names: list[str] = []
    real = open

    def counting(file: Any, *args: Any, **kwargs: Any) -> Any:
        names.append(Path(file).name)
        return real(file, *args, **kwargs)

    monkeypatch.setattr(tree_module, "open", counting, raising=False)
    return names


def _set_confidence(sheet: Path, old: bytes, new: bytes) -> None:
    raw = sheet.read_bytes()
    assert b"confidence: " + old in raw
    sheet.write_bytes(raw.replace(b"confidence: " + old, b"confidence: " + new, 1))


def _confidences(tree: Any, cycle: str, team: str) -> list[float | None]:
    return [kr.confidence for o in tree.sheet(cycle, team).objectives for kr in o.key_results]


def test_a_whole_tree_load_again_reads_only_the_sheets_whose_stat_changed(
        demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # as for files last changed long before the loads (mkdocs serve, a person editing)
    monkeypatch.setattr("okrkit.tree._RACY_NS", -10**18)
    first, findings = _tree(demo)
    opened = _opened(monkeypatch)
    again, again_findings = _tree(demo)
    assert opened == [] and again_findings == findings
    assert all(a is b for a, b in zip(again.sheets, first.sheets, strict=True))
    assert again.digests == first.digests
    sheet = demo / "okrs" / "2026-Q1" / "marketing.yaml"
    _set_confidence(sheet, b"0.6", b"0.25")  # a longer file: another size
    edited, _ = _tree(demo)
    assert opened == ["marketing.yaml"]
    assert 0.25 in _confidences(edited, "2026-Q1", "marketing")
    assert 0.25 not in _confidences(first, "2026-Q1", "marketing")
    # a new file: its folder changed, so the folders are walked again
    (demo / "okrs" / "2026-Q1" / "notes.yml").write_text("cycle: 2026-Q1\n", encoding="utf-8")
    walked, _ = _tree(demo)
    assert "okrs/2026-Q1/notes.yml" in walked.selected


def test_a_sheet_changed_just_before_a_load_is_read_again_by_the_next(
        demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import okrkit.tree as tree_module

    sheet = demo / "okrs" / "2026-Q1" / "marketing.yaml"
    _set_confidence(sheet, b"0.6", b"0.5")  # now: within the file system clock's tick
    tree, _ = _tree(demo)
    # its stat is not trusted: the same size and times after a second edit in the same
    # tick would look unchanged
    assert "okrs/2026-Q1/marketing.yaml" not in tree_module._KEPT[tree.config.okrs_dir][1]
    before = os.stat(sheet)
    _set_confidence(sheet, b"0.5", b"0.4")  # the same size
    os.utime(sheet, ns=(before.st_atime_ns, before.st_mtime_ns))
    opened = _opened(monkeypatch)
    again, _ = _tree(demo)
    assert "marketing.yaml" in opened  # with the others, copied as the test began
    assert 0.4 in _confidences(again, "2026-Q1", "marketing")


def test_only_a_tree_loaded_again_in_a_process_keeps_its_folders_stats(
        demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import okrkit.tree as tree_module

    monkeypatch.setattr(tree_module, "_RACY_NS", -10**18)  # folders made long ago
    okrs = (demo / "okrs").resolve()
    walks: list[Path] = []

    def counting(okrs_dir: Path) -> Any:
        walks.append(okrs_dir)
        return discover(okrs_dir)

    monkeypatch.setattr(tree_module, "discover", counting)
    # its cycles' folders (the okrs folder itself is asked about elsewhere too)
    folders = {folder for folder, _, _ in os.walk(okrs)} - {str(okrs)}
    assert folders
    stats: list[str] = []
    real_stat = os.stat

    def stat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        if str(path) in folders:
            stats.append(str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(tree_module.os, "stat", stat)
    # a one-shot command (`okr lint`): one walk, not one stat of a folder, nothing kept
    first, _ = _tree(demo)
    assert (walks, stats) == ([okrs], [])
    assert okrs not in tree_module._WALKED
    # loaded again in this process (`mkdocs serve`): walked, and its folders' stats kept
    _tree(demo)
    assert walks == [okrs, okrs] and okrs in tree_module._WALKED
    # ... so the next load takes the files found, from one stat per folder
    stats.clear()
    third, _ = _tree(demo)
    assert walks == [okrs, okrs]
    assert sorted(stats) == sorted(folders)
    assert [s.path for s in third.sheets] == [s.path for s in first.sheets]
