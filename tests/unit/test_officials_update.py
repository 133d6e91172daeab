"""`qimap officials update` against a local HTTP server serving the SYNTHETIC fixture files
(good, cut off, stopping short of its Content-Length, missing), and the optional live look-up
against a local stand-in for the Open States API answering in its documented format."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from qimap.geo.districts import lookup
from qimap.ingest.officials.live import lookup_point, parse_people
from qimap.ingest.officials.snapshot import load_officials, read_snapshot
from qimap.ingest.officials.update import Addresses, download
from qimap.issues import DataError
from qimap.model.officials import Office, OfficialsData, Source
from qimap.store import Store
from tests.unit.officials_support import COMMIT, FIXTURE, pack_people, sources_folder
from tests.unit.test_cli import run

LAST_MODIFIED = "Mon, 15 Jun 2026 10:00:00 GMT"


@dataclass
class Site:
    """What the local server serves: path -> bytes; ``short`` paths announce more bytes than
    they send; ``seen`` records each request's path and headers."""

    files: dict[str, bytes] = field(default_factory=dict)
    short: set[str] = field(default_factory=set)
    seen: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            state.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            body = state.files.get(path)
            if body is None:
                self.send_error(404, "Not Found")
                return
            self.send_response(200)
            announced = len(body) * 2 if path in state.short else len(body)
            self.send_header("Content-Length", str(announced))
            self.send_header("Last-Modified", LAST_MODIFIED)
            self.end_headers()
            self.wfile.write(body)
            if path in state.short:
                self.close_connection = True

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def serve_fixture(site: Site, tmp_path: Path) -> Addresses:
    tarball = pack_people(FIXTURE / "people", tmp_path / "main.tar.gz").read_bytes()
    site.files["/openstates/main.tar.gz"] = tarball
    for path in (FIXTURE / "congress-legislators").iterdir():
        site.files[f"/congress/{path.name}"] = path.read_bytes()
    site.files["/zccd/zccd.csv"] = (FIXTURE / "us-zipcodes-congress" / "zccd.csv").read_bytes()
    return Addresses(
        f"{site.url}/openstates/main.tar.gz", f"{site.url}/congress", f"{site.url}/zccd/zccd.csv"
    )


def test_download_then_import_records_each_sources_version(site: Site, tmp_path: Path) -> None:
    addresses = serve_fixture(site, tmp_path)
    folder = tmp_path / "download"
    download(addresses, folder, today=date(2026, 8, 7))
    snapshot = read_snapshot(folder, today=date(2026, 8, 7))
    versions = {v.source: v for v in snapshot.versions}
    assert versions[Source.OPENSTATES].version == COMMIT  # from the tarball itself
    assert versions[Source.OPENSTATES].origin == addresses.openstates
    assert (versions[Source.CONGRESS].dated, versions[Source.CONGRESS].dated_by) == (
        "2026-06-15",
        "server",
    )
    assert versions[Source.ZCCD].fetched_on == "2026-08-07"
    assert len(snapshot.read.officials) == 17
    assert all(headers.get("user-agent") for _, headers in site.seen)


def cli_update(
    site: Site, monkeypatch: pytest.MonkeyPatch, addresses: Addresses
) -> tuple[int, str, str]:
    monkeypatch.setenv("QIMAP_OFFICIALS_OPENSTATES_URL", addresses.openstates)
    monkeypatch.setenv("QIMAP_OFFICIALS_CONGRESS_URL", addresses.congress)
    monkeypatch.setenv("QIMAP_OFFICIALS_ZCCD_URL", addresses.zccd)
    return run("officials", "update", "--editor", "ann")


def officials_now() -> tuple[int, int]:
    """How many officials the test's store holds, and its version (moved by any write)."""
    store = Store.open_filled(os.environ["QIMAP_DATABASE_URL"])
    if store is None:
        return (0, 0)
    return len(load_officials(store).officials), store.version()


