"""The training container's folders (``/opt/ml`` on AWS), shared by platform and algorithm."""

from __future__ import annotations

from pathlib import Path


def container_paths(root: Path) -> dict[str, Path]:
    return {
        "config": root / "input" / "config",
        "data": root / "input" / "data",
        "model": root / "model",
        "output": root / "output",
        "failure": root / "output" / "failure",
    }
