#!/usr/bin/env python3
"""Set up and run qimap with nothing but Python 3.11+: `python3 dev.py app` or `python3 dev.py test`.

Creates .venv on first use, installs the locked dependencies (requirements.lock) and qimap
itself, and re-installs only when the lock or pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".qimap-installed"
CHROMIUM = os.environ.get("QIMAP_CHROMIUM", "/usr/bin/chromium")
TESSERACT = os.environ.get("QIMAP_TESSERACT", "/usr/bin/tesseract")


def run(*args: str | Path) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT)


def ensure_environment() -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"qimap needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not (BIN / "python").exists():
        print(f"Creating a virtual environment in {VENV} …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256(
        (ROOT / "requirements.lock").read_bytes() + (ROOT / "pyproject.toml").read_bytes()
    ).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    python = BIN / "python"
    run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(python, "-m", "pip", "install", "--quiet", "-r", ROOT / "requirements.lock")
    run(python, "-m", "pip", "install", "--quiet", "--no-deps", "-e", ROOT)
    STAMP.write_text(digest)


def ensure_system_tools() -> None:
    """The browser tests drive Debian's Chromium and the brief's print test reads the rendered
    page with Tesseract OCR; install them when we can, else say how."""
    wanted = {"chromium": Path(CHROMIUM), "tesseract-ocr": Path(TESSERACT)}
    missing = [package for package, binary in wanted.items() if not binary.exists()]
    if not missing:
        return
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env=env)
        return
    sys.exit(
        f"The tests need {' and '.join(missing)}. Install them (Debian/Ubuntu: `sudo apt-get "
        f"install {' '.join(missing)}`), or point QIMAP_CHROMIUM / QIMAP_TESSERACT at the binaries."
    )


def app(extra: list[str]) -> None:
    ensure_environment()
    os.execv(BIN / "streamlit", [str(BIN / "streamlit"), "run", str(ROOT / "app.py"), *extra])


def test(extra: list[str]) -> None:
    ensure_environment()
    ensure_system_tools()
    run(BIN / "ruff", "check", ".")
    run(BIN / "ruff", "format", "--check", ".")
    run(BIN / "python", "-m", "pytest", *extra)


def main() -> None:
    commands = {"app": app, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(
            "usage: python3 dev.py app [streamlit options] | python3 dev.py test [pytest options]"
        )
    try:
        commands[sys.argv[1]](sys.argv[2:])
    except subprocess.CalledProcessError as error:
        sys.exit(error.returncode)


if __name__ == "__main__":
    main()
