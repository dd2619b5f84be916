# 领航看板 — two commands: `make run` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= data/dashboard.duckdb
PORT ?= 8501

.PHONY: run test sample setup browser lint clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall whenever requirements.txt changes.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

setup: $(VENV)/.installed

# Debian's chromium (for the browser tests) and CJK fonts (so Chinese renders).
browser:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		echo "安装 chromium 与中文字体…"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
		|| (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null); \
	fi

$(DB): | setup
	$(BIN)/python -m ingest --sample --db $(DB)

# Rebuild the sample database from the workbooks in data/.
sample: setup
	$(BIN)/python -m ingest --sample --db $(DB)

run: setup $(DB)
	DASHBOARD_DB=$(DB) $(BIN)/streamlit run app.py --server.port $(PORT)

test: setup browser
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) $(DB) $(DB).wal .pytest_cache
