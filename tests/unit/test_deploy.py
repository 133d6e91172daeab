"""The locks (hashed; production without test tools) and deploy/'s nginx template renderer."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO, deploy_module

RUNTIME_LOCK = REPO / "requirements.lock"
TEST_LOCK = REPO / "requirements-test.lock"


def requirements(lock: Path) -> dict[str, list[str]]:
    """Each requirement ("name==version ; marker") with its --hash options."""
    text = lock.read_text().replace("\\\n", " ")
    entries: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        requirement = line.partition(" --hash")[0]
        entries[requirement.strip()] = re.findall(r"sha256:[0-9a-f]{64}", line)
    return entries


def name_of(requirement: str) -> str:
    return re.split(r"[=<>; \[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text())


@pytest.mark.parametrize("lock", [RUNTIME_LOCK, TEST_LOCK], ids=lambda p: p.name)
def test_every_locked_requirement_is_pinned_and_hashed(lock: Path) -> None:
    entries = requirements(lock)
    assert len(entries) > 20
    for requirement, hashes in entries.items():
        assert "==" in requirement, requirement
        assert hashes, f"{requirement} has no --hash"


def test_runtime_lock_has_no_test_tools() -> None:
    test_tools = {name_of(r) for r in pyproject()["project"]["optional-dependencies"]["test"]}
    runtime = {name_of(r) for r in requirements(RUNTIME_LOCK)}
    assert test_tools <= {name_of(r) for r in requirements(TEST_LOCK)}
    assert not runtime & (test_tools | {"pluggy", "iniconfig", "greenlet"})


def test_test_lock_runs_the_same_runtime_versions() -> None:
    test_lock = requirements(TEST_LOCK)
    for requirement, hashes in requirements(RUNTIME_LOCK).items():
        assert test_lock.get(requirement) == hashes, requirement


def test_locks_hold_the_setuptools_that_builds_qimap() -> None:
    # dev.py builds qimap with --no-build-isolation, i.e. with the locked setuptools.
    (required,) = pyproject()["build-system"]["requires"]
    minimum = tuple(int(part) for part in required.split(">=")[1].split("."))
    for lock in (RUNTIME_LOCK, TEST_LOCK):
        (pinned,) = [r for r in requirements(lock) if name_of(r) == "setuptools"]
        version = tuple(int(part) for part in pinned.split("==")[1].split(".")[:2])
        assert version >= minimum, pinned


def _renderer() -> ModuleType:
    return deploy_module("render_nginx")


def test_nginx_template_renders_listen_and_upstreams() -> None:
    text = _renderer().render("127.0.0.1:8080", ["127.0.0.1:8501", "10.0.0.2:8501"])
    assert "listen 127.0.0.1:8080;" in text
    assert "server 127.0.0.1:8501;" in text
    assert "server 10.0.0.2:8501;" in text
    assert not re.search(r"\{\{\w+\}\}", text)


@pytest.mark.parametrize(
    ("listen", "upstreams"),
    [("80; include /etc/passwd", ["127.0.0.1:8501"]), ("80", ["a:1;}"]), ("80", [])],
)
def test_nginx_template_refuses_values_that_are_not_addresses(
    listen: str, upstreams: list[str]
) -> None:
    with pytest.raises(ValueError, match=r"address|upstream"):
        _renderer().render(listen, upstreams)


def test_a_placeholder_left_unfilled_is_refused(tmp_path: Path) -> None:
    """deploy/template_fill.py, shared by both renderers: a renamed placeholder never reaches a
    server as literal text."""
    module = deploy_module("template_fill")
    template = tmp_path / "site.template"
    template.write_text("listen {{listen}};\nserver {{upstream}};\n")
    assert module.fill(template, {"listen": "80", "upstream": "a:1"}) == "listen 80;\nserver a:1;\n"
    with pytest.raises(ValueError, match="upstream"):
        module.fill(template, {"listen": "80"})
