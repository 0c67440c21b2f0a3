"""The MkDocs engine: `mkdocs build` / `mkdocs serve` with the `okrs` plugin of the
user's mkdocs.yml (the plugin does the work: `okrkit.mkdocs_plugin`)."""

from __future__ import annotations

from pathlib import Path

from okrkit.engines import Project, run_click
from okrkit.errors import FatalError

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")


def config_file(root: Path) -> Path | None:
    return next((root / n for n in CONFIG_NAMES if (root / n).is_file()), None)


def _config(project: Project) -> Path:
    found = config_file(project.root)
    if found is None:
        raise FatalError(f"no mkdocs.yml in {project.root} (`okr init` writes one)",
                         zh=f"{project.root} 中沒有 mkdocs.yml(`okr init` 會建立一個)")
    return found


def build(project: Project, *, site_dir: Path | None, strict: bool) -> int:
    from mkdocs.__main__ import cli

    args = ["build", "--config-file", str(_config(project))]
    if site_dir is not None:
        args += ["--site-dir", str(site_dir)]
    if strict:
        args.append("--strict")
    return run_click(cli, args, "mkdocs")


def serve(project: Project, *, dev_addr: str | None) -> int:
    from mkdocs.__main__ import cli

    # the plugin's on_serve watches okrs/ and .okrkit.yaml; --livereload because click
    # newer than 8.2.1 turns live reload off by default (DESIGN "MkDocs facts")
    args = ["serve", "--livereload", "--config-file", str(_config(project))]
    if dev_addr:
        args += ["--dev-addr", dev_addr]
    return run_click(cli, args, "mkdocs")
