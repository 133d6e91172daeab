"""Start the app as ``python -m qimap.ui.serve run app.py [streamlit options]``: the same server as
``streamlit run app.py``, with the map page's libraries imported before it answers its health
check.

Streamlit imports a page's modules during the first visitor's first run: most of a second here
(pyarrow, SQLAlchemy, shapely, qimap's page modules; benchmarks/coldstart_breakdown.py). A load balancer sends nobody to a process before its health check
answers, so importing them first moves that second from the first visitor to the start.
``python3 dev.py app`` and the deployment's commands (docs/deployment.md) start the app so.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

from qimap.map.script_bundle import write_bundle
from qimap.settings import STATIC_DIR, SettingsError, load_settings

# What the map page (views/explore.py, the default page) imports, heaviest first.
PRELOAD = (
    # Streamlit imports these on a page's first component (the map), whatever its arguments:
    # its serializer asks whether the data is a data frame
    "pandas",
    "pyarrow",
    "streamlit.components.v2",
    "qimap.ui.map_panel",
    "sqlalchemy",
    "qimap.ui.loaders",
    "qimap.ui.controls",
    "qimap.ui.sidebar",
    "qimap.ui.intro",
    "qimap.ui.case_list",
    "qimap.ui.legend",
    "qimap.ui.announce",
    "qimap.ui.chrome",
)


def preload(modules: Sequence[str] = PRELOAD) -> None:
    for name in modules:
        importlib.import_module(name)


def write_map_script() -> None:
    """The map's scripts as one file (qimap.map.script_bundle), written before the health check
    answers: a balancer may send the request for it to any process of the machine, even one
    that has not drawn a map yet."""
    try:
        settings = load_settings()
    except SettingsError:
        return  # the first page says what is wrong with the settings
    write_bundle(STATIC_DIR, settings.generated_dir)


def main(argv: Sequence[str] | None = None) -> int:
    """``argv`` as the ``streamlit`` command takes it (``run app.py --server.port 8501``)."""
    preload()
    write_map_script()
    from streamlit.web import cli

    sys.argv = ["streamlit", *(sys.argv[1:] if argv is None else argv)]
    result = cli.main()  # click: exits by itself unless standalone_mode is off
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
