"""Start the app as ``python -m qimap.ui.serve run app.py [streamlit options]``: the same server as
``streamlit run app.py``, with the map page's libraries imported before it answers its health
check.

Streamlit imports a page's modules during the first visitor's first run: about a second here
(pandas through folium, SQLAlchemy, shapely, qimap's page modules; benchmarks/
coldstart_breakdown.py). A load balancer sends nobody to a process before its health check
answers, so importing them first moves that second from the first visitor to the start.
``python3 dev.py app`` and the deployment's commands (docs/deployment.md) start the app so.

It also registers the map's component (st_folium) as soon as Streamlit's runtime exists.
Streamlit registers a component only when its module is imported during a page's run, so a
process that had not yet run the map page answered the component's files with 404: an embed on
another site (no balancer cookie, so its frame's request may reach any process) then never drew
its map after a start, a deploy or a failover (tests/browser/test_haproxy.py).
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Sequence
from typing import Any

from qimap.map.script_bundle import write_bundle
from qimap.settings import STATIC_DIR, SettingsError, load_settings

# What the map page (views/explore.py, the default page) imports, heaviest first. Not
# streamlit_folium, nor what imports it (qimap.ui.map_panel, qimap.ui.presentation): it declares
# its component when imported, and a component declared before Streamlit's runtime exists is
# never served (the map's frame stays empty); register_components_with_the_runtime imports it
# once the runtime exists.
PRELOAD = (
    "folium",
    # Streamlit imports these on a page's first component (the map), whatever its arguments
    "pyarrow",
    "streamlit.components.v1.component_arrow",
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
NEVER_BEFORE_THE_RUNTIME = ("streamlit_folium",)


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


def register_components_with_the_runtime() -> None:
    """Once Streamlit creates its runtime (before its server listens), import streamlit_folium
    and register its component there: its import registers nothing outside a page's run. The
    runtime's constructor is wrapped, so no request can arrive before the component is known."""
    from streamlit.runtime import Runtime

    create = Runtime.__init__

    def create_and_register(runtime: Runtime, config: Any) -> None:
        create(runtime, config)
        try:
            module = importlib.import_module("streamlit_folium")
            runtime.component_registry.register_component(module._component_func)
        except Exception:  # the page's first run registers it still; an embed may 404 until then
            logging.getLogger(__name__).warning(
                "qimap: the map's component was not registered at start", exc_info=True
            )

    Runtime.__init__ = create_and_register  # type: ignore[method-assign,assignment]


def main(argv: Sequence[str] | None = None) -> int:
    """``argv`` as the ``streamlit`` command takes it (``run app.py --server.port 8501``)."""
    preload()
    write_map_script()
    register_components_with_the_runtime()
    from streamlit.web import cli

    sys.argv = ["streamlit", *(sys.argv[1:] if argv is None else argv)]
    result = cli.main()  # click: exits by itself unless standalone_mode is off
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
