# Two commands: `make serve` and `make test`. Each bootstraps .venv on first use.
export NO_MKDOCS_2_WARNING := 1

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

BASE   ?=

# Zensical (Material's successor) builds the same sources; MkDocs stays the release build.
# Why and what does not carry over yet: docs/contributing/zensical.md.
.PHONY: serve test test-fast build build-zensical check stale init bench offline pdf deploy-s3 clean

$(STAMP): requirements.txt constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	@touch $@

serve: $(STAMP) ## serve the site at http://127.0.0.1:8000 with live reload
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

build: $(STAMP) ## strict build into site/
	$(BIN)/mkdocs build --strict --site-dir site

build-zensical: $(STAMP) ## strict build with Zensical into site-zensical/ (a fresh build: its cache is cleared)
	SITE_DIR=site-zensical $(BIN)/python -m zensical build --strict --clean

check: $(STAMP) ## validate data/, front matter, and version bumps since the work left upstream (BASE=… names the branch, NO_VERSION_CHECK=1 skips them)
	$(BIN)/python -m macros check $(if $(NO_VERSION_CHECK),--no-version-check,$(if $(BASE),--base "$(BASE)"))

stale: $(STAMP) ## list playbooks, SOPs, checklists and facts overdue for review (STRICT=1 fails on any)
	$(BIN)/python -m macros stale $(if $(STRICT),--strict)

init: $(STAMP) ## make the handbook your team's: asks for name, repository, address… (or ARGS="--name …")
	$(BIN)/python -m macros init $(ARGS)

test: $(STAMP) ## the whole test suite (first checks that a browser is installed; see tests/chromium.py)
	@$(BIN)/python tests/chromium.py
	$(BIN)/python -m pytest

test-fast: $(STAMP) ## the quick loop: every test except those that drive Chromium (make test runs all)
	$(BIN)/python -m pytest -m "not browser"

bench: $(STAMP) ## performance: scale, macro overhead, page weight, Lighthouse -> bench/results/
	$(BIN)/python -m bench

offline: $(STAMP) ## dist/<name>-offline.zip: the site readable from file://, no server, no network
	$(BIN)/python -m publish offline

pdf: $(STAMP) ## dist/<name>.pdf: the whole handbook on A4, printed by Debian's Chromium
	$(BIN)/python -m publish pdf

deploy-s3: $(STAMP) ## build site/ and upload it to S3-compatible storage (S3_* and AWS_* variables)
	$(BIN)/python -m publish s3

clean:
	rm -rf site site-zensical .cache dist .pytest_cache bench/work
