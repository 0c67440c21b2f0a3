"""The demo's story replayed once per test session (demo/replay.py), shared read-only by
tests/test_demo_story.py and tests/test_docs.py; a test that changes it works on a copy."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from paths import REPO_ROOT

TODAY = "2026-12-07"  # the story's today (mkdocs.yml pins it too)
_replayed: list[Path] = []


def replay_module() -> ModuleType:
    if "demo_replay" in sys.modules:
        return sys.modules["demo_replay"]
    spec = importlib.util.spec_from_file_location("demo_replay", REPO_ROOT / "demo" / "replay.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["demo_replay"] = module
    spec.loader.exec_module(module)
    return module


def demo_repo(factory: pytest.TempPathFactory) -> Path:
    """build/demo-repo as `make demo` writes it, in a tmp dir, replayed once a session."""
    if not _replayed:
        _replayed.append(replay_module().replay(factory.mktemp("demo") / "demo-repo"))
    return _replayed[0]
