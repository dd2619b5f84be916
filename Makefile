# 领航看板 — two commands: `make run` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= data/dashboard.duckdb
PORT ?= 8501

.PHONY: run test sample setup browser fonts lint clean bench

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall whenever requirements.txt changes.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

setup: $(VENV)/.installed

# CJK fonts from Debian: Chinese in the browser and in the bulletin's charts (matplotlib finds Noto Sans CJK).
fonts:
	@if ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		echo "安装中文字体…"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk fontconfig >/dev/null) \
		|| (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk fontconfig >/dev/null); \
	fi

# Debian's chromium (for the browser tests) and CJK fonts (so Chinese renders).
browser:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		echo "安装 chromium 与中文字体…"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
		|| (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null); \
	fi

# The sample database, with one demo account per role (passwords printed once, here).
$(DB): | setup
	$(BIN)/python -m ingest --sample --quiet --db $(DB)
	$(BIN)/python -m accounts demo --db $(DB)

# Rebuild the sample database from the workbooks in data/ (and new demo accounts).
sample: setup
	$(BIN)/python -m ingest --sample --quiet --db $(DB)
	$(BIN)/python -m accounts demo --db $(DB)

run: setup fonts $(DB)
	DASHBOARD_DB=$(DB) $(BIN)/python -m ui.serve --server.port $(PORT)

test: setup fonts browser lint
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check .

# A consistent copy of the database, also while the dashboard runs: data/backups/<name>-YYYYmmdd-HHMMSS.duckdb
# (restore: stop the dashboard, then `$(BIN)/python -m database restore FILE --db $(DB)`).
.PHONY: backup
backup: setup
	$(BIN)/python -m database backup --db $(DB)

# Import and page speed at county scale (150k-row workbook, 1M-event database), and time to a drawn page in
# chromium (one user, 10 at once); JSON in bench/results/.
bench: setup browser
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(DB) $(DB).wal .pytest_cache
