"""`okr checkin --batch FILE.csv`: a week's check-ins from a spreadsheet, every row resolved
and validated before any file is written, one commit with --commit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gitrepo import GitRepo
from okrkit.cli import main

TEAMS = [f"team-{i:02d}" for i in range(1, 11)]
KRS = [f"kr-{j}" for j in range(1, 6)]


def _org() -> str:
    teams = "".join(f"  - id: {t}\n    name: Team {t[-2:]}\n" for t in TEAMS)
    return f"name: Batch Co\nstrategy:\n  - id: grow\n    title: Grow\nteams:\n{teams}"


def _sheet(team: str) -> str:
    krs = "".join(
        f"      - id: {kr}\n        title: Reach {100 + i * 10} sign-ups a week\n"
        f"        baseline: 100\n        target: {200 + i}\n        current: 120   # week 1\n"
        for i, kr in enumerate(KRS))
    return (f"cycle: 2026-Q1\nteam: {team}\nowner: {team}-lead\nobjectives:\n"
            f"  - id: grow-signups\n    title: Grow sign-ups\n    strategy: [grow]\n"
            f"    key_results:\n{krs}")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = GitRepo(tmp_path_factory.mktemp("batch") / "repo")
    repo.write("okrs/org.yaml", _org())
    for team in TEAMS:
        repo.write(f"okrs/2026-Q1/{team}.yaml", _sheet(team))
    repo.commit("okrs: ten teams")
    return repo.path


@pytest.fixture
def repo(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    shutil.copytree(template, tmp_path / "repo", symlinks=True)
    found = GitRepo.__new__(GitRepo)
    found.path = tmp_path / "repo"
    monkeypatch.chdir(found.path)
    monkeypatch.setenv("OKR_TODAY", "2026-02-14")
    return found


def rows(bad: dict[int, tuple[str, str]] | None = None, *, zh: bool = False) -> str:
    """50 rows (spreadsheet rows 2..51), one per key result of the ten sheets; `bad` maps a
    spreadsheet row number to (kr, value) to put there instead."""
    header = "關鍵結果,數值,信心指數,備註" if zh else "kr,value,confidence,note"
    lines = [header]
    for n, (team, kr) in enumerate(((t, k) for t in TEAMS for k in KRS), start=2):
        ref, value = (bad or {}).get(n, (f"{team}/{kr}", str(130 + n)))
        lines.append(f'{ref},{value},0.{n % 10},"week 7, row {n}"')
    return "\n".join(lines) + "\n"


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "okrs").rglob("*"))
            if p.is_file()}


def test_50_rows_across_10_sheets_make_one_commit(repo: GitRepo, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "week7.csv"
    csv.write_text(rows(), encoding="utf-8")
    head = repo.head()

    assert main(["checkin", "--batch", str(csv), "--commit"]) == 0

    out = capsys.readouterr().out
    assert f"{csv}: 50 key results checked in (50 changed)" in out
    assert repo.git("rev-list", "--count", f"{head}..HEAD").strip() == "1"
    changed = repo.git("show", "--name-only", "--format=", "HEAD").split()
    assert changed == [f"okrs/2026-Q1/{t}.yaml" for t in TEAMS]
    message = repo.git("log", "-1", "--format=%B")
    assert message.startswith("checkin: 50 key results from week7.csv\n\n"
                              "checkin(team-01/kr-1): 120 → 132, confidence – → 0.2\n")
    sheet = (repo.path / "okrs/2026-Q1/team-10.yaml").read_text(encoding="utf-8")
    assert "current: 181   # week 1" in sheet  # the last row; the comment kept
    assert 'notes: "week 7, row 51"' in sheet or "notes: week 7, row 51" in sheet
    assert repo.git("status", "--porcelain") == ""


@pytest.mark.parametrize(("bad", "message"), [
    (("team-08/kr-1", "lots"), "line 37, column 2: 'lots' is not a number"),
    (("team-08/no-such", "5"), "line 37, column 1: no key result matches"),
    (("team-01/kr-1", "5"), "line 37: 2026-Q1/team-01/grow-signups/kr-1 is already checked "
                            "in by line 2"),
])
def test_a_bad_row_37_writes_nothing(repo: GitRepo, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str],
                                     bad: tuple[str, str], message: str) -> None:
    csv = tmp_path / "week7.csv"
    csv.write_text(rows({37: bad}), encoding="utf-8")
    before, head = snapshot(repo.path), repo.head()

    assert main(["checkin", "--batch", str(csv), "--commit"]) == 2

    err = capsys.readouterr().err
    assert f"okr: error: {csv}: {message}" in err
    assert snapshot(repo.path) == before
    assert repo.head() == head


def test_zh_tw_headers_and_a_bom(repo: GitRepo, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "第七週.csv"
    csv.write_bytes(b"\xef\xbb\xbf" + rows({2: ("team-01/kr-1", '"1,234"')}, zh=True)
                    .encode("utf-8"))

    assert main(["checkin", "--batch", str(csv), "--lang", "zh-TW"]) == 0

    out, err = capsys.readouterr()
    assert f"{csv}:已更新 50 個關鍵結果(其中 50 個有變更)" in out
    assert "current: 1234   # week 1" in (repo.path / "okrs/2026-Q1/team-01.yaml").read_text(
        encoding="utf-8")
    assert "尚未提交" in err  # not committed without --commit


@pytest.mark.parametrize(("text", "message"), [
    ("kr,amount\nteam-01/kr-1,5\n", "line 1, column 2: unknown column 'amount'"),
    ("kr,confidence\nteam-01/kr-1,0.5\n", "line 1: no 'value' column"),
    ("kr,value,kr\n", "line 1, column 3: column 'kr' appears twice"),
    ("kr,value\n", "no rows to check in"),
    ("", "no header row"),
    ("kr,value\nteam-01/kr-1,5,0.5\n\"team-02/kr-1,6\n", "line 3, column 1: no key result"),
    ("kr,value,confidence\nteam-01/kr-1,5,1.2\n",
     "line 2, column 3: confidence '1.2' is not a number from 0 to 1"),
])
def test_a_bad_file_is_a_clear_message(repo: GitRepo, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str], text: str,
                                       message: str) -> None:
    csv = tmp_path / "bad.csv"
    csv.write_text(text, encoding="utf-8")
    before = snapshot(repo.path)

    assert main(["checkin", "--batch", str(csv)]) == 2

    assert message in capsys.readouterr().err
    assert snapshot(repo.path) == before


def test_full_references_read_only_their_sheets_and_a_typo_is_still_explained(
        repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = repo.path / "okrs/2026-Q1/team-05.yaml"  # a sheet no row names: never read
    broken.write_text("cycle: [\n", encoding="utf-8")
    csv = tmp_path / "full.csv"
    csv.write_text("kr,value\n2026-Q1/team-01/grow-signups/kr-1,150\n"
                   "2026-Q1/team-02/grow-signups/kr-2,151\n", encoding="utf-8")
    assert main(["checkin", "--batch", str(csv)]) == 0
    assert "2 key results checked in (2 changed)" in capsys.readouterr().out

    broken.write_text(_sheet("team-05"), encoding="utf-8")
    csv.write_text("kr,value\n2026-Q1/team-01/grow-signups/kr-11,150\n", encoding="utf-8")
    assert main(["checkin", "--batch", str(csv)]) == 2
    assert ("line 2, column 1: no key result matches '2026-Q1/team-01/grow-signups/kr-11' "
            "(did you mean '2026-Q1/team-01/grow-signups/kr-1'?)") in capsys.readouterr().err


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_a_backwards_row_is_refused_with_commit_unless_allowed(
        repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str) -> None:
    csv = tmp_path / "week7.csv"
    csv.write_text(rows({37: ("team-08/kr-1", "5")}), encoding="utf-8")  # 120 → 5: a typo?
    before, head = snapshot(repo.path), repo.head()

    assert main(["checkin", "--batch", str(csv), "--commit", "--lang", lang]) == 2
    err = capsys.readouterr().err
    assert {"en": f"{csv}: line 37, column 2: 2026-Q1/team-08/grow-signups/kr-1: current "
                  "would move backwards (120 → 5) while the key result should go up: check "
                  "the reference, or add --allow-backwards to commit it",
            "zh-TW": f"{csv}:第 37 行第 2 欄:2026-Q1/team-08/grow-signups/kr-1:目前值將往"
                     "反方向移動(120 → 5),這個關鍵結果應該上升:請確認參照是否正確,或加上 "
                     "--allow-backwards 提交"}[lang] in err
    assert snapshot(repo.path) == before and repo.head() == head  # no row written

    assert main(["checkin", "--batch", str(csv), "--commit", "--allow-backwards"]) == 0
    assert "warning: 2026-Q1/team-08/grow-signups/kr-1: current moves backwards (120 → 5)" \
        in capsys.readouterr().err
    assert "checkin(team-08/kr-1): 120 → 5" in repo.git("log", "-1", "--format=%B")


def test_a_backwards_row_without_commit_is_written_with_a_warning(
        repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "week7.csv"
    csv.write_text("kr,value\nteam-08/kr-2,5\n", encoding="utf-8")

    assert main(["checkin", "--batch", str(csv)]) == 0  # as `okr checkin KR 5` does
    assert "current moves backwards (120 → 5)" in capsys.readouterr().err
    assert "current: 5   # week 1" in (repo.path / "okrs/2026-Q1/team-08.yaml").read_text(
        encoding="utf-8")


def test_values_and_confidences_as_the_spreadsheet_shows_them(
        repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "week7.csv"
    csv.write_text('kr,value,confidence\nteam-01/kr-1,"1,250",70%\nteam-01/kr-2,0.2萬,0.6\n'
                   "team-02/kr-1,2.9%,\n", encoding="utf-8")
    before = snapshot(repo.path)

    assert main(["checkin", "--batch", str(csv)]) == 2  # a unit the key result has not
    assert (f"{csv}: line 4, column 2: '2.9%' has the unit '%', but the key result has "
            "none: give the number alone") in capsys.readouterr().err
    assert snapshot(repo.path) == before

    csv.write_text(csv.read_text(encoding="utf-8").replace("2.9%", "129"), encoding="utf-8")
    assert main(["checkin", "--batch", str(csv)]) == 0
    sheet = (repo.path / "okrs/2026-Q1/team-01.yaml").read_text(encoding="utf-8")
    assert "current: 1250   # week 1\n        confidence: 0.7" in sheet
    assert "current: 2000   # week 1\n        confidence: 0.6" in sheet


def test_big5_as_excel_in_taiwan_saves_it(repo: GitRepo, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "本週.csv"
    csv.write_bytes("關鍵結果,數值,信心指數,備註\nteam-03/kr-2,150,0.7,二月:活動帶來新客戶\n"
                    .encode("cp950"))

    assert main(["checkin", "--batch", str(csv), "--commit"]) == 0

    sheet = (repo.path / "okrs/2026-Q1/team-03.yaml").read_text(encoding="utf-8")
    assert "current: 150   # week 1" in sheet and "notes: 二月:活動帶來新客戶" in sheet


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "not UTF-8 and not Big5 (cp950) text: save the sheet as CSV UTF-8"),
    ("zh-TW", "不是 UTF-8 也不是 Big5(cp950)文字:請將試算表存成 CSV UTF-8"),
])
def test_neither_utf8_nor_big5_is_refused(repo: GitRepo, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str], lang: str,
                                         message: str) -> None:
    csv = tmp_path / "week.csv"
    csv.write_bytes(b"\xff\xfe\x00\xd8bad")  # UTF-16, as "Unicode text" from Excel
    before = snapshot(repo.path)
    assert main(["checkin", "--batch", str(csv), "--lang", lang]) == 2
    assert message in capsys.readouterr().err
    assert snapshot(repo.path) == before


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_every_bad_row_is_named_at_its_line_in_the_file(
        repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str) -> None:
    csv = tmp_path / "week.csv"
    csv.write_text("\n\n"                                    # lines 1-2: blank, as Excel leaves
                   "kr,value,confidence,note\n"              # line 3
                   "team-01/kr-1,130,0.7,\"a note\n"         # lines 4-5: a two-line note
                   "on two lines\"\n"
                   "team-01/kr-2,lots,,\n"                   # line 6: a typo
                   "team-01/kr-3,140,1.5,\n"                 # line 7: a bad confidence
                   "team-01/kr-9,140,,\n", encoding="utf-8")  # line 8: no such key result
    before = snapshot(repo.path)

    assert main(["checkin", "--batch", str(csv), "--lang", lang]) == 2

    err = capsys.readouterr().err.splitlines()
    if lang == "en":
        assert err == [
            f"okr: error: {csv}: 3 problems, nothing was checked in:",
            f"  {csv}: line 6, column 2: 'lots' is not a number (55500, 55,500, 2.6, 12%, "
            "NT$7.2萬)",
            f"  {csv}: line 7, column 3: confidence '1.5' is not a number from 0 to 1 (0.7) or "
            "a percent (70%)",
            f"  {csv}: line 8, column 1: no key result matches 'team-01/kr-9'"]
    else:
        assert err[0] == f"okr:錯誤:{csv}:有 3 個問題,沒有更新任何關鍵結果:"
        assert [line.split("欄")[0] for line in err[1:]] == [
            f"  {csv}:第 6 行第 2 ", f"  {csv}:第 7 行第 3 ", f"  {csv}:第 8 行第 1 "]
    assert snapshot(repo.path) == before


def test_every_header_problem_at_once(repo: GitRepo, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "week.csv"
    csv.write_text("\nkr,amount,kr\n", encoding="utf-8")
    assert main(["checkin", "--batch", str(csv)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"okr: error: {csv}: 3 problems, nothing was checked in:",
        f"  {csv}: line 2, column 2: unknown column 'amount' (kr, value, confidence, note; or "
        "關鍵結果, 數值, 信心指數, 備註)",
        f"  {csv}: line 2, column 3: column 'kr' appears twice",
        f"  {csv}: line 2: no 'value' column"]
