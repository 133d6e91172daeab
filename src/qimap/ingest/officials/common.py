"""What the officials' readers share: the result of reading a source, YAML read safely, and
the words of a problem (file, YAML path or row, what to do)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import yaml

from qimap.issues import DataError, Issue
from qimap.model.officials import Committee, CommitteeMember, Official, ZipDistrict

# The C loader when PyYAML was built with libyaml (about ten times faster), else the Python one;
# both are the safe loaders: plain data only, never Python objects.
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_YAML_BYTES = 20_000_000  # the biggest real file is about 1 MB (legislators-current.yaml)


@dataclass
class Read:
    """A source as read: the records kept, the items refused (each with why), notes on fields
    left out of kept items (a link that is not http(s)), and counts of what was skipped on
    purpose or is missing in the data (no phone)."""

    officials: list[Official] = field(default_factory=list)
    committees: list[Committee] = field(default_factory=list)
    members: list[CommitteeMember] = field(default_factory=list)
    zips: list[ZipDistrict] = field(default_factory=list)
    rejected: list[Issue] = field(default_factory=list)
    notes: list[Issue] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def rows(self) -> int:
        return len(self.officials) + len(self.committees) + len(self.members) + len(self.zips)

    def add(self, other: Read) -> None:
        self.officials += other.officials
        self.committees += other.committees
        self.members += other.members
        self.zips += other.zips
        self.rejected += other.rejected
        self.notes += other.notes
        self.counts.update(other.counts)


def load_yaml(data: bytes, file: str) -> Any:
    """A YAML document as plain data; a file that does not parse (cut off, damaged) raises a
    DataError naming the file and the line."""
    if len(data) > MAX_YAML_BYTES:
        raise DataError([Issue(file, None, None, f"is over {MAX_YAML_BYTES:,} bytes; not read")])
    try:
        return yaml.load(data, Loader=SAFE_LOADER)  # noqa: S506 (a safe loader, see SAFE_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" near line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise DataError(
            [
                Issue(
                    file,
                    None,
                    None,
                    f"is not valid YAML{line} ({problem}): the file is cut off or damaged; "
                    "download it again (qimap officials update) and nothing was changed",
                )
            ]
        ) from error
    except UnicodeDecodeError as error:
        raise DataError(
            [Issue(file, None, None, f"is not UTF-8 text ({error.reason}); download it again")]
        ) from error


def text(value: Any) -> str | None:
    """A scalar as stripped text (numbers and dates too); None for blank, lists and mappings."""
    if value is None or isinstance(value, (list, dict, bool)):
        return None
    found = str(value).strip()
    return found or None


def problem(file: str, where: str, what: str, todo: str) -> Issue:
    """One problem at a YAML path: "people/data/ma/legislature/x.yml: roles[0].district: missing;
    left out: ..."."""
    return Issue(file, None, None, f"{where}: {what}; {todo}")
