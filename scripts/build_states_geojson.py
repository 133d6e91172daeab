"""Rebuild ``geo/us_states.geojson``: state, DC and territory outlines for the map.

Provenance
----------
The geometry comes from the npm package ``us-atlas`` at the pinned version 3.0.1
(https://github.com/topojson/us-atlas, ISC licence), file ``states-10m.json``. That file is
TopoJSON in lon/lat (object ``states``; feature ``id`` = 2-digit state FIPS code,
``properties.name``), quantized and simplified by Mike Bostock from the US Census Bureau's
2017 cartographic boundary files (public domain).

What the script does
--------------------
1. ``npm pack us-atlas@3.0.1`` into a temporary directory (no global install), checks the
   tarball against the pinned npm integrity hash and extracts ``states-10m.json``.
2. Reads layer ``states`` with geopandas through GDAL's TopoJSON driver and sets EPSG:4326.
3. Repairs invalid geometries (Oregon self-intersects in the source) with
   ``shapely.make_valid(method="structure")``, snaps coordinates to a 1e-4 degree grid
   (4 decimals, ~11 m) with ``shapely.set_precision``, repairs again if snapping broke
   anything, keeps only polygonal parts and orients rings per RFC 7946 (exterior CCW).
4. Adds ``fips``, ``usps`` and ``name`` from the ``us`` package, failing on any code it
   cannot map or if any of the 50 states or DC is missing.
5. Writes compact, RFC 7946 GeoJSON (no ``crs`` member), sorted by ``usps``; the output is
   byte-for-byte deterministic.

Alaska's Aleutian islands west of the 180° meridian come out as separate polygons with
positive longitudes (about +172..+180); nothing is shifted or re-split here.

Usage: ``python scripts/build_states_geojson.py`` (needs ``npm`` on PATH).
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
import us
from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from qimap.model.usstates import Accept, State, resolve_state

PACKAGE = "us-atlas"
VERSION = "3.0.1"
# `npm view us-atlas@3.0.1 dist.integrity`
INTEGRITY = (
    "sha512-"
    "wEIZCq0ImPvGblTd8gZMqNNCPkQshugMUG/8nkSWXb02+XqNFREg9atHOKP9w6prLZTpqcLhSvdBW81MkV3/0Q=="
)
MEMBER = "package/states-10m.json"
LAYER = "states"
GRID_SIZE = 1e-4
DECIMALS = 4

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "geo" / "us_states.geojson"


def npm_pack(spec: str, dest: Path) -> Path:
    """Download the npm tarball for ``spec`` into ``dest`` and return its path."""
    result = subprocess.run(
        ["npm", "pack", spec, "--json", "--pack-destination", str(dest)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"npm pack {spec} failed:\n{result.stderr}")
    (info,) = json.loads(result.stdout)
    return dest / info["filename"]


def check_integrity(tarball: Path, expected: str) -> None:
    """Fail unless the tarball's sha512 matches npm's ``dist.integrity`` string."""
    digest = hashlib.sha512(tarball.read_bytes()).digest()
    actual = "sha512-" + base64.b64encode(digest).decode("ascii")
    if actual != expected:
        raise RuntimeError(f"{tarball.name}: integrity {actual} != pinned {expected}")


def extract_member(tarball: Path, member: str, dest: Path) -> Path:
    """Copy one regular file out of the tarball (no ``extractall``) and return its path."""
    with tarfile.open(tarball, "r:gz") as tar:
        source = tar.extractfile(member)
        if source is None:
            raise RuntimeError(f"{member} is not a regular file in {tarball.name}")
        target = dest / Path(member).name
        target.write_bytes(source.read())
    return target


def read_states(topojson: Path) -> gpd.GeoDataFrame:
    """Read the ``states`` object through GDAL's TopoJSON driver, in EPSG:4326."""
    frame = gpd.read_file(topojson, layer=LAYER, engine="pyogrio")
    if frame.empty or "id" not in frame.columns:
        raise RuntimeError(f"{topojson.name}: layer {LAYER!r} is empty or has no 'id' field")
    return frame.set_crs("EPSG:4326", allow_override=True)


def polygonal_part(geom: BaseGeometry) -> Polygon | MultiPolygon:
    """Keep only the polygons of ``geom`` (make_valid can add lines or points)."""
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    polygons: list[Polygon] = []
    for part in getattr(geom, "geoms", []):
        if isinstance(part, Polygon):
            polygons.append(part)
        elif isinstance(part, MultiPolygon):
            polygons.extend(part.geoms)
    if not polygons:
        raise RuntimeError(f"no polygonal part left in {geom.geom_type}")
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def orient_rfc7946(geom: Polygon | MultiPolygon) -> Polygon | MultiPolygon:
    """Exterior rings counter-clockwise, holes clockwise (RFC 7946 section 3.1.6)."""
    if isinstance(geom, Polygon):
        return orient(geom, sign=1.0)
    return MultiPolygon([orient(part, sign=1.0) for part in geom.geoms])


