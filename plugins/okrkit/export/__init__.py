"""Data out: one export model (`build_export`) and its writers (JSON, CSV, XLSX).

The site's api/v1 files, feeds and badges are built from the same model.
Nothing here is imported by the linter.
"""

from __future__ import annotations

from okrkit.export.model import EXPORT_VERSION, Export, build_export

__all__ = ["EXPORT_VERSION", "Export", "build_export"]
