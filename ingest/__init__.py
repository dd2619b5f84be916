"""Excel/CSV → validated import → DuckDB. See :mod:`ingest.pipeline`."""

import os

# before pyarrow is first imported: its default allocator (jemalloc/mimalloc) does not reuse the heap
# calamine has just freed, so an import's peak memory would grow by the whole sheet again
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")


from ingest.pipeline import ImportResult, Problem, import_file, parse_file  # noqa: E402

__all__ = ["ImportResult", "Problem", "import_file", "parse_file"]
