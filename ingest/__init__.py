"""Excel/CSV → validated import → DuckDB. See :mod:`ingest.pipeline`."""

from ingest.pipeline import ImportResult, Problem, import_file, parse_file

__all__ = ["ImportResult", "Problem", "import_file", "parse_file"]
