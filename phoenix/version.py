"""Version and commit, resolved once at import time (``/health`` does no I/O)."""

from __future__ import annotations

import os
from pathlib import Path

from phoenix import __version__

ROOT = Path(__file__).resolve().parent.parent


def read_git_commit(root: Path = ROOT) -> str:
    """Return the checked-out commit from ``.git`` without running git."""
    git = root / ".git"
    try:
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head
        ref = head[5:]
        ref_file = git / ref
        if ref_file.exists():
            return ref_file.read_text().strip()
        packed = git / "packed-refs"
        if packed.exists():
            for line in packed.read_text().splitlines():
                if line.endswith(" " + ref):
                    return line.split(" ", 1)[0]
    except OSError:
        pass
    return "unknown"


VERSION = __version__
COMMIT = os.environ.get("PHOENIX_COMMIT", "").strip() or read_git_commit()
