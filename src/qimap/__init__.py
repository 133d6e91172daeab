"""qimap: qualified-immunity case studies on a US map, with each state's bill scorecards."""

__version__ = "0.1.0"
