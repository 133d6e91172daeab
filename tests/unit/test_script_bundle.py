"""The map's scripts as one file (qimap.map.script_bundle): exactly its parts, in order, named
by its content, written once, and older bundles removed."""

import hashlib
import os
import re
import time
from pathlib import Path

from qimap.map.script_bundle import (
    KEEP_OTHERS_S,
    PREFIX,
    SCRIPT_PARTS,
    bundle_script,
    write_bundle,
)
from tests.conftest import REPO

STATIC = REPO / "static"


def parts() -> list[tuple[str, str]]:
    return [(path, (STATIC / path).read_text(encoding="utf-8")) for path in SCRIPT_PARTS]


def test_the_bundle_written_is_its_parts_named_by_its_content(tmp_path: Path) -> None:
    name = write_bundle(STATIC, tmp_path)
    data = (tmp_path / name).read_bytes()
    assert data.decode() == bundle_script(parts())
    assert name == f"{PREFIX}{hashlib.sha256(data).hexdigest()[:16]}.js"
    assert write_bundle(STATIC, tmp_path) == name  # the same code: the same file, once
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_a_change_to_a_part_makes_a_new_bundle_and_the_old_one_goes_a_day_later(
    tmp_path: Path,
) -> None:
    static = tmp_path / "static"
    for path, text in parts():
        (static / path).parent.mkdir(parents=True, exist_ok=True)
        (static / path).write_text(text, encoding="utf-8")
    folder = static / "generated"
    before = write_bundle(static, folder)
    (folder / "cases-0123.json").write_text("{}")  # the map's data files are not its to prune
    script = static / "qimap" / "qimap-map.js"
    script.write_text(script.read_text(encoding="utf-8") + "\n// changed\n", encoding="utf-8")
    after = write_bundle(static, folder)
    assert after != before
    # a process of the old code (a rolling deploy) still finds its own
    assert sorted(p.name for p in folder.iterdir()) == sorted([after, before, "cases-0123.json"])
    assert "// changed" in (folder / after).read_text(encoding="utf-8")
    day_old = time.time() - KEEP_OTHERS_S - 60
    os.utime(folder / before, (day_old, day_old))
    os.utime(folder / after, (day_old, day_old))  # its own, however old, stays
    assert write_bundle(static, folder) == after
    assert sorted(p.name for p in folder.iterdir()) == sorted([after, "cases-0123.json"])


def test_the_bundle_names_every_part_with_its_hash_and_keeps_the_licence_notices() -> None:
    text = bundle_script(parts())
    header = text[: text.index("*/")]
    for path, body in parts():
        assert f"{path} sha256 {hashlib.sha256(body.encode()).hexdigest()}" in header
    assert "static/vendor/supercluster/LICENSE" in header
    assert "@preserve\n * Leaflet 1.9.4" in text  # Leaflet's own notice stays


def test_parts_run_in_order_and_cannot_run_into_each_other() -> None:
    text = bundle_script([("a.js", "var a = 1\n//# sourceMappingURL=a.js.map\n"), ("b.js", "b()")])
    assert "sourceMappingURL" not in text
    assert text.index("var a = 1") < text.index("b()")
    assert re.search(r"var a = 1\n;\n/\* --- b\.js --- \*/\nb\(\)\n;\n$", text)
