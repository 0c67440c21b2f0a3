"""Helpers of the site tests (imported by their conftest and test modules).

The small scenario (tests/resources/site/small) is committed in six steps by
different people on fixed dates: planning before the quarter, check-ins, a
target lowered without a reason (goal posts moved), one lowered with a
`revisions:` entry. `TODAY` falls after all of them.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path
from typing import Any

import yaml

RESOURCES = Path(__file__).resolve().parent.parent / "resources" / "site"
TODAY = dt.date(2026, 2, 20)
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")

MEI = "王美玲 <mei@example.com>"
KAI = "Kai Chang <kai@example.com>"
WEI = "Wei Wu <wei@example.com>"


def edit(repo: Any, relpath: str, old: str, new: str) -> None:
    """Replace one exact piece of text in a file of the repository (it must be there once)."""
    path = repo.path / relpath
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} in {relpath}: {text.count(old)} times"
    path.write_text(text.replace(old, new), encoding="utf-8")


def make_small_history(repo: Any, *, okrs: str = "okrs") -> None:
    """The scenario's commits: fixed authors and dates, so pages are the same on every run;
    the sheets in the folder `okrs` of the repository."""
    shutil.copytree(RESOURCES / "small" / "okrs", repo.path / okrs)
    repo.commit("okrs: plan 2026 and 2026-Q1", author=MEI, date="2025-12-20T10:00:00+08:00")
    marketing = f"{okrs}/2026-Q1/marketing.yaml"
    edit(repo, marketing, "current: 50000\n        confidence: 0.7",
         "current: 52000\n        confidence: 0.6")
    repo.commit("checkin: marketing visitors", author=KAI, date="2026-01-12T09:30:00+08:00")
    edit(repo, f"{okrs}/2026-Q1/sales.yaml", "current: 4300000", "current: 4450000")
    repo.commit("checkin: sales revenue", author=WEI, date="2026-01-26T17:00:00+08:00")
    edit(repo, marketing, "target: 60000", "target: 58000")
    repo.commit("okrs: visitors target 58000", author=KAI, date="2026-02-02T11:00:00+08:00")
    edit(repo, marketing, "current: 52000", "current: 55000")
    edit(repo, marketing, "current: false", "current: true")
    repo.commit("checkin: visitors and checkout", author=KAI, date="2026-02-09T10:15:00+08:00")
    edit(repo, marketing, "target: 405\n        current: 440",
         "target: 420\n        current: 440\n        revisions:\n"
         "          - date: 2026-02-16\n            field: target\n            from: 405\n"
         "            to: 420\n            reason: Ad prices rose 8% in February.")
    repo.commit("okrs: revise the cost per lead target", author=MEI,
                date="2026-02-16T14:00:00+08:00")


MKDOCS_BASE: dict[str, Any] = {
    "site_name": "Small Co. OKRs",
    "repo_url": "https://github.com/okrkit/small",
    "edit_uri": "edit/main/docs/",
    "theme": {
        "name": "material",
        "font": False,
        "language": "en",
        "palette": [
            {"media": "(prefers-color-scheme: light)", "scheme": "default",
             "toggle": {"icon": "material/weather-night", "name": "dark"}},
            {"media": "(prefers-color-scheme: dark)", "scheme": "slate",
             "toggle": {"icon": "material/weather-sunny", "name": "light"}},
        ],
    },
    "plugins": ["search", {"okrs": {"today": TODAY.isoformat()}}],
}


def write_mkdocs(root: Path, *, lang: str = "en", **changes: Any) -> Path:
    """mkdocs.yml (Material, the okrs plugin, today pinned) and an empty docs/ in `root`."""
    config = {**MKDOCS_BASE, **changes}
    config["theme"] = {**MKDOCS_BASE["theme"], "language": lang, **changes.get("theme", {})}
    (root / "docs").mkdir(exist_ok=True)
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path


def mkdocs_build(root: Path, *, strict: bool = True) -> Path:
    """`mkdocs build --strict` in-process (mkdocs-awesome-pages' e2e style); the site dir."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    cwd = os.getcwd()
    os.chdir(root)  # findings show paths relative to the folder mkdocs runs in
    try:
        config = load_config(str(root / "mkdocs.yml"), strict=strict)
        build(config)
    finally:
        os.chdir(cwd)
    return root / "site"


def site_pages(site_dir: Path) -> dict[str, str]:
    """Every HTML page of a built site, by path; sitemap and search index left out."""
    return {p.relative_to(site_dir).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(site_dir.rglob("*.html"))}


def chromium_path() -> str | None:
    found = shutil.which("chromium")
    if found:
        return found
    return next((p for p in CHROMIUM_CANDIDATES if Path(p).is_file()), None)


# -- hostile input: every YAML string a page shows, in every way it could turn into code -----

XSS_SCRIPT = "<script>window.__xss=1;alert(1)</script>"
XSS_IMG = "<img src=x onerror=\"window.__xss=2;alert(2)\">"
XSS_TITLE_BREAK = "</title><script>window.__xss=3</script>"
XSS_JS_LINK = "javascript:window.__xss=4;alert(4)"
XSS_TEMPLATE = "{{ 7*7 }} {% raw %}{% endraw %} *x* [y](javascript:alert(5))"
XSS_SVG = "<svg onload=window.__xss=6>"


def _q(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def make_hostile(repo: Any) -> None:
    """The small scenario with script, img, javascript: links and Markdown/Jinja syntax in
    titles, people and team names, notes, initiatives and a commit subject."""
    make_small_history(repo)
    org = "okrs/org.yaml"
    edit(repo, org, "name: Kai Chang", f"name: {_q('Kai ' + XSS_IMG)}")
    edit(repo, org, "name: Sales", f"name: {_q('Sales ' + XSS_TITLE_BREAK)}")
    edit(repo, org, "title: Brand awareness", f"title: {_q('Brand ' + XSS_SVG)}")
    marketing = "okrs/2026-Q1/marketing.yaml"
    edit(repo, marketing, "title: 提升品牌知名度", f"title: {_q('提升 ' + XSS_SCRIPT)}")
    edit(repo, marketing, "title: 將網站每月不重複訪客數提升20%",
         f"title: {_q('訪客 ' + XSS_TEMPLATE)}")
    edit(repo, marketing, "title: 每週兩篇 SEO 文章", f"title: {_q('SEO ' + XSS_IMG)}")
    edit(repo, marketing, "link: https://example.com/seo-plan", f"link: {_q(XSS_JS_LINK)}")
    sales = "okrs/2026-Q1/sales.yaml"
    edit(repo, sales, "notes: Second line of the sheet's notes follows.",
         f"notes: {_q('[click](' + XSS_JS_LINK + ') ' + XSS_SCRIPT + ' ' + XSS_TEMPLATE)}")
    edit(repo, sales, "title: Reach 5M in sales this quarter",
         f"title: {_q('Reach 5M ' + XSS_TITLE_BREAK + ' ' + XSS_IMG)}")
    edit(repo, sales, "current: 4450000", "current: 4500000")
    repo.commit(f"checkin: {XSS_SCRIPT} {XSS_TEMPLATE}",
                author="Mallory {{ 7*7 }} *x* <m@example.com>",
                date="2026-02-18T09:00:00+08:00")


def hostile_problems(page: str) -> list[str]:
    """What in one built HTML page could run the payloads: scripts, handlers, links."""
    from html.parser import HTMLParser

    problems: list[str] = []

    class Check(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.in_script = False

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.in_script = tag == "script"
            for name, value in attrs:
                value = (value or "").strip()
                if name.startswith("on") and "__xss" in value:
                    problems.append(f"<{tag} {name}={value!r}>")
                if name in ("href", "src", "action", "formaction") and \
                        "".join(value.split()).lower().startswith("javascript:"):
                    problems.append(f"<{tag} {name}={value!r}>")
            if tag == "img" and dict(attrs).get("src") == "x":
                problems.append("<img src=x>")

        def handle_data(self, data: str) -> None:
            if self.in_script and "__xss" in data:
                problems.append(f"<script>{data[:60]}")

        def handle_endtag(self, tag: str) -> None:
            if tag == "script":
                self.in_script = False

    Check().feed(page)
    head = page.split("<title>", 1)[1].split("</title>", 1)[0] if "<title>" in page else ""
    if "<" in head:
        problems.append(f"raw markup inside <title>: {head[:80]}")
    return problems


def visible_text(page: str) -> str:
    """The page's text as a browser shows it (scripts and styles left out)."""
    from html.parser import HTMLParser

    chunks: list[str] = []

    class Text(HTMLParser):
        skip = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in ("script", "style"):
                self.skip += 1

        def handle_endtag(self, tag: str) -> None:
            if tag in ("script", "style"):
                self.skip -= 1

        def handle_data(self, data: str) -> None:
            if not self.skip:
                chunks.append(data)

    Text(convert_charrefs=True).feed(page)
    return " ".join(" ".join(chunks).split())


def internal_link_problems(site_dir: Path) -> list[str]:
    """Relative links in the OKR pages' content whose target file does not exist."""
    import re
    from urllib.parse import unquote, urldefrag

    problems = []
    for page in sorted(site_dir.rglob("index.html")):
        content = page.read_text(encoding="utf-8")
        article = content.split('<article class="md-content__inner', 1)[-1]
        article = article.split("</article>", 1)[0]
        for href in re.findall(r'href="([^"]*)"', article):
            import html as _html

            href = _html.unescape(href)
            if href.startswith(("http:", "https:", "mailto:", "#")) or not href:
                continue
            path, _ = urldefrag(href)
            target = (page.parent / unquote(path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                problems.append(f"{page.relative_to(site_dir)}: {href}")
    return problems
