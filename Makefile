# The README's commands. `make site` and `make test` work on a fresh machine:
# they create the virtual environment and install what is missing.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

# Debian packages: fonts and HarfBuzz subsetting for PDFs, chromium for the
# browser tests, poppler-utils for the PDF tests.
SYS_PKGS_SITE := fonts-noto-cjk libharfbuzz-subset0
SYS_PKGS_TEST := chromium poppler-utils

.PHONY: help env sysdeps sysdeps-test site build serve check import roles stamp diff release test test-fast bench bench-diff bench-search lint clean pdf bench-pdf

help:
	@echo "make site    build the site into site/ (sets everything up first)"
	@echo "make test    run every test (sets everything up first)"
	@echo "make serve   live preview on http://127.0.0.1:8000"
	@echo "make check   validate docs/ and list every problem"
	@echo "make roles   create the page stub of every role in docs/roles.yml"
	@echo "make stamp   record in each English file which Chinese text it translates"
	@echo "make diff OLD=2026.1 NEW=2026.2   redline, comparison table, Markdown and JSON into build/diff/"
	@echo "make release [VERSION=2026.2] [NOTES='...']   check, tag release/<version>, write its notes"
	@echo "make bench   benchmark the site build against plain MkDocs"

env: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@# The core package is used in place (like `pip install -e .`, without a build step).
	$(PY) -c 'import os, sysconfig; open(os.path.join(sysconfig.get_paths()["purelib"], "compendium-src.pth"), "w").write(os.getcwd() + "\n")'
	@touch $(STAMP)

sysdeps:
	@bash scripts/sysdeps.sh $(SYS_PKGS_SITE)

sysdeps-test:
	@bash scripts/sysdeps.sh $(SYS_PKGS_SITE) $(SYS_PKGS_TEST)

site: env sysdeps build

build:
	@rm -rf site.tmp
	$(VENV)/bin/mkdocs build --quiet --site-dir site.tmp || { rm -rf site.tmp; exit 1; }
	$(PY) scripts/build_pdf.py --out site.tmp/pdf || { rm -rf site.tmp; exit 1; }
	@rm -rf site && mv site.tmp site
	@echo "site built in site/"

serve: env
	$(VENV)/bin/mkdocs serve --livereload

check: env
	$(PY) scripts/check.py $(CHECK_ARGS)
	@# DRIFT=1: also fail when an English translation is older than its Chinese text (for CI)
	$(if $(DRIFT),$(PY) scripts/stamp.py --check-drift)

import: env
	@test -n "$(SRC)" -a -n "$(ID)" || { echo "usage: make import SRC=regulation.txt ID=regulation-id [IMPORT_ARGS='--code HR-01 --title-en ...']"; exit 2; }
	$(PY) scripts/import_regulation.py "$(SRC)" --id "$(ID)" $(IMPORT_ARGS)

roles: env
	$(PY) scripts/sync_role_pages.py

stamp: env
	$(PY) scripts/stamp.py $(STAMP_ARGS)

diff: env
	@test -n "$(OLD)" -a -n "$(NEW)" || { echo "usage: make diff OLD=<ref> NEW=<ref|WORKTREE> [OUT=build/diff] [FORMATS=html,table,md,json]"; exit 2; }
	$(PY) scripts/diff.py "$(OLD)" "$(NEW)" --out "$(or $(OUT),build/diff)" $(if $(FORMATS),--format $(FORMATS))

release: env
	$(PY) scripts/release.py $(VERSION) $(if $(NOTES),--notes "$(NOTES)") $(if $(NOTES_EN),--notes-en "$(NOTES_EN)") $(RELEASE_ARGS)

test: env sysdeps-test
	$(VENV)/bin/ruff check compendium hooks scripts tests
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: env
	$(PY) -m pytest -m "not build and not browser and not pdf" $(PYTEST_ARGS)

pdf: env sysdeps
	$(PY) scripts/build_pdf.py --out site/pdf

bench-pdf: env sysdeps
	$(PY) scripts/bench_pdf.py --all

bench: env
	$(PY) scripts/bench_site.py

bench-diff: env
	$(PY) scripts/bench_diff.py

bench-search: env sysdeps-test
	$(PY) scripts/bench_search.py

lint: env
	$(VENV)/bin/ruff check compendium hooks scripts tests

clean:
	rm -rf site site.tmp .pytest_cache
