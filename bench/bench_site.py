"""The MkDocs site of a generated organisation: the plugin's build against a plain Material
build of the same pages (written by `okr site --out`) with the same nav, in the same run;
and the same site with the other engine, `okr build --engine zensical` (issue 13), cold
(a fresh build folder) and again (Zensical's cache and the unchanged pages kept).

Organisation: 200 teams x 4 quarters (800 sheets), 5,000 commits (bench/synth.py).
Aim (issue 5): the plugin's build in at most 60 s and at most 1.5x the plain build.
The plugin's own share (history read, lint, page generation) is timed apart, in-process.
Aim (issue 16): `mkdocs serve`'s rebuild after a one-line edit to one sheet of 800, our
share (every hook of the plugin, MkDocs driving them) at most 0.5 s.
`OKR_BENCH_RUNS=1` (the default here: one build is already long) sets the runs.

`python bench/bench_site.py --serve [--baseline REF] [--org PATH]` measures only the
serve rebuild: each run is a fresh process (MkDocs' first build of the serve, then the
rebuild after the edit), wall and CPU time of the whole rebuild and of our share, and
the time the cyclic collector spent inside our hooks; with `--baseline`, the package as
at git REF too (exported to a scratch folder, with its own copy of the organisation),
alternating in the same run, and the ratios. `--org`: copy that organisation (its
okrs/ and git history) instead of generating one. `OKR_BENCH_WARMUP=0` skips the run
that fills each side's parse cache first (it speeds the first build, not the rebuild).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402
from _timing import BIN, runs_from_env, table, time_command  # noqa: E402

TEAMS, CYCLES, COMMITS = 200, ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"], 5000
TODAY = "2026-11-15"
LIMIT_S, LIMIT_RATIO = 60.0, 1.5
SERVE_SHARE_S = 0.5
THEME = {"name": "material", "font": False, "language": "en",
         "features": ["navigation.sections"]}


def _plugin_share(root: Path) -> list[tuple[str, float]]:
    """The plugin's own work, step by step, as `on_files` does it."""
    from okrkit.config import load_config
    from okrkit.history import read_history
    from okrkit.rules.runner import lint
    from okrkit.site import build_site

    today = dt.date.fromisoformat(TODAY)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        steps = []
        start = time.perf_counter()
        config, _ = load_config(root)
        history = read_history(config)
        steps.append(("history read", time.perf_counter() - start))
        start = time.perf_counter()
        result = lint(config, today=today, history=history)
        steps.append(("load + lint", time.perf_counter() - start))
        start = time.perf_counter()
        site = build_site(result.tree, history, today=today, lang="en",
                          findings=result.findings, repo_url="https://github.com/o/r",
                          edit_uri="edit/main/")
        steps.append((f"page generation ({len(site.pages)} pages)",
                      time.perf_counter() - start))
        return steps
    finally:
        os.chdir(cwd)


def _serve_share(root: Path, site_dir: Path) -> list[tuple[str, float]]:
    """`_serve_rebuild`'s wall times: the whole rebuild, our share of it."""
    found = _serve_rebuild(root, site_dir)
    return [("the whole rebuild", found["whole"]), ("our share of the rebuild", found["ours"])]


