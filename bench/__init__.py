"""``make bench``: import and page speed at county scale, measured against the naive way.

``python -m bench [--events N] [--db-events N] [--out DIR]`` generates (seeded) an
event-detail workbook and a county-scale database (:mod:`bench.generate`), then
times the project's import against plain reads of the same file, and every page
under ``AppTest`` against the big database (:mod:`bench.run`), and the time to a
drawn page in chromium on the served app, one user and many at once
(:mod:`bench.browser`). The figures are
printed as a table and written as JSON under ``bench/results/``.
"""
