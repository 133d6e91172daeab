"""Cold start: from `streamlit run app.py` on the bundled data to the first page ready.

    .venv/bin/python benchmarks/bench_coldstart.py [--repeat 3]

Each repetition starts a new server on a new, empty SQLite store (so the first visit also seeds
it from data/), opens the explorer in headless Chromium as soon as the server answers its health
check, and stops the clock when the map has drawn the cases (``window.qimap.status``). It prints
the time to the health check, to the first page ready, and a second visit's time for contrast.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import median, print_machine, print_table
from bench_scale import CHROMIUM, CHROMIUM_ARGS, READY, app_server, map_frame

from qimap.settings import REPO_ROOT


def visit(browser, url: str) -> float:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    start = time.perf_counter()
    page.goto(url)
    map_frame(page).wait_for_function(READY, timeout=120_000)
    seconds = time.perf_counter() - start
    page.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print_machine("qimap cold start (bundled data)", ["streamlit", "streamlit-folium"])
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory(prefix="qimap-cold-") as tmp:
                started = time.perf_counter()
                with app_server(REPO_ROOT / "data", Path(tmp) / "store.sqlite3") as (url, _):
                    healthy = time.perf_counter() - started
                    first = visit(browser, url)
                    second = visit(browser, url)
            rows.append((healthy, first, healthy + first, second))
        browser.close()
    table = [[f"{v:.2f} s" for v in row] for row in rows]
    medians = [median([row[i] for row in rows]) for i in range(4)]
    table.append([f"{v:.2f} s" for v in medians])
    print_table(
        "Cold start (last row: medians)",
        ["server up", "first page ready", "start to ready", "second visit"],
        table,
    )


if __name__ == "__main__":
    main()
