"""Excel/CSV → validated import → DuckDB. See :mod:`ingest.pipeline`."""

import os

# pyarrow's default allocator (jemalloc/mimalloc) does not reuse the heap calamine has just freed, so
# an import's peak memory would grow by the whole sheet again: the system allocator instead. The variable
# counts only before pyarrow is first imported; pandas may have imported it already, hence the pool too.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

import pyarrow  # noqa: E402

pyarrow.set_memory_pool(pyarrow.system_memory_pool())


from ingest.pipeline import ImportResult, Problem, import_file, parse_file  # noqa: E402

__all__ = ["ImportResult", "Problem", "import_file", "parse_file"]
