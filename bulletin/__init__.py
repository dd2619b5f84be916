"""双周通报: the bi-weekly bulletin of the 书记领航行动, as Word and Excel.

- :mod:`bulletin.content` — data → a structured :class:`~bulletin.content.Bulletin` (pure);
- :mod:`bulletin.charts` — its charts as PNG (matplotlib, Noto Sans CJK);
- :mod:`bulletin.word` — the .docx in the form of an official notice (python-docx);
- :mod:`bulletin.workbook` — the same content as an .xlsx, one sheet per section;
- :mod:`bulletin.store` — reading the data, issuing (freezing) and withdrawing, in the database;
- ``python -m bulletin`` — a draft from the command line.
"""
