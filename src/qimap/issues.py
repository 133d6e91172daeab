"""Problems found in data, named by place: one :class:`Issue` per problem (file, row, column,
what to do), and :class:`DataError` carrying every issue found, not just the first. Every room
reports with these; none of them reads anything."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in one place. ``row`` counts like a spreadsheet: the header is row 1."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class DataError(Exception):
    """Raised when data cannot be used; carries every issue found, not just the first."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        shown = "\n".join(f"  - {issue}" for issue in issues[:20])
        more = f"\n  … and {len(issues) - 20} more" if len(issues) > 20 else ""
        super().__init__(f"{len(issues)} problem(s) in the data:\n{shown}{more}")


def issues_of(error: Exception, file: str) -> list[Issue]:
    """What to show for a file that could not be read: a DataError's own issues, or the
    error's message as one issue about the whole file."""
    if isinstance(error, DataError):
        return error.issues
    return [Issue(file, None, None, str(error))]
