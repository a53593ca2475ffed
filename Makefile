# The README's commands. `make site` and `make test` work on a fresh machine:
# they create the virtual environment and install what is missing.

# Variables given on the command line (OLD, NEW, VERSION, CHECK_ARGS, ...) reach
# the recipes through the environment; a recipe passes each one as one argument,
# NAME="$$NAME", to `scripts/cli.py --from-make <command>`, whose parser checks
# it. Never write $(VAR) of a user variable into a recipe: make would splice it
# into shell text.
#
# A command-line `VAR=value` is, for make, a recursively expanded variable: make
# would expand $(...), ${...} and $$ in it when it exports it to a recipe, running
# any $(shell ...) and eating every `$`. So, before anything is exported, every
# variable given on the command line (or in MAKEFLAGS, as a parent make passes
# them) becomes a simply expanded variable holding its exact bytes, $(value VAR),
# and is exported again. A name that is not a plain identifier, make's own
# variables and the variables spliced into the recipes below are refused.
# Environment variables reach the recipes unexpanded by make (with or without
# `make -e`); PYTHON and VENV, which the recipes do splice, must be plain paths.
override mk_given := $(foreach v,$(.VARIABLES),$(if $(filter command line,$(origin $v)),$v))
override mk_plain := a b c d e f g h i j k l m n o p q r s t u v w x y z \
	A B C D E F G H I J K L M N O P Q R S T U V W X Y Z 0 1 2 3 4 5 6 7 8 9 _
# $(call mk_drop,text,chars): text without the listed characters
override mk_drop = $(if $2,$(call mk_drop,$(subst $(firstword $2),,$1),$(wordlist 2,$(words $2),$2)),$1)
override mk_own := SHELL PY STAMP SYS_PKGS_SITE SYS_PKGS_TEST
override mk_take = $(if $(or $(call mk_drop,$1,$(mk_plain)),$(filter _% mk_% MAKE% $(mk_own),$1)),\
	$(error make: '$1' may not be set on the command line (expected a variable of the \
	README such as VERSION, ID, TITLE_EN or CHECK_ARGS; names are letters, digits and '_')),\
	$(eval override export $1 := $$(value $1)))
$(foreach v,$(mk_given),$(call mk_take,$v))

SHELL := /bin/bash
override .SHELLFLAGS := -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

# $(call mk_path,VAR): refuse a value of VAR that is not a plain path
override mk_path = $(if $(or $(call mk_drop,$(value $1),$(mk_plain) . / - +),\
	$(filter-out 1,$(words $(value $1))),$(filter -%,$(value $1))),\
	$(error make: $1='$(value $1)' is not a plain path (expected letters, digits, \
	'.', '_', '-', '+' and '/', not starting with '-')))
$(call mk_path,PYTHON)$(call mk_path,VENV)

