"""The data dictionary's column tables, written from qimap.model.schema so the docs cannot drift.

docs/data.md holds one table per data file between ``<!-- columns:NAME -->`` and
``<!-- /columns -->``; ``python -m qimap.render.dictionary`` rewrites them, and a test fails when
they are out of date.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from qimap.model.schema import TABLES, TableSpec
from qimap.settings import REPO_ROOT

DOC = REPO_ROOT / "docs" / "data.md"
_BLOCK = re.compile(r"(<!-- columns:(\w+) -->\n)(.*?)(<!-- /columns -->)", re.DOTALL)


def column_table(spec: TableSpec) -> str:
    lines = ["| column | required | meaning | allowed values | example |", "|---|---|---|---|---|"]
    for column in spec.columns:
        cells = (
            f"`{column.name}`",
            "yes" if column.required else "optional",
            column.description,
            column.accepts,
            f"`{column.example}`" if column.example else "",
        )
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def render(text: str) -> str:
    specs = {spec.name: spec for spec in TABLES}

    def table(match: re.Match[str]) -> str:
        return match.group(1) + column_table(specs[match.group(2)]) + match.group(4)

    return _BLOCK.sub(table, text)


def main(path: Path = DOC) -> int:
    text = path.read_text(encoding="utf-8")
    path.write_text(render(text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
