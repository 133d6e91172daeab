"""Documents made from the data: CSV and GeoJSON exports, the data dictionary, the brief, the share card, text fitting, `qimap scorecard`'s text and JSON."""