# Debian packages: fonts and HarfBuzz subsetting for PDFs, chromium for the
# browser tests, poppler-utils for the PDF tests.
SYS_PKGS_SITE := fonts-noto-cjk libharfbuzz-subset0
SYS_PKGS_TEST := chromium poppler-utils
# (all of them defined by now: with make -e an environment variable would win)
$(foreach v,$(mk_own),$(if $(filter environment%,$(origin $v)),\
	$(error make: $v is the Makefile's own variable; do not set it in the environment with make -e)))

.PHONY: help env sysdeps sysdeps-test site build serve check import roles stamp diff release test test-fast bench bench-diff lint clean pdf bench-pdf schema schema-check drift-check new-regulation new-article rename move publish pr-comment corpus-report bench-search verify

help:
	@echo "make site    build the site into site/ (sets everything up first)"
	@echo "make test    run every test (sets everything up first)"
	@echo "make serve   live preview on http://127.0.0.1:8000"
	@echo "make check   validate docs/ and list every problem"
	@echo "make roles   create the page stub of every role in docs/roles.yml"
	@echo "make stamp   record in each English file which Chinese text it translates"
	@echo "make diff OLD=2026.1 NEW=2026.2   redline, comparison table, Markdown and JSON into build/diff/"
	@echo "make release [VERSION=2026.2] [NOTES='...'] [APPROVED_BY=.. APPROVED_ON=.. RESOLUTION=.. EFFECTIVE=..]   check, write and commit releases/<version>.yml, tag it"
	@echo "make bench   benchmark the site build against plain MkDocs"
	@echo "make new-regulation ID=.. TITLE=.. TITLE_EN=.. OWNER=..   a new regulation"
	@echo "make new-article REG=.. ID=.. AFTER=.. [INSERTED=1]   a new article after AFTER"
	@echo "make rename OLD=reg/old NEW=reg/new   rename an article, chapter, regulation or role:id"
	@echo "make move OLD=reg/article TO=[reg/]chapter [AFTER=..]   move an article"
	@echo "make schema  write schemas/*.json (make schema-check: current, docs/ valid)"
	@echo "make publish VERSION=2026.2 | DRAFT=1   add a release (or the draft) to gh-pages"
	@echo "make verify FILE=copy.pdf   is it an unmodified output of a release, current or superseded?"

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
	@# into site.tmp/, dated by the commit (SOURCE_DATE_EPOCH), then swapped in whole
	$(PY) scripts/cli.py build

serve: env
	@# MkDocs' server with the fast path of hooks/preview.py (decisions/0011-live-preview.md)
	$(PY) -m mkdocs serve --dev-addr 127.0.0.1:8000

check: env
	$(PY) scripts/cli.py --from-make check CHECK_ARGS="$$CHECK_ARGS"
	@# DRIFT=1: also fail when an English translation is older than its Chinese text (for CI)
	@if [ -n "$$DRIFT" ]; then $(PY) scripts/cli.py drift; fi

import: env
	$(PY) scripts/cli.py --from-make import SRC="$$SRC" ID="$$ID" IMPORT_ARGS="$$IMPORT_ARGS"

roles: env
	$(PY) scripts/cli.py roles

# Per law of ../shared/corpus: articles exact, paragraphs, English, diff precision/recall, time
corpus-report: env
	$(PY) scripts/cli.py corpus-report

stamp: env
	$(PY) scripts/cli.py --from-make stamp STAMP_ARGS="$$STAMP_ARGS"

diff: env
	$(PY) scripts/cli.py --from-make diff OLD="$$OLD" NEW="$$NEW" OUT="$${OUT:-build/diff}" \
		FORMATS="$$FORMATS" DIFF_ARGS="$$DIFF_ARGS"

release: env
	$(PY) scripts/cli.py --from-make release VERSION="$$VERSION" NOTES="$$NOTES" \
		NOTES_EN="$$NOTES_EN" APPROVED_BY="$$APPROVED_BY" APPROVED_BY_EN="$$APPROVED_BY_EN" \
		APPROVED_ON="$$APPROVED_ON" RESOLUTION="$$RESOLUTION" RESOLUTION_EN="$$RESOLUTION_EN" \
		EFFECTIVE="$$EFFECTIVE" RELEASE_ARGS="$$RELEASE_ARGS"

test: env sysdeps-test
	$(VENV)/bin/ruff check compendium hooks scripts benchmarks tests
	$(VENV)/bin/ruff format --check compendium hooks scripts benchmarks tests
	$(VENV)/bin/mypy
	$(PY) scripts/cli.py schema --check
	@# Measured from the start (the command line imports the core before pytest runs);
	@# the floor is fail_under in pyproject.toml [tool.coverage.report].
	$(PY) -m coverage run scripts/cli.py --from-make pytest PYTEST_ARGS="$$PYTEST_ARGS"
	$(PY) -m coverage report

test-fast: env
	$(PY) scripts/cli.py --from-make pytest PYTEST_ARGS="$$PYTEST_ARGS" \
		-- -m "not build and not browser and not pdf"

pdf: env sysdeps
	$(PY) scripts/cli.py pdf --out site/pdf

bench-pdf: env sysdeps
	$(PY) benchmarks/bench_pdf.py --all

bench: env sysdeps-test
	$(PY) benchmarks/bench.py

bench-diff: env
	$(PY) benchmarks/bench_diff.py

bench-search: env sysdeps-test
	$(PY) benchmarks/bench_search.py

lint: env
	$(VENV)/bin/ruff check compendium hooks scripts benchmarks tests
	$(VENV)/bin/ruff format --check compendium hooks scripts benchmarks tests

# Editor's workflow. Variables (ID, TITLE, OLD, NEW, ...) reach the command as
# single arguments NAME="$$NAME" and are checked by its parser; they are never
# spliced into recipe text.
schema: env
	$(PY) scripts/cli.py schema

schema-check: env
	$(PY) scripts/cli.py schema --check
	$(PY) scripts/cli.py schema --validate

drift-check: env
	$(PY) scripts/cli.py drift

# VERSION=2026.2 (built from tag release/2026.2) or DRAFT=1; BRANCH, NO_PDF=1 optional
publish: env sysdeps
	$(PY) scripts/cli.py --from-make publish VERSION="$$VERSION" DRAFT="$$DRAFT" \
		BRANCH="$$BRANCH" NO_PDF="$$NO_PDF" ALIAS_TYPE="$$ALIAS_TYPE"

# FILE=copy.pdf: an unmodified output of a release (current or superseded), modified, or not ours
verify: env
	$(PY) scripts/cli.py --from-make verify FILE="$$FILE"

# the pull-request comment from build/diff (run make diff first)
pr-comment: env
	$(PY) scripts/cli.py pr-comment build/diff

new-regulation: env
	$(PY) scripts/cli.py --from-make new-regulation ID="$$ID" TITLE="$$TITLE" \
		TITLE_EN="$$TITLE_EN" OWNER="$$OWNER" CODE="$$CODE" EFFECTIVE="$$EFFECTIVE" \
		NUMBERING="$$NUMBERING"

new-article: env
	$(PY) scripts/cli.py --from-make new-article REG="$$REG" ID="$$ID" AFTER="$$AFTER" \
		INSERTED="$$INSERTED" CAPTION="$$CAPTION" CAPTION_EN="$$CAPTION_EN"

rename: env
	$(PY) scripts/cli.py --from-make rename OLD="$$OLD" NEW="$$NEW"

move: env
	$(PY) scripts/cli.py --from-make move OLD="$$OLD" TO="$$TO" AFTER="$$AFTER"

clean:
	rm -rf site site.tmp site.old site.pdf.tmp .cache .pytest_cache .mypy_cache .coverage
