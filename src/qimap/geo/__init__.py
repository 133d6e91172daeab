"""Geography: state outlines and point-in-state, offline geocoding."""
