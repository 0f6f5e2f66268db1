#!/usr/bin/env python3
"""Set up and run Phoenix Luna Hub with nothing but Python 3.11+.

    python3 dev.py serve   # virtualenv, dependencies, migrations, seed data, then
                           # serve http://127.0.0.1:8000 (HTTP and websockets)
    python3 dev.py test    # the whole test suite (extra arguments go to pytest)

Everything lives in ``.venv/`` and ``var/`` (both git-ignored). Dependencies are
reinstalled only when a requirements file changes. Environment variables are
read as documented in ``.env.example``; with none set, the platform runs on its
embedded defaults (SQLite, local-memory cache, in-memory channel layer, built-in
Luna coach, billing switched off).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("PHOENIX_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    completed = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    if completed.returncode:
        sys.exit(completed.returncode)


def requirements_digest(path: Path) -> str:
    digest = hashlib.sha256()
    for name in sorted({path.name, "requirements.txt"}):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def ensure_venv(requirements: str) -> None:
    if sys.version_info < (3, 11):
        sys.exit("Phoenix Luna Hub needs Python 3.11 or newer.")
    if not PYTHON.exists():
        say(f"creating the virtualenv in {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    path = ROOT / requirements
    stamp = VENV / f".installed-{path.stem}"
    wanted = requirements_digest(path)
    if stamp.exists() and stamp.read_text() == wanted:
        return
    say(f"installing {requirements} (first run or changed pins; this takes a minute)")
    run(
        PYTHON,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "-r",
        path,
    )
    stamp.write_text(wanted)


def project_env() -> dict[str, str]:
    env = dict(os.environ)
    # A development machine runs with DEBUG on unless told otherwise; DEBUG on
    # lets settings generate a local SECRET_KEY into var/ on first use.
    env.setdefault("DEBUG", "true")
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def serve(extra: list[str]) -> None:
    ensure_venv("requirements.txt")
    env = project_env()
    say(
        "applying migrations (this also seeds the action catalogue and the packs; "
        "the very first run takes about two minutes, mostly dj-stripe's tables)"
    )
    run(PYTHON, "manage.py", "migrate", "--noinput", env=env)
    address = extra[0] if extra else "127.0.0.1:8000"
    say(f"serving on http://{address}/  (Ctrl-C to stop)")
    run(PYTHON, "manage.py", "runserver", address, env=env)


def test(extra: list[str]) -> None:
    ensure_venv("requirements-dev.txt")
    run(PYTHON, "-m", "pytest", *extra, env=project_env())


def main(argv: list[str]) -> None:
    commands = {"serve": serve, "test": test}
    if not argv or argv[0] not in commands:
        sys.exit(__doc__)
    commands[argv[0]](argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
