"""The map: folium builders, the static data files the browser clusters, clicks and links."""
