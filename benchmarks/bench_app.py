"""Whole-page rerun benchmark: views/explore.py under streamlit.testing.v1.AppTest.

Run from the repository root (no server or browser needed)::

    python benchmarks/bench_app.py [--cases 10000] [--repeat 5]

A temporary data dir holds the bundled tables and a cases.csv of SYNTHETIC cases (benchmarks/synthetic.py, same header as data/cases.csv); QIMAP_DATA_DIR points
at it. Streamlit's caches are cleared first, so the first run loads and validates the data
(cold); the following runs are warm reruns of the same session. AppTest runs the map
component's Python side (qimap.ui.map_component: the map's data, qimap.map.mapview.map_data,
serialized into the component's message) but no browser draws anything, so these are
server-side figures only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_common import median, p95, print_machine, print_table, quiet_streamlit_warnings  # noqa: E402
from synthetic import synthetic_cases, write_cases_csv  # noqa: E402

from qimap.ui import map_component  # noqa: E402

quiet_streamlit_warnings()
import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

PAGE = "views/explore.py"
RUN_TIMEOUT_S = 600


def timed_run(app: AppTest) -> float:
    start = time.perf_counter()
    app.run(timeout=RUN_TIMEOUT_S)
    seconds = time.perf_counter() - start
    if app.exception:
        messages = "; ".join(e.message for e in app.exception)
        raise RuntimeError(f"{PAGE} raised: {messages}")
    return seconds


MAP_COMPONENT = map_component.NAME


def component_args_bytes(app: AppTest) -> int:
    """Size of the map component's data (its JSON) in the last run's message."""
    sizes = [
        len(element.proto.json.encode())
        for element in app.get("bidi_component")
        if element.proto.component_name == MAP_COMPONENT
    ]
    if not sizes:
        raise RuntimeError(f"{PAGE} drew no map ({MAP_COMPONENT})")
    return sum(sizes)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000, help="synthetic cases in cases.csv")
    parser.add_argument("--repeat", type=int, default=5, help="warm reruns to time")
    args = parser.parse_args(argv)
    repeat = max(1, args.repeat)

    print_machine(
        "qimap page benchmark (AppTest, synthetic cases)",
        ("streamlit",),
    )

    os.chdir(REPO)
    with tempfile.TemporaryDirectory(prefix="qimap-bench-app-") as tmp:
        data_dir = Path(tmp)
        for source in (REPO / "data").glob("*.csv"):  # every bundled table but the cases
            shutil.copy(source, data_dir / source.name)
        write_cases_csv(synthetic_cases(args.cases), data_dir / "cases.csv")
        os.environ["QIMAP_DATA_DIR"] = str(data_dir)
        # a fresh store, seeded from that directory on the first run (the first run's cost)
        os.environ["QIMAP_DATABASE_URL"] = f"sqlite:///{data_dir / 'store.sqlite3'}"
        print(
            f"cases: {args.cases:,} synthetic, cases.csv {os.path.getsize(data_dir / 'cases.csv'):,} bytes"
        )

        st.cache_resource.clear()
        st.cache_data.clear()
        app = AppTest.from_file(str(REPO / PAGE), default_timeout=RUN_TIMEOUT_S)
        first = timed_run(app)
        first_bytes = component_args_bytes(app)
        warm = [timed_run(app) for _ in range(repeat)]
        warm_bytes = component_args_bytes(app)

        app.multiselect(key="filter_outcomes").set_value(["granted"])
        changed = timed_run(app)
        filtered = [timed_run(app) for _ in range(repeat)]
        filtered_bytes = component_args_bytes(app)
        shown = next((m.value for m in app.markdown if m.value.startswith("**Showing")), "?")

    rows = [
        ("first run, cold caches", [first], first_bytes),
        (f"warm rerun, no change (x{repeat})", warm, warm_bytes),
        ("rerun setting outcome filter = granted", [changed], filtered_bytes),
        (f"warm rerun, filter = granted (x{repeat})", filtered, filtered_bytes),
    ]
    print(f"\nfiltered view: {shown.strip('*')}")
    print_table(
        "views/explore.py under AppTest (server side only)",
        ["run", "median s", "p95 s", "map data bytes"],
        [
            [
                name,
                f"{median(times):.3f}",
                f"{p95(times):.3f}" if len(times) > 1 else "-",
                f"{size:,}",
            ]
            for name, times, size in rows
        ],
        label_column=True,
    )


if __name__ == "__main__":
    main()
