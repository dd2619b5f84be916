"""Staff workflows inside the app, on the tables the imports write.

- :mod:`workflows.applications`: 项目申报 → 审核 → 立项 (``project_applications`` and its history);
  an approval writes ``projects``, ``milestones`` and ``indicators`` like an import.
- :mod:`workflows.weekly`: 周报 filed online, with a deadline per week and unlocks by an administrator;
  writes ``weekly_reports`` like an import (same key, replaced rows archived for rollback).
- :mod:`workflows.todo`: what a user still has to do (the 待办 list).
- :mod:`workflows.forms`: form values checked by the import's own stages, so messages are the import's.

Every write is one transaction under :data:`database.IMPORT_LOCK`, logged in ``uploads`` (file name
``在线填报`` / ``在线申报``, which is how a page tells an online row from an imported one; the new
upload also bumps :func:`database.data_version`, so every cached page sees it at once) and in the audit
trail. Permissions are checked here, on the server, not only by what a page shows. Every function that
depends on the time takes ``now``.
"""
