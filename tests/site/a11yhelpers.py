"""Helpers of the accessibility and print tests: axe-core, the demo site with a history.

axe-core is installed from the npm registry on first use, into tests/.cache/ (ignored by
git), pinned to one version: its 640 KB of minified JavaScript and its MPL-2.0 licence
stay out of the repository and the wheel, and a new axe release (new rules) cannot
change the result of a run until AXE_VERSION is raised on purpose.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import yaml
from sitehelpers import KAI, MEI, WEI, edit, mkdocs_build

from gitrepo import GitRepo
from paths import REPO_ROOT
from skipping import skip_or_fail

AXE_VERSION = "4.14.1"
AXE_DIR = REPO_ROOT / "tests" / ".cache" / f"axe-core-{AXE_VERSION}"
# WCAG 2.0, 2.1 and 2.2, levels A and AA: the bar
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
# the demo's today: 2026-Q4 is the current cycle, 2026-Q1 has ended
DEMO_TODAY = "2026-11-20"


def axe_script() -> str:
    """axe.min.js of AXE_VERSION, installed with npm into AXE_DIR the first time."""
    script = AXE_DIR / "axe.min.js"
    if not script.is_file():
        _install_axe()
    return script.read_text(encoding="utf-8")


def _install_axe() -> None:
    npm = shutil.which("npm")
    if npm is None:
        skip_or_fail("npm is not installed (apt-get install npm): axe-core checks skipped")
    AXE_DIR.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=AXE_DIR.parent) as tmp:
        try:
            result = subprocess.run(
                [npm, "install", "--no-audit", "--no-fund", "--no-save", "--ignore-scripts",
                 "--prefix", tmp, f"axe-core@{AXE_VERSION}"],
                capture_output=True, text=True, timeout=300, check=False)
        except subprocess.TimeoutExpired:
            skip_or_fail(f"npm install axe-core@{AXE_VERSION} timed out: axe checks skipped")
        package = Path(tmp, "node_modules", "axe-core")
        if result.returncode != 0 or not (package / "axe.min.js").is_file():
            last = (result.stderr.strip().splitlines() or ["no output"])[-1]
            skip_or_fail(f"npm install axe-core@{AXE_VERSION} failed ({last}): "
                         "axe checks skipped")
        staged = Path(tmp, "axe")
        staged.mkdir()
        for name in ("axe.min.js", "LICENSE", "package.json"):
            shutil.copy2(package / name, staged / name)
        try:
            os.replace(staged, AXE_DIR)  # whole or not at all; another run may have won
        except OSError:
            if not (AXE_DIR / "axe.min.js").is_file():
                raise


def run_axe(page: Any, script: str, *, include: str | None = None,
            rules: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """axe's WCAG A/AA violations on the page (or inside `include`, a selector; only
    `rules` when given), every <details> opened first (a closed one hides its content from
    axe); each as {id, impact, help, nodes: [{target, html}]}."""
    page.eval_on_selector_all("details", "els => els.forEach(e => e.open = true)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=script)
    options: dict[str, Any] = {"resultTypes": ["violations"]}  # no time spent on passes
    options["runOnly"] = ({"type": "rule", "values": list(rules)} if rules
                          else {"type": "tag", "values": list(AXE_TAGS)})
    result: list[dict[str, Any]] = page.evaluate(
        """async ([include, options]) => {
            const r = await axe.run(include ? {include: [include]} : document, options);
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '),
                                          html: n.html.slice(0, 160)}))}));
        }""", [include, options])
    return result


def ax_nodes(page: Any, role: str) -> list[dict[str, str]]:
    """Chromium's own accessibility tree (CDP), the nodes of one role: name and description
    as a screen reader gets them."""
    cdp = page.context.new_cdp_session(page)
    try:
        tree = cdp.send("Accessibility.getFullAXTree")
    finally:
        cdp.detach()
    found = []
    for node in tree["nodes"]:
        if node.get("ignored") or node.get("role", {}).get("value") != role:
            continue
        found.append({"name": node.get("name", {}).get("value", ""),
                      "description": node.get("description", {}).get("value", "")})
    return found


def make_demo_history(repo: GitRepo) -> None:
    """The demo data (okrs/) committed with a few dated check-ins, so charts have lines
    (the visitors' confidence too: 0.7 when planned, 0.6 in March, so it has a chart)."""
    shutil.copytree(REPO_ROOT / "okrs", repo.path / "okrs")
    marketing = "okrs/2026-Q1/marketing.yaml"
    ecommerce = "okrs/2026-Q4/ecommerce.yaml"
    edit(repo, marketing, "current: 57400\n        confidence: 0.6",
         "current: 51000\n        confidence: 0.7")
    edit(repo, ecommerce, "current: 2.85", "current: 2.7")
    repo.commit("okrs: plan 2026", author=MEI, date="2025-12-20T10:00:00+08:00")
    edit(repo, marketing, "current: 51000", "current: 54000")
    repo.commit("checkin: visitors", author=KAI, date="2026-02-02T10:00:00+08:00")
    edit(repo, marketing, "current: 54000\n        confidence: 0.7",
         "current: 57400\n        confidence: 0.6")
    repo.commit("checkin: visitors", author=KAI, date="2026-03-20T10:00:00+08:00")
    edit(repo, ecommerce, "current: 2.7", "current: 2.85")
    repo.commit("checkin: conversion rate", author=WEI, date="2026-11-02T09:00:00+08:00")


def _okrs(plugin: Any) -> Any:
    """The okrs plugin's entry with today pinned and without `history_repo` (the story's
    replay): these pages read the dated history `make_demo_history` committed."""
    if plugin != "okrs" and not (isinstance(plugin, dict) and "okrs" in plugin):
        return plugin
    options = dict(plugin["okrs"] or {}) if isinstance(plugin, dict) else {}
    options.pop("history_repo", None)
    options["today"] = DEMO_TODAY
    return {"okrs": options}


def build_demo(root: Path, lang: str) -> Path:
    """The demo's own mkdocs.yml, in `lang`, today pinned; the built site's folder."""
    config = yaml.safe_load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["language"] = lang
    config["plugins"] = [_okrs(p) for p in config["plugins"]]
    site = root / f"site-{lang}"
    config["site_dir"] = str(site)
    # the guide's pages too (docs/), as the demo site is built from this repository
    if not (root / "docs").is_dir():
        if (REPO_ROOT / "docs").is_dir():
            shutil.copytree(REPO_ROOT / "docs", root / "docs")
        else:
            (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                     encoding="utf-8")
    mkdocs_build(root)
    return site
