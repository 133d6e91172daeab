"""The map: what the page's map gets, the static data files the browser clusters, clicks and links."""
