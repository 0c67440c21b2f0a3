from __future__ import annotations

from okrkit.cli import run

if __name__ == "__main__":
    run()