def clean_geometries(geoms: Iterable[BaseGeometry]) -> list[Polygon | MultiPolygon]:
    """Repair, snap to the 4-decimal grid, repair again if needed, keep polygons."""
    fixed = shapely.make_valid(np.asarray(list(geoms), dtype=object), method="structure")
    snapped = shapely.set_precision(fixed, GRID_SIZE)
    invalid = ~shapely.is_valid(snapped)
    if invalid.any():
        snapped[invalid] = shapely.make_valid(snapped[invalid], method="structure")
    cleaned = [orient_rfc7946(polygonal_part(geom)) for geom in snapped]
    bad = [i for i, geom in enumerate(cleaned) if geom.is_empty or not geom.is_valid]
    if bad:
        raise RuntimeError(f"geometries still empty/invalid after cleaning at rows {bad}")
    return cleaned


def state_for_fips(fips: str) -> State:
    """Map a 2-digit FIPS code to a state, DC or territory (qimap's one state rule) or fail."""
    if len(fips) != 2 or not fips.isdigit():
        raise RuntimeError(f"feature id {fips!r} is not a 2-digit FIPS code")
    state = resolve_state(fips, allow=Accept.FIPS)  # the atlas's feature ids are FIPS codes
    if state is None:
        raise RuntimeError(f"FIPS {fips!r} does not map to a US state, DC or territory")
    return state


def attach_attributes(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a frame with exactly ``fips``, ``usps``, ``name`` and ``geometry``."""
    states = [state_for_fips(str(fips)) for fips in frame["id"]]
    out = gpd.GeoDataFrame(
        {
            "fips": [s.fips for s in states],
            "usps": [s.usps for s in states],
            "name": [s.name for s in states],
        },
        geometry=clean_geometries(frame.geometry),
        crs="EPSG:4326",
    )
    if out["usps"].duplicated().any():
        raise RuntimeError(f"duplicate codes: {sorted(out.loc[out['usps'].duplicated(), 'usps'])}")
    required = {s.abbr for s in [*us.states.STATES, us.states.DC]}
    missing = required - set(out["usps"])
    if missing:
        raise RuntimeError(f"states missing from {MEMBER}: {sorted(missing)}")
    return out.sort_values("usps", kind="stable").reset_index(drop=True)


def rounded(coords: Any) -> Any:
    """Round nested coordinate tuples to ``DECIMALS`` as lists (shortest float repr)."""
    if isinstance(coords, float | int):
        return round(float(coords), DECIMALS)
    return [rounded(c) for c in coords]


def to_geojson(frame: gpd.GeoDataFrame) -> str:
    """Serialise as a compact RFC 7946 FeatureCollection (no ``crs`` member)."""
    features = []
    for row in frame.itertuples(index=False):
        geometry = mapping(row.geometry)
        features.append(
            {
                "type": "Feature",
                "properties": {"fips": row.fips, "usps": row.usps, "name": row.name},
                "geometry": {
                    "type": geometry["type"],
                    "coordinates": rounded(geometry["coordinates"]),
                },
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, separators=(",", ":"), allow_nan=False) + "\n"


def count_invalid(text: str) -> int:
    """Re-parse serialised GeoJSON and count geometries that are not valid."""
    features = json.loads(text)["features"]
    geoms = [shapely.geometry.shape(f["geometry"]) for f in features]
    return int((~shapely.is_valid(np.asarray(geoms, dtype=object))).sum())


def describe_alaska(frame: gpd.GeoDataFrame) -> str:
    """Summarise how Alaska's geometry sits relative to the 180° meridian."""
    alaska = frame.loc[frame["usps"] == "AK", "geometry"].iloc[0]
    parts = list(getattr(alaska, "geoms", [alaska]))
    east = [p for p in parts if p.bounds[0] > 0]
    minx, _, maxx, _ = alaska.bounds
    layout = "longitudes beyond ±180" if maxx > 180 or minx < -180 else "split at ±180"
    return (
        f"Alaska: {alaska.geom_type} with {len(parts)} parts, lon {minx:.4f}..{maxx:.4f} "
        f"({layout}); {len(east)} parts west of 180° have positive longitudes"
    )


def build(output: Path = OUTPUT) -> None:
    """Fetch the pinned package, rebuild the GeoJSON, write it and print a summary."""
    with tempfile.TemporaryDirectory(prefix="us-atlas-") as tmp:
        tmpdir = Path(tmp)
        tarball = npm_pack(f"{PACKAGE}@{VERSION}", tmpdir)
        check_integrity(tarball, INTEGRITY)
        frame = attach_attributes(read_states(extract_member(tarball, MEMBER, tmpdir)))
    text = to_geojson(frame)
    invalid = count_invalid(text)
    if invalid:
        raise RuntimeError(f"{invalid} invalid geometries after rounding; not writing {output}")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    size = output.stat().st_size
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    print(f"wrote {output.relative_to(ROOT)}: {len(frame)} features, {size:,} bytes")
    print(f"sha256 {sha}; invalid geometries: {invalid}")
    print("usps:", " ".join(frame["usps"]))
    print(describe_alaska(frame))


def main() -> int:
    try:
        build()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
