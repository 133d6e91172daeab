"""The package's layers, pinned (issue 10): data flows sources -> ingest -> store -> loaders ->
builders -> pages, and these rules keep each room to its role:

- only ``qimap.ui`` imports Streamlit (everything else runs in the CLI and in plain tests);
- ``qimap.model`` does no I/O: no database, no settings, no reading of files; from qimap it
  imports only itself, ``qimap.safe`` and ``qimap.issues`` (the other rooms build on it, not it on them);
- ``qimap.ingest`` never imports ``qimap.ui`` or ``qimap.render`` (reading data does not depend
  on how it is shown);
- the ingest stages import no later stage (an upload passes each of them once, downward):
  read, mapping, normalise, complete, validate, check, diff, then the pipeline that runs them
  (mapping's cell sources, ``cell_sources``, are held to the rule just below it).

The rules read each module's syntax tree, so they hold for imports inside functions too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "src" / "qimap"
# Packages and modules that do I/O, by their dotted prefix.
IO_MODULES = ("sqlalchemy", "sqlite3", "psycopg", "urllib", "http", "socket", "shutil", "tempfile")
MODEL_MAY_IMPORT = ("qimap.model", "qimap.safe", "qimap.issues")
IO_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "mkdir", "unlink"}
# The ingest stages in the order an upload passes them (qimap.ingest.pipeline runs them);
# cell_sources holds the mapping stage's cell sources and sits just below it (mapping imports it).
STAGES = (
    "read",
    "cell_sources",
    "mapping",
    "normalise",
    "complete",
    "validate",
    "check",
    "diff",
    "pipeline",
)


def modules(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def imported(path: Path) -> Iterator[str]:
    """Every module name ``path`` imports (absolute), at any depth of the file."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def called(path: Path) -> Iterator[str]:
    """The names of the functions and methods ``path`` calls."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name):
                yield node.func.id
            elif isinstance(node.func, ast.Attribute):
                yield node.func.attr


def within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def breaches(folder: Path, forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(REPO)} imports {name}"
        for path in modules(folder)
        for name in imported(path)
        if within(name, forbidden)
    ]


def test_the_rooms_exist() -> None:
    # Guards the guards: a rule over an empty or missing folder would check nothing.
    for room in ("model", "ingest", "geo", "map", "render", "ui"):
        assert modules(PACKAGE / room), room


def test_only_ui_imports_streamlit() -> None:
    outside_ui = [path for path in modules(PACKAGE) if "ui" not in path.relative_to(PACKAGE).parts]
    found = [
        f"{path.relative_to(REPO)} imports {name}"
        for path in outside_ui
        for name in imported(path)
        if within(name, ("streamlit",))
    ]
    assert not found


def test_model_does_no_io() -> None:
    assert not breaches(PACKAGE / "model", IO_MODULES)
    upward = [
        f"{path.relative_to(REPO)} imports {name}"
        for path in modules(PACKAGE / "model")
        for name in imported(path)
        if within(name, ("qimap",)) and not within(name, MODEL_MAY_IMPORT) and name != "qimap"
    ]
    assert not upward
    calls = [
        f"{path.relative_to(REPO)} calls {name}()"
        for path in modules(PACKAGE / "model")
        for name in called(path)
        if name in IO_CALLS
    ]
    assert not calls


def test_ingest_never_imports_ui_or_render() -> None:
    assert not breaches(PACKAGE / "ingest", ("qimap.ui", "qimap.render"))


def stage_breaches(folder: Path) -> list[str]:
    """Where a stage module in ``folder`` imports a later stage (or a stage is missing)."""
    missing = [
        f"{stage}.py is missing" for stage in STAGES if not (folder / f"{stage}.py").is_file()
    ]
    return missing + [
        f"{stage}.py imports {name}"
        for index, stage in enumerate(STAGES)
        if (folder / f"{stage}.py").is_file()
        for name in imported(folder / f"{stage}.py")
        if within(name, tuple(f"qimap.ingest.{later}" for later in STAGES[index + 1 :]))
    ]


def test_stages_import_no_later_stage() -> None:
    assert not stage_breaches(PACKAGE / "ingest")


def test_the_stage_rule_fails_when_broken(tmp_path: Path) -> None:
    """The stage rule, run on a copy of ingest/ where an early stage imports a later one."""
    for stage in STAGES:
        source = (PACKAGE / "ingest" / f"{stage}.py").read_text(encoding="utf-8")
        (tmp_path / f"{stage}.py").write_text(source, encoding="utf-8")
    assert not stage_breaches(tmp_path)  # the copy as it is passes
    with (tmp_path / "mapping.py").open("a", encoding="utf-8") as planted:
        planted.write("\n\ndef f():\n    from qimap.ingest.check import Context\n")
    assert stage_breaches(tmp_path) == [
        "mapping.py imports qimap.ingest.check",
        "mapping.py imports qimap.ingest.check.Context",
    ]


@pytest.mark.parametrize(
    ("room", "planted", "rule"),
    [
        ("model", "import sqlalchemy\n", test_model_does_no_io),
        ("model", "from qimap.ingest.sources import Issue\n", test_model_does_no_io),
        ("model", "from qimap.render.exports import write_csv\n", test_model_does_no_io),
        ("model", "def f(p):\n    return p.read_text()\n", test_model_does_no_io),
        (
            "ingest",
            "from qimap.render.exports import write_csv\n",
            test_ingest_never_imports_ui_or_render,
        ),
        ("map", "def f():\n    import streamlit\n", test_only_ui_imports_streamlit),
    ],
)
def test_each_rule_fails_when_broken(room: str, planted: str, rule: object) -> None:
    """Each rule, run on the tree with one planted breach, fails (then the plant is removed)."""
    plant = PACKAGE / room / "_planted_breach.py"
    plant.write_text(planted, encoding="utf-8")
    try:
        with pytest.raises(AssertionError):
            rule()  # type: ignore[operator]
    finally:
        plant.unlink()


def test_readme_and_architecture_name_every_room() -> None:
    rooms = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Layout") :]
    architecture = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert rooms == ["geo", "ingest", "map", "model", "render", "ui"]
    assert [room for room in rooms if f"{room}/" not in layout] == []
    assert [room for room in rooms if f"`{room}/`" not in architecture] == []
