"""The `qimap` command: the app's operations for scripts and cron.

qimap scorecard STATE [--json]   a state's bills with marks and tallies
qimap validate [DIR]             check the data; non-zero exit with file/row/column messages
qimap demo-data --out FILE       synthetic cases (never real) for benchmarks and demos
"""

from __future__ import annotations

import argparse
import gc
import getpass
import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from qimap.auth import hash_password
from qimap.ingest.cell_sources import ColumnMapping, mapping_from_json
from qimap.ingest.diff import Plan
from qimap.issues import DataError, Issue
from qimap.map.casefile import write_map_files
from qimap.model.schema import SPECS
from qimap.model.usstates import TYPED, accepted, resolve_state
from qimap.render.exports import write_cases_geojson, write_csv
from qimap.render.scorecard import scorecard_json, scorecard_text
from qimap.settings import Settings, SettingsError, load_settings
from qimap.store import NothingToPublish, Store, StoreError, UndoBlocked

if TYPE_CHECKING:
    from qimap.geo.states import StateLayer
    from qimap.ingest.pipeline import Prepared

# The data pipeline (dataset, importer, states: shapely and numpy), brief (matplotlib), demo
# and mapview are imported inside the commands that use them, so that
# `qimap --help` and a mistyped command answer at once.

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _cmd_scorecard(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    settings = load_settings()
    found = resolve_state(args.state, allow=TYPED)
    if found is None:
        err.write(_unknown_state(args.state))
        return EXIT_USAGE
    from qimap.ingest.importer import load_from_store

    try:
        store, states = read_store(settings)
        data = load_from_store(store, states)
    except DataError as error:
        err.write(f"qimap: {error}\n")
        return EXIT_PROBLEMS
    cards = data.scorecards(found.usps)
    if args.json:
        json.dump(scorecard_json(found.usps, cards), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        out.write(scorecard_text(found.name, cards))
    return EXIT_OK


def _unknown_state(text: str) -> str:
    return f"qimap: unknown state '{text}'; give {accepted(TYPED)}.\n"


def _cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    settings = load_settings()
    path = Path(args.path) if args.path else settings.data_dir
    geo_dir = Path(args.geo) if args.geo else settings.geo_dir
    from qimap.ingest.dataset import check_dataset
    from qimap.ingest.editorial import read_links

    if path.is_file():  # one file, checked against what is stored as `import --dry-run` does
        store, states = read_store(settings)
        checking = argparse.Namespace(
            files=[str(path)], table=args.table, mapping=args.mapping, dry_run=True
        )
        return _import_big_files(store, states, checking, out, err)
    issues = check_dataset(path, geo_dir)
    try:
        read_links(path, _rubric_ids(path))
    except DataError as error:
        issues += error.issues
    if issues:
        return _problems(issues, err)
    out.write(f"OK: {path} and {geo_dir} are valid.\n")
    return EXIT_OK


def _problems(issues: Sequence[Issue], err: TextIO) -> int:
    for issue in issues:
        err.write(f"{issue}\n")
    err.write(f"{len(issues)} problem(s) found; nothing was changed.\n")
    return EXIT_PROBLEMS


def _rubric_ids(data_dir: Path) -> list[str]:
    from qimap.ingest.dataset import read_rubric

    rubric, _ = read_rubric(data_dir)  # its problems are already in check_dataset's list
    return [criterion.criterion_id for criterion in rubric]


def open_store(settings: Settings) -> tuple[Store, StateLayer]:
    """The store, seeded from the bundled data on first use: for commands that write."""
    from qimap.ingest.dataset import load_states
    from qimap.ingest.importer import seed

    states = load_states(settings.geo_dir)
    store = Store.open(settings.database_url, settings.busy_timeout)
    seed(store, settings.data_dir, states)
    return store, states


def read_store(settings: Settings) -> tuple[Store, StateLayer]:
    """For commands that only read: the store, or while it is empty the bundled data it will
    be seeded with, in a private in-memory store. The answer is the one the app gives, and
    no file, table or seed batch is written (the app or the first write seeds the store)."""
    from qimap.ingest.dataset import load_states
    from qimap.ingest.importer import seed

    states = load_states(settings.geo_dir)
    store = Store.open_filled(settings.database_url, settings.busy_timeout)
    if store is None:
        store = Store.open("sqlite://", settings.busy_timeout)
        seed(store, settings.data_dir, states)
    return store, states


def _report(prepared_list: Sequence[Prepared], out: TextIO, err: TextIO, plan: Plan) -> int:
    problems = [issue for prepared in prepared_list for issue in prepared.issues]
    for issue in problems:
        err.write(f"{issue}\n")
    for prepared in prepared_list:
        for warning in prepared.warnings:
            out.write(f"warning: {warning}\n")
    for prepared in prepared_list:
        for note in prepared.notes:
            out.write(f"{prepared.file_name}: {note}\n")
        out.write(
            f"{prepared.file_name}: {prepared.total_rows} rows, {len(prepared.rows)} valid, "
            f"{prepared.rejected_rows} rejected ({prepared.table})\n"
        )
    out.write(f"new {len(plan.new)}, updated {len(plan.updated)}, unchanged {plan.unchanged}\n")
    return EXIT_PROBLEMS if problems else EXIT_OK


def _read_mapping(path: str | None) -> ColumnMapping | None:
    """A saved column mapping (--mapping FILE): file columns, constants and templates."""
    if not path:
        return None
    return mapping_from_json(Path(path).read_text(encoding="utf-8"), path)


def _cmd_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Files of any size as one batch, read a chunk of rows at a time: messages are printed
    as each chunk is checked, the totals and the outcome at the end."""
    settings = load_settings()
    store, states = read_store(settings) if args.dry_run else open_store(settings)
    return _import_big_files(store, states, args, out, err)


def _import_big_files(
    store: Store, states: StateLayer, args: argparse.Namespace, out: TextIO, err: TextIO
) -> int:
    from qimap.ingest.bulk import BulkImport
    from qimap.ingest.importer import publish_chunks
    from qimap.ingest.pipeline import context_from_store, open_big_file

    def report_chunk(prepared: Prepared, left_out: dict[str, str]) -> None:
        for new_id, stored_id in left_out.items():
            out.write(f"left out '{new_id}': it looks like the stored case '{stored_id}'\n")
        for issue in prepared.issues:
            err.write(f"{issue}\n")
        for warning in prepared.warnings:
            out.write(f"warning: {warning}\n")

    try:
        mapping = _read_mapping(args.mapping)
        files = [open_big_file(Path(name), name, args.table, mapping) for name in args.files]
    except DataError as error:  # unreadable as a whole (e.g. ragged rows): list each
        return _problems(error.issues, err)
    except OSError as error:
        err.write(f"qimap: {os_message(error)}\n")
        return EXIT_PROBLEMS
    bulk = BulkImport(
        files,
        context_from_store(store, states, args.table),
        report_chunk,
        keep_likely_duplicates=getattr(args, "keep_likely_duplicates", False),
        all_or_nothing=getattr(args, "all_or_nothing", False),
    )

    def exit_code() -> int:  # 1 when any row was refused, as for every import
        return EXIT_PROBLEMS if bulk.problems else EXIT_OK

    def totals() -> None:
        for file in bulk.totals:
            out.writelines(f"{file.file_name}: {note}\n" for note in file.all_notes())
            out.write(file.line() + "\n")

    try:
        if args.dry_run:
            plans = [store.plan(incoming) for incoming in bulk.chunks()]
            totals()
            new, updated = sum(len(p.new) for p in plans), sum(len(p.updated) for p in plans)
            unchanged = sum(p.unchanged for p in plans)
            out.write(f"new {new}, updated {updated}, unchanged {unchanged}\n")
            out.write("Dry run: nothing was published.\n")
            return exit_code()
        batch = publish_chunks(
            store,
            bulk.chunks(),
            states,
            args.editor,
            file_name=bulk.file_name,
            sha256=bulk.sha256,
            mapping=files[0].mapping if len(files) == 1 else {},
            rejected=bulk.rejected,
        )
    except NothingToPublish as error:  # no batch recorded: it ends as a dry run would
        totals()
        out.write(f"new 0, updated 0, unchanged {error.unchanged}\n{error}\n")
        return exit_code()
    except (StoreError, DataError) as error:
        totals()
        err.write(f"qimap: {error}\n")
        return EXIT_PROBLEMS
    totals()
    out.write(f"new {batch.new}, updated {batch.updated}, unchanged {batch.unchanged}\n")
    out.write(f"Published batch {batch.batch_id} (undo with: qimap undo {batch.batch_id}).\n")
    return exit_code()


def _report_and_publish(
    files: Sequence[Prepared],
    store: Store,
    states: StateLayer,
    args: argparse.Namespace,
    out: TextIO,
    err: TextIO,
) -> int:
    """Print the row-by-row report and the plan, then publish unless --dry-run."""
    from qimap.ingest.importer import plan, publish

    code = _report(files, out, err, plan(store, files))
    if args.dry_run:
        out.write("Dry run: nothing was published.\n")
        return code

    try:
        all_or_nothing = getattr(args, "all_or_nothing", False)
        batch = publish(store, files, states, args.editor, all_or_nothing)
    except NothingToPublish as error:  # no batch recorded: it ends as a dry run would
        out.write(f"{error}\n")
        return code
    except (StoreError, DataError) as error:
        err.write(f"qimap: {error}\n")
        return EXIT_PROBLEMS
    out.write(f"Published batch {batch.batch_id} (undo with: qimap undo {batch.batch_id}).\n")
    return code


def _cmd_import_scorecards(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from qimap.ingest.importer import read_page
    from qimap.render.page_report import page_report

    settings = load_settings()
    store, states = read_store(settings) if args.dry_run else open_store(settings)
    try:
        text = Path(args.file).read_text(encoding="utf-8")
        read = read_page(text, args.file, store, args.state)
    except (ValueError, OSError) as error:
        err.write(f"qimap: {error}\n")
        return EXIT_PROBLEMS
    if args.dry_run:  # what the reader read, bill by bill, to check against the page
        out.write("\n".join(page_report(read.page, read.rubric)) + "\n\n")
    return _report_and_publish(read.files, store, states, args, out, err)


def _cmd_prepare(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """After a deploy (new code makes new snapshot files) or on a new machine: seed the store
    if it is empty, then write the current version's snapshot, its map files and the map's
    script, so no app process validates the data or writes them during a visit."""
    from qimap.map.script_bundle import write_bundle
    from qimap.settings import STATIC_DIR

    settings = load_settings()
    store, _ = open_store(settings)  # seeds an empty store, as the app's first visit would
    try:
        seeded = store.version()
    finally:
        store.engine.dispose()
    write_bundle(STATIC_DIR, settings.generated_dir)
    if settings.snapshot_dir is None:
        out.write(
            f"Version {seeded}: the map's script is written; snapshots are off "
            "(QIMAP_SNAPSHOT_DIR), so each app process reads and validates the data itself.\n"
        )
        return EXIT_OK
    prepared = _prepare_for_visitors()
    out.write(
        f"Version {prepared or seeded} is ready for the app's processes: its data in "
        f"{settings.snapshot_dir}, its map files and script in {settings.generated_dir}.\n"
    )
    return EXIT_OK


def _cmd_history(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    settings = load_settings()
    store = Store.open_filled(settings.database_url, settings.busy_timeout)
    if store is None:  # a seed batch read from data/ would be one the store does not have
        out.write(
            "No import batches: the store is empty. The app fills it from the bundled data "
            "when it starts, and so does the first `qimap import`.\n"
        )
        return EXIT_OK
    for batch in store.history():
        undone = (
            f"  undone {batch.undone_at:%Y-%m-%d %H:%M} by {batch.undone_by}"
            if batch.undone_at
            else ""
        )
        out.write(
            f"{batch.batch_id:>5}  {batch.created_at:%Y-%m-%d %H:%M}  {batch.editor}  "
            f"{batch.file_name}  new {batch.new}, updated {batch.updated}, "
            f"unchanged {batch.unchanged}, rejected {batch.rejected}{undone}\n"
        )
    return EXIT_OK


def _cmd_undo(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from qimap.ingest.importer import undo

    settings = load_settings()
    store, states = open_store(settings)
    try:
        undone = undo(store, args.batch_ids, states, args.editor)
    except UndoBlocked as error:
        together = " ".join(str(i) for i in sorted({*args.batch_ids, *error.later}))
        err.write(f"qimap: {error}\nTo undo them together: qimap undo {together}\n")
        return EXIT_PROBLEMS
    for batch in undone:
        out.write(f"Undid batch {batch.batch_id} ({batch.file_name}).\n")
    _purge_map_files(store, states, settings)
    return EXIT_OK


def _purge_map_files(store: Store, states: StateLayer, settings: Settings) -> None:
    """Rewrite the map's files for the data as it now is and delete the older ones, which may
    hold what was undone. App processes elsewhere do the same on their next rerun."""
    from qimap.ingest.importer import load_from_store
    from qimap.map.mapview import display_geojson

    data = load_from_store(store, states)
    geojson = display_geojson(states.geojson)
    write_map_files(data.cases, geojson, settings.generated_dir, store.last_undo())


@contextmanager
def _collector_paused() -> Iterator[None]:
    """For bulk work that makes many objects and no reference cycles: the garbage collector's
    full passes over them free nothing (about a fifth of exporting 100,000 rows)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _cmd_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with _collector_paused():
        return _export(args, out, err)


def _export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    store, _ = read_store(load_settings())
    rows = list(store.rows(args.table).values())
    if args.state:
        found = [resolve_state(text, allow=TYPED) for text in args.state]
        if unknown := [text for text, state in zip(args.state, found, strict=True) if not state]:
            err.write(_unknown_state(unknown[0]))
            return EXIT_USAGE
        wanted = {state.usps for state in found if state}
        column = "state" if args.table in {"cases", "bills"} else None
        if column is None:
            err.write("qimap: --state filters cases and bills only.\n")
            return EXIT_USAGE
        rows = [row for row in rows if row[column] in wanted]
    target = open(args.output, "w", newline="", encoding="utf-8") if args.output else out  # noqa: SIM115
    try:
        if args.format == "geojson":
            if args.table != "cases":
                err.write("qimap: GeoJSON export is for cases.\n")
                return EXIT_USAGE
            write_cases_geojson(rows, target)  # as json.dump(cases_geojson(rows), indent=1)
        else:
            write_csv(rows, SPECS[args.table], target)
    finally:
        if args.output:
            target.close()
    return EXIT_OK


def _cmd_brief(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    found = resolve_state(args.state, allow=TYPED)
    if found is None:
        err.write(_unknown_state(args.state))
        return EXIT_USAGE
    target = Path(args.out)
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in {"pdf", "png"}:
        err.write("qimap: give an --out file ending in .pdf or .png.\n")
        return EXIT_USAGE
    from qimap.ingest.importer import load_from_store
    from qimap.ingest.officials.snapshot import load_officials
    from qimap.render.brief import render_brief

    store, states = read_store(load_settings())
    data = load_from_store(store, states)
    render_brief(data, found.usps, target, fmt, officials=load_officials(store))
    out.write(f"Wrote {target}\n")
    return EXIT_OK


def _cmd_demo_data(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from qimap.demo import MAX_CASES, synthetic_cases, write_cases_csv

    if not 0 <= args.cases <= MAX_CASES:
        err.write(f"qimap: --cases must be between 0 and {MAX_CASES:,}.\n")
        return EXIT_USAGE
    to_stdout = args.out == "-"
    target = Path(args.out)
    data_dir = load_settings().data_dir.resolve()
    if not to_stdout and target.resolve().is_relative_to(data_dir):
        err.write(
            f"qimap: refusing to write synthetic cases into the data directory {data_dir}; "
            "they must never be mixed with real data.\n"
        )
        return EXIT_USAGE
    cases = synthetic_cases(args.cases, args.seed)
    write_cases_csv(cases, out if to_stdout else target)
    where = "standard output" if to_stdout else str(target)
    err.write(
        f"Wrote {len(cases):,} SYNTHETIC cases (seed {args.seed}) to {where}: "
        "not real cases; never mix them with real data.\n"
    )
    return EXIT_OK


def _cmd_officials_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    return _import_officials(Path(args.folder), args, out, err)


def _cmd_officials_update(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import tempfile

    from qimap.ingest.officials.update import Addresses, download

    settings = load_settings()
    addresses = Addresses(
        settings.officials_openstates_url,
        settings.officials_congress_url,
        settings.officials_zccd_url,
    )
    with tempfile.TemporaryDirectory(prefix="qimap-officials-") as temporary:
        folder = Path(args.into) if args.into else Path(temporary)
        err.write(f"Downloading the officials' sources into {folder} ...\n")
        download(addresses, folder)
        return _import_officials(folder, args, out, err)


def _import_officials(folder: Path, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Read all three sources (nothing is written if one cannot be read), then publish them
    as one batch; rejected items are listed by file and YAML path or row."""
    from qimap.ingest.officials.snapshot import publish_snapshot, read_snapshot
    from qimap.render.officials import import_lines

    snapshot = read_snapshot(folder, manifest_file=Path(args.manifest) if args.manifest else None)
    for issue in snapshot.read.rejected:
        err.write(f"{issue}\n")
    for issue in snapshot.read.notes:
        err.write(f"note: {issue}\n")
    store, _ = open_store(load_settings())
    rejected = len(snapshot.read.rejected)
    try:
        batch = publish_snapshot(store, snapshot, args.editor, accept_shrink=args.accept_shrink)
    except NothingToPublish:
        out.write("Nothing was published: the stored officials are already this data.\n")
        return EXIT_OK
    out.write(
        f"Published batch {batch.batch_id} ({batch.file_name}): new {batch.new:,}, "
        f"updated {batch.updated:,} (rows no longer in the data are kept as retired), "
        f"unchanged {batch.unchanged:,}, rejected {rejected:,}, notes {len(snapshot.read.notes):,}. "
        f"Undo it with `qimap undo {batch.batch_id}`.\n"
    )
    out.write("\n".join(import_lines(snapshot.versions, dict(snapshot.read.counts))) + "\n")
    return EXIT_PROBLEMS if rejected else EXIT_OK


def _cmd_officials_lookup(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from qimap.geo.districts import lookup
    from qimap.geo.places import build_index
    from qimap.ingest.officials.snapshot import load_officials, stored_contacts
    from qimap.model.officials import EMPTY, NO_DATA, ZipStatus
    from qimap.render.officials import lookup_json, lookup_text

    settings = load_settings()
    state = None
    if args.state:
        found_state = resolve_state(args.state, allow=TYPED)
        if found_state is None:
            err.write(_unknown_state(args.state))
            return EXIT_USAGE
        state = found_state.usps
    store = Store.open_filled(settings.database_url, settings.busy_timeout)
    data = load_officials(store) if store else EMPTY
    if store is None or data.empty:
        err.write(f"qimap: {NO_DATA}\n")
        return EXIT_PROBLEMS
    found = lookup(args.zip, data, stored_contacts(store), build_index, state)
    if args.json:
        json.dump(lookup_json(found), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        out.write(lookup_text(found, args.legislators))
    status = found.representation.answer.status
    return EXIT_PROBLEMS if status in (ZipStatus.INVALID, ZipStatus.UNKNOWN) else EXIT_OK


def _cmd_hash_password(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    password = sys.stdin.readline().rstrip("\n") if args.stdin else getpass.getpass("Password: ")
    if len(password) < 12:
        err.write("qimap: use at least 12 characters.\n")
        return EXIT_USAGE
    encoded = hash_password(password)
    out.write(f"{encoded}\n")
    err.write(
        'Add it to .streamlit/secrets.toml under [qimap.editors], e.g. ann = "<hash>", '
        'or set QIMAP_EDITORS=\'{"ann": "<hash>"}\'.\n'
    )
    return EXIT_OK


MAPPING_HELP = (
    'JSON file: qimap column -> the file\'s column, null, {"constant": "text"} or '
    '{"template": "{name}, {city}"} (docs/uploads.md)'
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qimap", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    scorecard = commands.add_parser(
        "scorecard", help="print a state's bills with marks and tallies"
    )
    scorecard.add_argument("state", help="state code or name, e.g. MA")
    scorecard.add_argument("--json", action="store_true", help="machine-readable output")
    scorecard.set_defaults(handler=_cmd_scorecard)
    validate = commands.add_parser("validate", help="check data files; exit 1 on any problem")
    validate.add_argument(
        "path", nargs="?", help="a data directory or one CSV file (default: data/)"
    )
    validate.add_argument("--geo", help="directory holding us_states.geojson (default: geo/)")
    validate.add_argument("--table", choices=sorted(SPECS), help="table of a CSV file (guessed)")
    validate.add_argument("--mapping", help=MAPPING_HELP)
    validate.set_defaults(handler=_cmd_validate)
    editor = os.environ.get("QIMAP_EDITOR") or getpass.getuser()
    importer = commands.add_parser(
        "import",
        help="publish CSV files as one batch",
        description="Publish the valid rows of CSV files as one batch. Exit status: 0 when "
        "every row was taken, 1 when some rows were refused or a file cannot be read (the valid "
        "rows are still published, unless --all-or-nothing or --dry-run), 2 for a wrong command "
        "line.",
    )
    importer.add_argument("files", nargs="+", help="CSV files (cases, bills or scores)")
    importer.add_argument("--table", choices=sorted(SPECS), help="table of the files (guessed)")
    importer.add_argument("--mapping", help=MAPPING_HELP)
    importer.add_argument(
        "--dry-run", action="store_true", help="check and report, publish nothing"
    )
    importer.add_argument(
        "--all-or-nothing", action="store_true", help="publish only if every row is valid"
    )
    importer.add_argument(
        "--keep-likely-duplicates",
        action="store_true",
        help="also publish new rows that look like stored cases (left out by default)",
    )
    importer.add_argument("--editor", default=editor, help=f"who is importing (default: {editor})")
    importer.set_defaults(handler=_cmd_import, writes=True)
    pages = commands.add_parser(
        "import-scorecards", help="publish the bills and marks of an endqi.org state page (text)"
    )
    pages.add_argument("file", help="a state page saved as text, like the seed page")
    pages.add_argument("--state", help="state code or name (default: read from the page)")
    pages.add_argument("--dry-run", action="store_true", help="check and report, publish nothing")
    pages.add_argument("--editor", default=editor, help=f"who is importing (default: {editor})")
    pages.set_defaults(handler=_cmd_import_scorecards, writes=True)
    brief = commands.add_parser("brief", help="a one-page state brief to print or send")
    brief.add_argument("state", help="state code or name, e.g. MA")
    brief.add_argument("--out", required=True, help="FILE.pdf or FILE.png")
    brief.set_defaults(handler=_cmd_brief)
    hasher = commands.add_parser("hash-password", help="make an editor's password hash")
    hasher.add_argument("--stdin", action="store_true", help="read the password from stdin")
    hasher.set_defaults(handler=_cmd_hash_password)
    prepare = commands.add_parser(
        "prepare",
        help="before starting the app's processes (after a deploy): validate the data once "
        "and write what they load",
    )
    prepare.set_defaults(handler=_cmd_prepare)
    history = commands.add_parser("history", help="list import batches, newest first")
    history.set_defaults(handler=_cmd_history)
    undo = commands.add_parser("undo", help="put back what an import batch changed")
    undo.add_argument("batch_ids", type=int, nargs="+", metavar="BATCH_ID", help="one or more")
    undo.add_argument("--editor", default=editor, help=f"who is undoing (default: {editor})")
    undo.set_defaults(handler=_cmd_undo, writes=True)
    export = commands.add_parser("export", help="write stored rows as CSV or GeoJSON")
    export.add_argument("--table", choices=sorted(SPECS), default="cases")
    export.add_argument("--format", choices=["csv", "geojson"], default="csv")
    export.add_argument(
        "--state", action="append", help="only this state, a code or name (repeatable)"
    )
    export.add_argument("--output", help="file to write (default: standard output)")
    export.set_defaults(handler=_cmd_export)
    _officials_parser(commands, editor)
    demo = commands.add_parser(
        "demo-data", help="write synthetic cases (never real) as a cases.csv, for benchmarks"
    )
    demo.add_argument("--cases", type=int, default=10_000, help="how many (default: 10000)")
    demo.add_argument("--seed", type=int, default=0, help="the same seed gives the same cases")
    demo.add_argument("--out", required=True, help="CSV file to write, or - for standard output")
    demo.set_defaults(handler=_cmd_demo_data)
    return parser


def _officials_parser(commands: Any, editor: str) -> None:
    officials = commands.add_parser(
        "officials",
        help="members of Congress and state legislators from public data (docs/officials.md)",
    )
    actions = officials.add_subparsers(dest="action", required=True)
    for name, text in (
        ("update", "download the three public sources and import them as one batch"),
        ("import", "import the three sources from a folder (the shared folder's layout)"),
    ):
        action = actions.add_parser(name, help=text, description=text)
        if name == "import":
            action.add_argument("folder", metavar="DIR", help="the folder holding the sources")
            action.set_defaults(handler=_cmd_officials_import, writes=True)
        else:
            action.add_argument("--into", help="keep the downloaded files in this folder")
            action.set_defaults(handler=_cmd_officials_update, writes=True)
        action.add_argument(
            "--accept-shrink",
            action="store_true",
            help="import even when a table shrinks below half of what is stored",
        )
        action.add_argument("--editor", default=editor, help=f"who is importing ({editor})")
        action.add_argument(
            "--manifest",
            metavar="FILE",
            help="each source's commit, date and address as JSON (docs/officials.md); "
            "default: the folder's qimap-sources.json",
        )
    lookup = actions.add_parser("lookup", help="who represents a ZIP code (offline)")
    lookup.add_argument("zip", metavar="ZIP", help="a five-digit ZIP code, e.g. 02108")
    lookup.add_argument("--state", help="the state, for a ZIP code that crosses a state line")
    lookup.add_argument("--legislators", action="store_true", help="list every state legislator")
    lookup.add_argument("--json", action="store_true", help="machine-readable output")
    lookup.set_defaults(handler=_cmd_officials_lookup)


def main(
    argv: Sequence[str] | None = None, out: TextIO = sys.stdout, err: TextIO = sys.stderr
) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = args.handler(args, out, err)
        if getattr(args, "writes", False) and not getattr(args, "dry_run", False):
            _prepare_for_visitors()
        return code
    except BrokenPipeError:  # `qimap export | head` closed the pipe: nothing more to say
        return EXIT_PROBLEMS
    except OSError as error:
        err.write(f"qimap: {os_message(error)}\n")
        return EXIT_PROBLEMS
    except (DataError, StoreError, SettingsError) as error:  # a plain message
        err.write(f"qimap: {error}\n")
        return EXIT_PROBLEMS


def _prepare_for_visitors() -> int | None:
    """After a command that may have published or undone a batch: validate the new version
    once, here, and write its map files, and leave both for the app's processes
    (qimap.ingest.snapshot_cache, qimap.map.casefile.map_files_once), so the first visitor
    after an import waits for neither. The version prepared (None: nothing to prepare)."""
    from qimap.ingest.dataset import load_states
    from qimap.ingest.snapshot_cache import load_dataset, prepare, version_file
    from qimap.map.casefile import map_files_once
    from qimap.map.mapview import display_geojson

    settings = load_settings()
    store = Store.open_filled(settings.database_url, settings.busy_timeout)
    if store is None or settings.snapshot_dir is None:
        return None
    try:
        version = store.version()
        states = load_states(settings.geo_dir)
        prepare(store, states, settings.snapshot_dir)
        note = version_file(store, settings.snapshot_dir, "map")
        if note is not None and not note.is_file():
            data = load_dataset(store, states, settings.snapshot_dir)
            geojson = display_geojson(data.states.geojson)
            map_files_once(data.cases, geojson, settings.generated_dir, store.last_undo(), note)
    finally:
        store.engine.dispose()
    return version


def os_message(error: OSError) -> str:
    """ "/x.csv: no such file or directory" rather than Python's "[Errno 2] No such ..."."""
    reason = (error.strerror or str(error)).lower()
    return f"{error.filename}: {reason}" if error.filename else reason


if __name__ == "__main__":
    sys.exit(main())
