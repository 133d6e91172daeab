"""The `qimap` command: the app's operations for scripts and cron.

qimap scorecard STATE [--json]   a state's bills with marks and tallies
qimap validate [DIR]             check the data; non-zero exit with file/row/column messages
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import us

from qimap.dataset import check_dataset, load_dataset
from qimap.schema import STATUS_LABELS
from qimap.scoring import Scorecard
from qimap.settings import load_settings
from qimap.sources import DataError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

MARK_SYMBOL = {"yes": "✓", "partial": "◐", "no": "✗", "unknown": "?"}


def scorecard_json(state: str, cards: Sequence[Scorecard]) -> dict[str, Any]:
    return {
        "state": state,
        "bills": [
            {
                "bill_key": card.bill.bill_key,
                "bill_id": card.bill.bill_id,
                "year": card.bill.year_introduced,
                "status": card.bill.status.value,
                "end": _tally_json(card.end, card.bill.printed_end_tally),
                "start": _tally_json(card.start, card.bill.printed_start_tally),
                "marks": {row.criterion.criterion_id: row.mark.value for row in card.rows},
                "flags": [flag.message for flag in card.flags],
            }
            for card in cards
        ],
    }


def _tally_json(tally: Any, printed: Any) -> dict[str, Any]:
    return {
        "score": tally.score,
        "total": tally.total,
        "unknown": tally.unknown,
        "printed": None if printed is None else printed.score,
    }


def scorecard_text(state_name: str, cards: Sequence[Scorecard]) -> str:
    if not cards:
        return f"{state_name}: no scored bills in the data.\n"
    lines = [f"{state_name}: {len(cards)} bill(s), newest first", ""]
    for card in cards:
        bill = card.bill
        year = bill.year_introduced or "year unknown"
        lines.append(f"{bill.display_name} ({year}), {STATUS_LABELS[bill.status]}")
        lines.append(f"  End QI {card.end.label()}   Start {card.start.label()}")
        for row in card.rows:
            lines.append(f"  {MARK_SYMBOL[row.mark.value]} {row.criterion.label}")
        lines += [f"  ! {flag.message}" for flag in card.flags]
        lines.append("")
    return "\n".join(lines)


def _cmd_scorecard(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    settings = load_settings()
    found = us.states.lookup(args.state)
    if found is None:
        err.write(f"qimap: unknown state '{args.state}'; use a code such as MA or a name.\n")
        return EXIT_USAGE
    try:
        data = load_dataset(settings.data_dir, settings.geo_dir)
    except DataError as error:
        err.write(f"qimap: {error}\n")
        return EXIT_PROBLEMS
    cards = data.scorecards(found.abbr)
    if args.json:
        json.dump(scorecard_json(found.abbr, cards), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        out.write(scorecard_text(found.name, cards))
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    settings = load_settings()
    data_dir = Path(args.dir) if args.dir else settings.data_dir
    geo_dir = Path(args.geo) if args.geo else settings.geo_dir
    issues = check_dataset(data_dir, geo_dir)
    for issue in issues:
        err.write(f"{issue}\n")
    if issues:
        err.write(f"{len(issues)} problem(s) found; nothing was changed.\n")
        return EXIT_PROBLEMS
    out.write(f"OK: {data_dir} and {geo_dir} are valid.\n")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qimap", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    scorecard = commands.add_parser(
        "scorecard", help="print a state's bills with marks and tallies"
    )
    scorecard.add_argument("state", help="state code or name, e.g. MA")
    scorecard.add_argument("--json", action="store_true", help="machine-readable output")
    scorecard.set_defaults(handler=_cmd_scorecard)
    validate = commands.add_parser("validate", help="check the data files; exit 1 on any problem")
    validate.add_argument("dir", nargs="?", help="data directory (default: the bundled data/)")
    validate.add_argument("--geo", help="directory holding us_states.geojson (default: geo/)")
    validate.set_defaults(handler=_cmd_validate)
    return parser


def main(
    argv: Sequence[str] | None = None, out: TextIO = sys.stdout, err: TextIO = sys.stderr
) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args, out, err)


if __name__ == "__main__":
    sys.exit(main())
