# Two commands set everything up on a fresh machine:
#   make serve   preview the sample site at http://127.0.0.1:8000 (scripts/serve.py)
#   make test    install what the tests need and run the whole suite
# Every target is idempotent: run it again and it only does what is missing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ADDR   ?= 127.0.0.1:8000
# Material prints a notice about MkDocs 2 on every run; the project knows.
export NO_MKDOCS_2_WARNING := 1

PIP    := $(BIN)/python -m pip --disable-pip-version-check

.PHONY: install install-test install-office import browser nginx serve serve-nginx package build test test-fast lint fuzz lock count bench bench-images check new pdf clean

# The locks pin every package with its hashes, so that a fresh machine builds the same bytes a year
# from now; then the project itself is installed (editable: src/ is used in place).
install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --require-hashes -r requirements.lock
	$(PIP) install --quiet --no-deps -e .
	touch $@

install-test: $(VENV)/.installed-test browser nginx install-office

$(VENV)/.installed-test: requirements-test.lock $(VENV)/.installed
	$(PIP) install --quiet --require-hashes -r requirements-test.lock
	touch $@

# After changing requirements*.txt: write the locks again (pip-tools; hashes of every platform's files).
lock: install
	$(PIP) install --quiet pip-tools==7.6.2
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
	  --output-file requirements.lock requirements.txt
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
	  --output-file requirements-test.lock requirements-test.txt

# LibreOffice's Writer without a desktop, for importing .doc and .wps files (the import tests convert one).
install-office:
	@bash scripts/install-office.sh

# The browser tests drive Debian's Chromium (never a downloaded browser) and
# need CJK fonts to render Chinese.
browser:
	@bash scripts/install-browser.sh

# Debian's nginx, for serve-nginx and the tests of the configuration in deploy/nginx/.
nginx:
	@bash scripts/install-nginx.sh

serve: install
	$(BIN)/python scripts/serve.py --addr $(ADDR)

build: install
	$(BIN)/mkdocs build --strict

# The built site as the server will serve it: nginx with deploy/nginx/'s site block (headers, compression,
# caching), over plain HTTP on ADDR, in the foreground until Ctrl+C.
serve-nginx: build nginx
	$(BIN)/python scripts/serve_nginx.py --addr $(ADDR) site

# One archive for the server's administrator: the site, the nginx configuration for this build, a README.
package: build
	$(BIN)/python scripts/package.py --site site --out dist/publicity-site.tar.gz

# Everything: lint, the in-process tests, the builds and the browser tests.
test: install-test lint
	$(BIN)/python -m pytest -n 2

# The in-process tests only (model, checks, counting, configuration, templates): under a minute.
test-fast: install-test
	$(BIN)/python -m pytest -m "not build and not browser and not office" -n 2

lint: install-test
	$(BIN)/ruff check src scripts tests

# Property-based tests with many more examples than `make test` runs; prints what it found.
fuzz: install-test
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -m fuzz --hypothesis-show-statistics -p no:xdist

clean:
	rm -rf site dist .pytest_cache

count: install
	$(BIN)/python scripts/count.py $(ARGS)

# Prints build, baseline, memory, page-size, search and counting figures for 1,000 and 10,000
# generated items (the search figures are measured in Chromium, hence install-test); then the preview's
# (make serve): start, and save -> served page, at the same sizes.
bench: install-test
	$(BIN)/python scripts/bench/bench.py
	$(BIN)/python scripts/bench/bench_preview.py

# Prints the image pipeline's figures: published size of a 4000×3000 photo, first build and rebuild times.
bench-images: install
	$(BIN)/python scripts/bench/images.py

check: install
	$(BIN)/python scripts/check.py $(ARGS)

# make new ARGS='news "区建设局开展井盖整治"'
new: install
	$(BIN)/python scripts/new.py $(ARGS)

# make import ARGS='--kind news 稿件/井盖整治.docx'  (a folder imports every Word document in it)
import: install
	$(BIN)/python scripts/import_docx.py $(ARGS)

# make pdf ARGS="docs/newsletters/chengjian/2009-03.md": the issue's page printed to PDF (GB/T 9704-2012) into
# its files/ folder, and its attachment set. Printed by Debian's Chromium through Playwright, as the tests print
# (hence install-test).
pdf: install-test
	$(BIN)/python scripts/pdf.py $(ARGS)