def _serve_rebuild(root: Path, site_dir: Path) -> dict[str, float]:
    """`mkdocs serve`'s rebuild after a one-line edit to one sheet, in-process as serve runs
    it (MkDocs' own load_config, on_startup("serve") and build; the okrs plugin object kept
    across rebuilds): the whole rebuild, and our share of it, the time spent in every hook
    of the plugin (the tree, the lint, the history, the pages, the data files, the
    per-page hooks), wall and CPU; and the wall time of the cyclic collector's runs that
    fell inside our hooks (part of our share: moving them into MkDocs' would be no win)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from okrkit import mkdocs_plugin

    spent = [0.0, 0.0, 0.0]  # wall, CPU, collector inside our hooks
    inside = [False]
    started = [0.0]
    plugin_class = mkdocs_plugin.OkrsPlugin
    originals = {name: fn for name, fn in vars(plugin_class).items() if name.startswith("on_")}

    def timed(fn: Any) -> Any:
        def hook(*args: Any, **kwargs: Any) -> Any:
            start, cpu = time.perf_counter(), time.process_time()
            inside[0] = True
            try:
                return fn(*args, **kwargs)
            finally:
                inside[0] = False
                spent[0] += time.perf_counter() - start
                spent[1] += time.process_time() - cpu
        return hook

    def collector(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        elif inside[0]:
            spent[2] += time.perf_counter() - started[0]

    for name, fn in originals.items():  # before load_config binds them as event handlers
        setattr(plugin_class, name, timed(fn))
    gc.callbacks.append(collector)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        def rebuild() -> dict[str, float]:
            spent[:] = [0.0, 0.0, 0.0]
            start, cpu = time.perf_counter(), time.process_time()
            config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir))
            if first:
                config.plugins.on_startup(command="serve", dirty=False)
            build(config)
            return {"whole": time.perf_counter() - start, "whole_cpu": time.process_time() - cpu,
                    "ours": spent[0], "ours_cpu": spent[1], "ours_gc": spent[2]}

        first = True
        rebuild()  # the first build of the serve
        first = False
        sheet = sorted((root / "okrs").glob("*/*.yaml"))[7]
        text = sheet.read_text(encoding="utf-8")
        edited = text.replace("confidence: ", "confidence: 0.1 #", 1)
        sheet.write_text(edited if edited != text else text + "\n", encoding="utf-8")
        try:
            return rebuild()
        finally:
            sheet.write_text(text, encoding="utf-8")
    finally:
        os.chdir(cwd)
        gc.callbacks.remove(collector)
        for name, fn in originals.items():
            setattr(plugin_class, name, fn)


def _export(ref: str, into: Path) -> str:
    """The package, its schemas and templates as at `ref`, for PYTHONPATH."""
    archive = subprocess.run(["git", "archive", ref, "plugins", "schema", "site_templates"],
                             cwd=HERE.parent, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return str(into / "plugins")


def _write_mkdocs(root: Path) -> None:
    (root / "docs").mkdir(exist_ok=True)
    (root / "mkdocs.yml").write_text(yaml.safe_dump({
        "site_name": "Synthetic Co.", "repo_url": "https://github.com/o/r",
        "edit_uri": "edit/main/docs/", "theme": THEME,
        "plugins": ["search", {"okrs": {"today": TODAY}}],
    }), encoding="utf-8")


def serve_main(baseline: str | None, org: Path | None) -> int:
    """Only the serve rebuild, each run a fresh process; with `baseline`, paired."""
    runs = runs_from_env(3)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "OKR_TODAY": TODAY}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory(prefix="okr-bench-serve-") as tmp:
        root = Path(tmp) / "org"
        if org is not None:
            shutil.copytree(org, root, symlinks=True)
            shutil.rmtree(root / ".git" / "okrkit", ignore_errors=True)
        else:
            synth.write_tree(root, teams=TEAMS, cycles=CYCLES)
            synth.make_history(root, commits=COMMITS)
        _write_mkdocs(root)
        sides: dict[str, tuple[Path, str | None]] = {"now": (root, None)}
        if baseline:
            base_root = Path(tmp) / "org-baseline"
            shutil.copytree(root, base_root, symlinks=True)
            base_pkg = Path(tmp) / "baseline"
            base_pkg.mkdir()
            sides[baseline] = (base_root, _export(baseline, base_pkg))

        def once(where: Path, path: str | None) -> dict[str, float]:
            child = dict(env)
            if path is not None:
                child["PYTHONPATH"] = path
            out = subprocess.run([sys.executable, str(Path(__file__)), "--serve-child",
                                  str(where), str(where.parent / f"{where.name}-site")],
                                 cwd=where, env=child, capture_output=True, text=True)
            if out.returncode:
                raise SystemExit(out.stderr[-3000:])
            found: dict[str, float] = json.loads(out.stdout.splitlines()[-1])
            return found

        if os.environ.get("OKR_BENCH_WARMUP", "1") != "0":
            for where, path in sides.values():
                once(where, path)  # fills that side's parse cache (the first build's part)
        seen: dict[str, list[dict[str, float]]] = {side: [] for side in sides}
        for n in range(runs):
            for side, (where, path) in sides.items():
                seen[side].append(once(where, path))
                print(f"run {n + 1} {side}: " + ", ".join(
                    f"{k} {v:.3f}" for k, v in seen[side][-1].items()), flush=True)
    medians = {side: {key: statistics.median(r[key] for r in found) for key in found[0]}
               for side, found in seen.items()}
    labels = {"whole": "the whole rebuild, wall", "whole_cpu": "the whole rebuild, CPU",
              "ours": "our share, wall", "ours_cpu": "our share, CPU",
              "ours_gc": "collector inside our share, wall"}
    print(f"\nmkdocs serve, one sheet of 800 edited (s, median of {runs})")
    print(f"{'':36}" + "".join(f"{side:>12}" for side in sides)
          + ("       ratio" if baseline else ""))
    for key, label in labels.items():
        row = f"{label:36}" + "".join(f"{m[key]:12.3f}" for m in medians.values())
        if baseline and medians[baseline][key]:
            row += f"{medians['now'][key] / medians[baseline][key]:12.2f}"
        print(row)
    ours = medians["now"]["ours"]
    print(f"our share {ours:.2f} s wall (aim <= {SERVE_SHARE_S} s): "
          f"{'within the aim' if ours <= SERVE_SHARE_S else 'OVER the aim'}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", action="store_true", help="only the serve rebuild")
    parser.add_argument("--baseline", metavar="REF", help="with --serve: also the package at REF")
    parser.add_argument("--org", type=Path, help="with --serve: copy this organisation")
    parser.add_argument("--serve-child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_child:
        print(json.dumps(_serve_rebuild(*args.serve_child)))
        return 0
    if args.serve:
        return serve_main(args.baseline, args.org)
    runs = runs_from_env(1)
    with tempfile.TemporaryDirectory(prefix="okr-bench-site-") as tmp:
        root = Path(tmp) / "org"
        start = time.perf_counter()
        synth.write_tree(root, teams=TEAMS, cycles=CYCLES)
        synth.make_history(root, commits=COMMITS)
        print(f"generated {TEAMS} teams x {len(CYCLES)} cycles, {COMMITS} commits in "
              f"{time.perf_counter() - start:.1f} s", flush=True)
        _write_mkdocs(root)
        env = {"NO_MKDOCS_2_WARNING": "1", "OKR_TODAY": TODAY}
        # the same pages as files, and the same nav, for the plain build
        pages = Path(tmp) / "pages"
        nav = Path(tmp) / "nav.yml"
        start = time.perf_counter()
        write = time_command("okr site --out", [str(BIN / "okr"), "site", "--out", str(pages),
                                                 "--nav", str(nav), "--lang", "en",
                                                 "--repo-url", "https://github.com/o/r"],
                             runs=1, warmup=0, cwd=root, env=env)
        plain_dir = Path(tmp) / "plain"
        plain_dir.mkdir()
        (plain_dir / "mkdocs.yml").write_text(yaml.safe_dump({
            "INHERIT": str(nav), "site_name": "Synthetic Co.", "docs_dir": str(pages),
            "repo_url": "https://github.com/o/r", "edit_uri": "edit/main/docs/",
            "theme": THEME, "plugins": ["search"],
        }), encoding="utf-8")
        page_count = sum(1 for _ in pages.rglob("*.md"))
        print(f"okr site --out: {page_count} pages in {write.median:.1f} s", flush=True)
        plain = time_command("plain Material build", [str(BIN / "mkdocs"), "build", "-q"],
                             runs=runs, warmup=0, cwd=plain_dir, env=env)
        plugin = time_command("plugin build", [str(BIN / "mkdocs"), "build", "-q"],
                              runs=runs, warmup=0, cwd=root, env=env)
        okr = str(BIN / "okr")
        zensical_cold = time_command(
            "okr build --engine zensical (cold)",
            ["sh", "-c", 'rm -rf .cache/okrkit/zensical && exec "$0" "$@"', okr, "build",
             "--engine", "zensical", "-d", str(Path(tmp) / "zensical-site")],
            runs=runs, warmup=0, cwd=root, env=env)
        zensical_warm = time_command(
            "okr build --engine zensical (again)",
            [okr, "build", "--engine", "zensical", "-d", str(Path(tmp) / "zensical-site")],
            runs=runs, warmup=0, cwd=root, env=env)
        print(table([plain, plugin, zensical_cold, zensical_warm], baseline=plugin,
                    title=f"{page_count} pages, both engines (median of {runs})"))
        print(f"CPU time (user + system): zensical cold {zensical_cold.cpu:.1f} s, "
              f"again {zensical_warm.cpu:.1f} s")
        # on a shared machine wall time swings with the load; CPU time much less
        print(f"CPU time (user + system, median of {runs}): plain {plain.cpu:.1f} s, "
              f"plugin {plugin.cpu:.1f} s, {plugin.cpu / plain.cpu:.2f}x")
        print("\nthe plugin's own share (in-process, once):")
        for label, seconds in _plugin_share(root):
            print(f"  {label:<36} {seconds:6.2f} s")
        print("\nmkdocs serve, after a one-line edit to one sheet (in-process, once):")
        serve = _serve_share(root, Path(tmp) / "serve-site")
        for label, seconds in serve:
            print(f"  {label:<36} {seconds:6.2f} s")
        print(f"  our share: {serve[-1][1]:.2f} s (aim <= {SERVE_SHARE_S} s), "
              f"{serve[-1][1] / serve[0][1]:.1%} of the rebuild")
        ratio = plugin.median / plain.median
        ok = plugin.median <= LIMIT_S and ratio <= LIMIT_RATIO
        print(f"\nplugin build {plugin.median:.1f} s (aim <= {LIMIT_S:.0f} s), "
              f"{ratio:.2f}x the plain build (aim <= {LIMIT_RATIO}x): "
              f"{'within the aim' if ok else 'OVER the aim'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
