"""Map payload benchmarks: what one Streamlit rerun sends to st_folium, and how long it takes.

Run from the repository root (Streamlit need not be running)::

    python benchmarks/bench_map.py [--sizes 34,1000,10000] [--repeat 5]

Cases are SYNTHETIC (benchmarks/synthetic.py). The base map is built as the app builds it
(qimap.ui.loaders._map_layers + qimap.ui.map_panel.show_map, without Streamlit's caches): the
bundled dataset's states, standings and styles, ``build_base_map`` with ``local_assets``.

Timings replicate st_folium 0.27's own steps, calling streamlit_folium's private helpers in
the order ``st_folium`` calls them:

1. base map: ``build_base_map``, ``get_root().render()``, ``render()``, ``_get_html``,
   ``_get_header``, ``_get_map_string`` and ``generate_js_hash`` of that string (the
   ``script`` argument).
2. payload: ``build_case_group(cases)`` then ``_get_feature_group_string(group, map=base)`` on
   a freshly built base map that went through step 1 untimed: the ``feature_group`` argument.
3. naive: as 2, but the group holds a ``folium.plugins.MarkerCluster`` with one
   ``folium.Marker`` + ``folium.Popup`` (title and summary, HTML-escaped) + tooltip per case.
   Each naive repetition runs in a forked child that is stopped after 60 s ("skipped").

Only figures are printed: medians and 95th percentiles over ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import html
import json
import multiprocessing as mp
import shutil
import sys
import tempfile
import textwrap
import time
import timeit
import tracemalloc
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import folium
import folium.plugins
import jinja2

from qimap.cases import CaseFilter, filter_cases, nearest_cases
from qimap.dataset import Dataset, load_dataset
from qimap.mapview import (
    build_base_map,
    build_case_group,
    case_payload,
    display_geojson,
    local_assets,
    state_styles,
)
from qimap.safe import safe_url, script_json
from qimap.schema import Case, Outcome
from qimap.settings import Settings, load_settings
from qimap.standing import state_standings

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import median, p95, print_machine, print_table, quiet_streamlit_warnings
from synthetic import synthetic_cases, write_cases_csv

quiet_streamlit_warnings()
import streamlit_folium  # noqa: E402

NAIVE_TIMEOUT_S = 60.0
BOSTON = (42.3601, -71.0589)
OUTCOME_FILTER = CaseFilter(outcomes=frozenset({Outcome.GRANTED}))


class BaseMapFactory:
    """Builds the base map exactly as map_panel.show_map does, from loaders._map_layers' parts."""

    def __init__(self, data: Dataset, settings: Settings) -> None:
        standings = state_standings(data.state_names, data.scorecards_by_state)
        counts = Counter(case.state for case in data.cases)
        self.geojson = display_geojson(data.states.geojson)
        self.styles = state_styles(standings, counts)
        self.assets = local_assets(settings.static_url)
        self.tiles = settings.tiles

    def rendered(self) -> tuple[folium.Map, str]:
        """st_folium's steps before the feature group: the map and its ``script`` string."""
        fmap = build_base_map(self.geojson, self.styles, self.assets, self.tiles)
        fmap.get_root().render()
        fmap.render()
        streamlit_folium._get_html(fmap)
        streamlit_folium._get_header(fmap)
        script = streamlit_folium._get_map_string(fmap)
        streamlit_folium.generate_js_hash(script, "qimap_map", False)
        return fmap, script


# --- what is timed ---------------------------------------------------------------------------


def payload_string(cases: Sequence[Case], fmap: folium.Map) -> str:
    group = build_case_group(cases)
    return streamlit_folium._get_feature_group_string(group, map=fmap)


def naive_string(cases: Sequence[Case], fmap: folium.Map) -> str:
    group = folium.FeatureGroup(name="Case studies", control=False)
    cluster = folium.plugins.MarkerCluster().add_to(group)
    for case in cases:
        folium.Marker(
            [case.latitude, case.longitude],
            popup=folium.Popup(
                f"<b>{html.escape(case.title)}</b><br>{html.escape(case.summary)}",
                max_width=320,
            ),
            tooltip=html.escape(case.title),
        ).add_to(cluster)
    return streamlit_folium._get_feature_group_string(group, map=fmap)


