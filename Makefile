# Two commands: `make serve` and `make test`. Each bootstraps .venv on first use.
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve test build check clean

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

serve: $(STAMP) ## serve the site at http://127.0.0.1:8000 with live reload
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

build: $(STAMP) ## strict build into site/
	$(BIN)/mkdocs build --strict --site-dir site

check: $(STAMP) ## validate data/ and playbook front matter
	$(BIN)/python -m macros check

test: $(STAMP) ## the whole test suite
	$(BIN)/python -m pytest

clean:
	rm -rf site .pytest_cache