def test_update_command_imports_one_batch(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = cli_update(site, monkeypatch, serve_fixture(site, tmp_path))
    assert code == 0, err
    assert "Published batch 2" in out  # batch 1 is the seed
    assert "commit 0123456789ab" in out
    assert officials_now()[0] == 17


@pytest.mark.parametrize("broken", ["cut", "short", "missing"])
def test_a_cut_off_or_failed_download_changes_nothing(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: str
) -> None:
    addresses = serve_fixture(site, tmp_path)
    assert cli_update(site, monkeypatch, addresses)[0] == 0
    before = officials_now()
    tarball = site.files["/openstates/main.tar.gz"]
    yaml = site.files["/congress/legislators-current.yaml"]
    if broken == "cut":  # a truncated file, served whole: its archive does not read
        site.files["/openstates/main.tar.gz"] = tarball[: len(tarball) // 2]
    elif broken == "short":  # the server stops short of the length it announced
        site.short.add("/congress/legislators-current.yaml")
        site.files["/congress/legislators-current.yaml"] = yaml.replace(b"S000011", b"S000012")
    else:
        del site.files["/zccd/zccd.csv"]
    code, out, err = cli_update(site, monkeypatch, addresses)
    assert code == 1
    assert "Published" not in out
    says = {
        "cut": "cut off or damaged",
        "short": "stopped short",
        "missing": "the server answered 404",
    }[broken]
    assert says in err
    assert officials_now() == before


def test_update_refuses_an_address_that_is_not_http(tmp_path: Path) -> None:
    addresses = Addresses("file:///etc/passwd", "https://x.example/", "https://x.example/z.csv")
    with pytest.raises(DataError) as error:
        download(addresses, tmp_path, opener=lambda *a, **k: pytest.fail("no request"))
    assert "file:///etc/passwd: is not an http(s) address" in str(error.value)


# --- the optional live look-up, against a stand-in answering in Open States' format ---


ANSWER = {
    "results": [
        {
            "id": "ocd-person/00000000-0000-4000-8000-000000000001",
            "name": "Synthetic State Senator One",
            "party": "Democratic",
            "current_role": {"title": "Senator", "org_classification": "upper", "district": "x"},
            "jurisdiction": {
                "id": "ocd-jurisdiction/country:us/state:ma/government",
                "name": "Massachusetts",
                "classification": "state",
            },
        },
        {
            "id": "ocd-person/00000000-0000-4000-8000-00000000abcd",
            "name": "Synthetic Live Representative",
            "party": "Democratic",
            "email": "live@synthetic.example",
            "current_role": {
                "title": "Representative",
                "org_classification": "lower",
                "district": "12th Synthfield",
            },
            "jurisdiction": {
                "id": "ocd-jurisdiction/country:us/state:ma/government",
                "classification": "state",
            },
            "offices": [{"classification": "capitol", "voice": "555-010-7777"}],
            "links": [{"url": "javascript:alert(1)"}, {"url": "https://synthetic.example/live"}],
        },
        {
            "id": "ocd-person/00000000-0000-4000-8000-00000000beef",
            "name": "Synthetic Senator One",
            "current_role": {"org_classification": "upper", "district": "MA"},
            "jurisdiction": {
                "id": "ocd-jurisdiction/country:us/government",
                "classification": "country",
            },
        },
    ],
    "pagination": {"per_page": 10, "page": 1, "max_page": 1, "total_items": 3},
}


def test_live_lookup_by_point(site: Site, tmp_path: Path) -> None:
    site.files["/people.geo"] = json.dumps(ANSWER).encode()
    stored = read_snapshot(_fixture_folder(tmp_path)).read.officials
    known = {o.official_id: o for o in stored}
    found = lookup_point(42.36, -71.06, api_key="synthetic-key", api_url=site.url, known=known)
    assert found.message is None
    one, live = found.officials
    assert one is known[one.official_id]  # as stored
    assert (live.name, live.office, live.district) == (
        "Synthetic Live Representative",
        Office.LOWER,
        "12th Synthfield",
    )
    assert (live.phone, live.email, live.url) == (
        "555-010-7777",
        "live@synthetic.example",
        "https://synthetic.example/live",
    )
    path, headers = site.seen[-1]
    assert path.startswith("/people.geo?lat=42.360000&lng=-71.060000")
    assert headers["x-api-key"] == "synthetic-key"


def _fixture_folder(tmp_path: Path) -> Path:
    return sources_folder(tmp_path)


@pytest.mark.parametrize("trouble", ["no key", "down", "not json", "error"])
def test_live_lookup_never_raises(site: Site, trouble: str) -> None:
    if trouble == "not json":
        site.files["/people.geo"] = b"<html>"
    url = "http://127.0.0.1:9" if trouble == "down" else site.url  # port 9: nothing listens
    found = lookup_point(1.0, 2.0, api_key="" if trouble == "no key" else "k", api_url=url)
    assert found.officials == ()
    assert found.message
    assert "pick your district from the list instead" in found.message


def test_live_answer_ignores_what_it_does_not_know() -> None:
    assert parse_people({"results": [None, {"id": 1}, {"jurisdiction": []}]}, {}) == ()
    assert parse_people([], {}) == ()


def test_lookup_works_offline_with_no_key(tmp_path: Path) -> None:
    """The live look-up is never needed: the district picker's data is there without it."""
    read = read_snapshot(_fixture_folder(tmp_path)).read
    data = OfficialsData(tuple(read.officials), (), (), tuple(read.zips), ())
    assert lookup("00101", data).legislators["MA"]