def time_once(func: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def time_small(func: Callable[[], Any], repeat: int) -> list[float]:
    """Per-call seconds of a fast function: timeit's autorange picks the loop count."""
    timer = timeit.Timer(func)
    number, _ = timer.autorange()
    return [total / number for total in timer.repeat(repeat=repeat, number=number)]


def time_payload(
    cases: Sequence[Case], factory: BaseMapFactory, repeat: int
) -> tuple[list[float], int]:
    times, size = [], 0
    for _ in range(repeat):
        fmap, _ = factory.rendered()
        seconds, script = time_once(lambda fmap=fmap: payload_string(cases, fmap))
        times.append(seconds)
        size = len(script.encode())
    return times, size


def _naive_child(cases: Sequence[Case], factory: BaseMapFactory, queue: mp.Queue) -> None:
    fmap, _ = factory.rendered()
    seconds, script = time_once(lambda: naive_string(cases, fmap))
    queue.put((seconds, len(script.encode())))


def time_naive(
    cases: Sequence[Case], factory: BaseMapFactory, repeat: int
) -> tuple[list[float], int] | None:
    """Naive timings, or None when one repetition runs past NAIVE_TIMEOUT_S."""
    context = mp.get_context("fork")
    times, size = [], 0
    for _ in range(repeat):
        queue = context.Queue()
        child = context.Process(target=_naive_child, args=(cases, factory, queue))
        child.start()
        child.join(NAIVE_TIMEOUT_S)
        if child.is_alive():
            child.terminate()
            child.join()
            return None
        seconds, size = queue.get()
        times.append(seconds)
    return times, size


def peak_memory(cases: Sequence[Case], factory: BaseMapFactory) -> int:
    """Peak bytes traced by tracemalloc while building the case group and its string."""
    fmap, _ = factory.rendered()
    tracemalloc.start()
    try:
        payload_string(cases, fmap)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def time_load(cases: Sequence[Case], settings: Settings, repeat: int) -> list[float]:
    """load_dataset on a copy of the bundled data whose cases.csv holds ``cases``."""
    with tempfile.TemporaryDirectory(prefix="qimap-bench-") as tmp:
        data_dir = Path(tmp)
        for name in ("rubric.csv", "bills.csv", "scores.csv"):
            shutil.copy(settings.data_dir / name, data_dir / name)
        write_cases_csv(cases, data_dir / "cases.csv")
        return [
            time_once(lambda: load_dataset(data_dir, settings.geo_dir))[0] for _ in range(repeat)
        ]


def breakdown(cases: Sequence[Case], factory: BaseMapFactory, repeat: int) -> list[list[str]]:
    """Where the payload time goes: qimap's steps, then st_folium's, timed one at a time."""
    payload = case_payload(cases)
    fmap, _ = factory.rendered()
    script = payload_string(cases, fmap)

    def st_folium_only() -> float:
        fmap, _ = factory.rendered()
        group = build_case_group(cases)
        return time_once(lambda: streamlit_folium._get_feature_group_string(group, map=fmap))[0]

    steps: list[tuple[str, Callable[[], list[float]]]] = [
        ("qimap build_case_group", lambda: [time_once(lambda: build_case_group(cases))[0]]),
        ("  qimap case_payload", lambda: [time_once(lambda: case_payload(cases))[0]]),
        (
            "    of which safe_url on every case",
            lambda: [time_once(lambda: [safe_url(c.source_url) for c in cases])[0]],
        ),
        ("  qimap script_json(payload)", lambda: [time_once(lambda: script_json(payload))[0]]),
        (
            "    of which json.dumps alone",
            lambda: [
                time_once(lambda: json.dumps(payload, ensure_ascii=False, separators=(",", ":")))[0]
            ],
        ),
        ("st_folium _get_feature_group_string", lambda: [st_folium_only()]),
        (
            "  ~ jinja2.Template(script) (branca compiles the rendered script)",
            lambda: [time_once(lambda: jinja2.Template(script))[0]],
        ),
        ("  ~ textwrap.dedent(script)", lambda: [time_once(lambda: textwrap.dedent(script))[0]]),
    ]
    rows = []
    for name, run in steps:
        times = [seconds for _ in range(repeat) for seconds in run()]
        rows.append([name, ms(median(times)), ms(p95(times))])
    return rows


# --- main ------------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    value = seconds * 1000
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 1:
        return f"{value:.1f}"
    return f"{value:.3f}"


def measure_size(
    n: int, factory: BaseMapFactory, settings: Settings, base_bytes: int, repeat: int
) -> tuple[list[str], list[str], list[str]]:
    """One row of each table for ``n`` synthetic cases."""
    cases = synthetic_cases(n)
    times, size = time_payload(cases, factory, repeat)
    peak = peak_memory(cases, factory)
    payload_row = [
        f"{n:,}",
        ms(median(times)),
        ms(p95(times)),
        f"{size:,}",
        f"{size / n:,.0f}",
        f"{base_bytes:,}",
        f"{peak / 1024:,.0f}",
    ]
    filtering = time_small(lambda: filter_cases(cases, OUTCOME_FILTER), repeat)
    nearest = time_small(lambda: nearest_cases(cases, *BOSTON), repeat)
    loading = time_load(cases, settings, repeat)
    function_row = [f"{n:,}"] + [
        ms(stat(values)) for values in (filtering, nearest, loading) for stat in (median, p95)
    ]
    naive = time_naive(cases, factory, repeat)
    if naive is None:
        naive_row = [f"{n:,}", "skipped", "skipped", "-", "-", "-"]
    else:
        naive_times, naive_bytes = naive
        naive_row = [
            f"{n:,}",
            ms(median(naive_times)),
            ms(p95(naive_times)),
            f"{naive_bytes:,}",
            f"{median(naive_times) / median(times):.1f}x",
            f"{naive_bytes / size:.1f}x",
        ]
    return payload_row, function_row, naive_row


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="34,1000,10000", help="comma-separated case counts")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions per figure")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    repeat = max(1, args.repeat)

    print_machine(
        "qimap map benchmarks (synthetic cases)",
        ("streamlit", "streamlit-folium", "folium", "branca", "jinja2"),
    )
    print(f"repeat: {repeat}  sizes: {', '.join(f'{n:,}' for n in sizes)}")

    settings = load_settings()
    loads = [
        time_once(lambda: load_dataset(settings.data_dir, settings.geo_dir))[0]
        for _ in range(repeat)
    ]
    data = load_dataset(settings.data_dir, settings.geo_dir)
    factory = BaseMapFactory(data, settings)
    base_times = [time_once(factory.rendered)[0] for _ in range(repeat)]
    base_bytes = len(factory.rendered()[1].encode())
    print(
        f"\n(g) load_dataset, bundled data ({len(data.cases)} cases): "
        f"median {ms(median(loads))} ms, p95 {ms(p95(loads))} ms"
    )
    print(
        "base map (build_base_map + st_folium's render, _get_map_string, hash): "
        f"median {ms(median(base_times))} ms, p95 {ms(p95(base_times))} ms, "
        f"script {base_bytes:,} bytes"
    )

    rows: tuple[list[list[str]], list[list[str]], list[list[str]]] = ([], [], [])
    for n in sizes:
        for table_rows, row in zip(
            rows, measure_size(n, factory, settings, base_bytes, repeat), strict=True
        ):
            table_rows.append(row)
        print(f"  done: {n:,} cases", file=sys.stderr, flush=True)

    print_table(
        "(a, b, e) payload: build_case_group + st_folium's _get_feature_group_string",
        [
            "cases",
            "median ms",
            "p95 ms",
            "feature_group bytes",
            "bytes/case",
            "script bytes",
            "peak KiB",
        ],
        rows[0],
    )
    print_table(
        "(c, d) per call, outcome filter / 5 nearest to Boston; "
        "load_dataset with these cases in cases.csv",
        ["cases", "filter_cases ms", "p95", "nearest_cases ms", "p95", "load_dataset ms", "p95"],
        rows[1],
    )
    print_table(
        "(f) naive: Marker + Popup + tooltip per case in a MarkerCluster, same st_folium path "
        f"(a run past {NAIVE_TIMEOUT_S:.0f} s is skipped)",
        ["cases", "median ms", "p95 ms", "feature_group bytes", "time vs payload", "bytes vs"],
        rows[2],
    )
    largest = max(sizes)
    print_table(
        f"(a) breakdown for {largest:,} cases, each step timed on its own "
        "(~: the same work done outside st_folium, for scale)",
        ["step", "median ms", "p95 ms"],
        breakdown(synthetic_cases(largest), factory, repeat),
        label_column=True,
    )


if __name__ == "__main__":
    main()
