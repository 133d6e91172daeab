#!/usr/bin/env python3
"""Set up and run qimap with nothing but Python 3.11+: `python3 dev.py app` or `python3 dev.py test`.

Creates .venv on first use, installs the locked, hashed dependencies (`app`: requirements.lock,
the runtime; `test`: requirements-test.lock, the same plus the test tools) and qimap itself, and
re-installs only when that lock or pyproject.toml changes.
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
RUNTIME_LOCK = ROOT / "requirements.lock"
TEST_LOCK = ROOT / "requirements-test.lock"
CHROMIUM = os.environ.get("QIMAP_CHROMIUM", "/usr/bin/chromium")
TESSERACT = os.environ.get("QIMAP_TESSERACT", "/usr/bin/tesseract")
NGINX = os.environ.get("QIMAP_NGINX", "/usr/sbin/nginx")
HAPROXY = os.environ.get("QIMAP_HAPROXY", "/usr/sbin/haproxy")
# axe-core for the accessibility tests (tests/browser/axe.py reads it from here too).
CACHE = ROOT / ".cache"
AXE_DIR = CACHE / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"


def run(*args: str | Path) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT)


def ensure_environment(lock: Path = RUNTIME_LOCK) -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"qimap needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not (BIN / "python").exists():
        print(f"Creating a virtual environment in {VENV} …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".qimap-installed-{lock.stem}"
    digest = hashlib.sha256(lock.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    python = BIN / "python"
    run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    # Every download is checked against the lock's hashes (setuptools, for the build below, too).
    run(python, "-m", "pip", "install", "--quiet", "--require-hashes", "-r", lock)
    # qimap itself is this directory, not a download, so it has no hash to check: --no-deps (its
    # dependencies came from the lock) and --no-build-isolation (build it with the lock's
    # setuptools instead of fetching an unpinned one).
    run(python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "-e", ROOT)
    stamp.write_text(digest)


def ensure_system_tools() -> None:
    """The browser tests drive Debian's Chromium, the brief's print test reads the rendered
    page with Tesseract OCR and the proxy tests run deploy/'s nginx and HAProxy configurations;
    install them when we can, else say how."""
    wanted = {
        "chromium": Path(CHROMIUM),
        "tesseract-ocr": Path(TESSERACT),
        "nginx": Path(NGINX),
        "haproxy": Path(HAPROXY),
    }
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
        f"install {' '.join(missing)}`), or point QIMAP_CHROMIUM / QIMAP_TESSERACT / QIMAP_NGINX / "
        "QIMAP_HAPROXY at the binaries."
    )


def ensure_axe() -> None:
    """The accessibility tests run axe-core in the browser: npm installs it into .cache/axe once
    (a folder git ignores: .cache/.gitignore ignores everything in it). QIMAP_AXE points at an
    axe.min.js of your own instead."""
    if os.environ.get("QIMAP_AXE") or AXE_JS.exists():
        return
    npm = shutil.which("npm")
    if npm is None and hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "npm"], check=True, env=env)
        npm = shutil.which("npm")
    if npm is None:
        sys.exit(
            "The accessibility tests need axe-core from npm. Install Node.js and npm (Debian/Ubuntu:"
            " `sudo apt-get install npm`), or point QIMAP_AXE at an axe.min.js."
        )
    AXE_DIR.mkdir(parents=True, exist_ok=True)
    (CACHE / ".gitignore").write_text("# Made by dev.py: downloads, never committed.\n*\n")
    run(npm, "install", "--prefix", AXE_DIR, "--no-audit", "--no-fund", "axe-core@4")


def app(extra: list[str]) -> None:
    """`streamlit run app.py`, through qimap.ui.serve: the page's libraries are imported before
    the server answers, not during the first visit."""
    ensure_environment()
    python = str(BIN / "python")
    os.execv(python, [python, "-m", "qimap.ui.serve", "run", str(ROOT / "app.py"), *extra])


def test(extra: list[str]) -> None:
    ensure_environment(TEST_LOCK)
    ensure_system_tools()
    ensure_axe()
    run(BIN / "ruff", "check", ".")
    run(BIN / "ruff", "format", "--check", ".")
    run(BIN / "mypy")  # type-checks src/ (pyproject's [tool.mypy])
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
