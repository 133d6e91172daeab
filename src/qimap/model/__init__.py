"""The domain without I/O: records, enums and table specs, every reader-facing word, scoring, standings, comparisons, case filters, the evaluate tool, state names."""
