"""What comes in, read and checked: CSV and upload reading, column mapping, completion, validation, the endqi.org page reader, the import pipeline, the in-memory dataset."""
