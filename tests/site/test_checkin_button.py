"""The check-in button's link (okrkit.site): only for a repository on GitHub, the key
result's full reference and a title in the site's language, every value URL-encoded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sitehelpers import TODAY

from okrkit.config import load_config
from okrkit.history import empty_history
from okrkit.site import build_site
from okrkit.tree import load_tree


def _team_page(root: Path, repo_url: str | None, lang: str = "en") -> str:
    config, _ = load_config(root)
    tree, _ = load_tree(config)
    site = build_site(tree, empty_history("-", "-"), today=TODAY, lang=lang, findings=[],
                      repo_url=repo_url, edit_uri=None, rules=[])
    return next(p.content for p in site.pages if p.src == "okrs/2026-Q1/sales.md")


@pytest.mark.parametrize("repo_url", [None, "https://gitlab.com/acme/okrs",
                                      "http://github.com/acme/okrs",
                                      "https://github.com.evil.example/acme/okrs"])
def test_no_button_unless_the_repository_is_on_github(small_repo: Any,
                                                      repo_url: str | None) -> None:
    assert "okr-checkin" not in _team_page(small_repo.path, repo_url)


def test_one_button_per_key_result_with_a_hostile_title_encoded(small_repo: Any) -> None:
    sheet = small_repo.path / "okrs/2026-Q1/sales.yaml"
    text = sheet.read_text(encoding="utf-8")
    title = "Reach 5M in sales this quarter"
    assert title in text
    sheet.write_text(text.replace(title, "'\"><script>alert(1)</script> & 5M'", 1),
                     encoding="utf-8")

    page = _team_page(small_repo.path, "https://github.com/acme/okrs.git")

    assert page.count('class="okr-checkin"') == page.count('class="okr-kr ')
    assert "<script>" not in page
    assert ("https&#58;//github.com/acme/okrs/issues/new?template&#61;okr-checkin.yml&#38;"
            "kr&#61;2026-Q1%2Fsales%2Fincrease-sales%2Fquarter-revenue&#38;title&#61;"
            "Check-in%3A%20%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E%20%26%205M") in page
