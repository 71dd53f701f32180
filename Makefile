# The two set-up commands are `make book` and `make test`; both create the
# virtual environment on first use and reuse it while nothing it depends on changed.
PYTHON     ?= python3
VENV       := .venv
BIN        := $(VENV)/bin
STAMP      := $(VENV)/.installed
MATHJAX    := 3.2.2
VENDOR     := _vendor
MATHJAX_JS := $(VENDOR)/mathjax/tex-mml-chtml.js
BOOK_FLAGS := -W -n --keep-going

.PHONY: book test test-fast exercises serve bench lint clean

# The environment: runtime, book and test dependencies, plus this repo (editable).
$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -e . 2>&1 \
		| grep -v "^WARNING: Location" || true
	$(BIN)/python -m pip check
	touch $@

# MathJax served from the built site, so the book needs no network when read.
$(MATHJAX_JS):
	rm -rf $(VENDOR)/mathjax $(VENDOR)/tmp && mkdir -p $(VENDOR)/tmp
	cd $(VENDOR)/tmp && npm pack --silent mathjax@$(MATHJAX) >/dev/null
	tar -xzf $(VENDOR)/tmp/mathjax-$(MATHJAX).tgz -C $(VENDOR)/tmp
	mv $(VENDOR)/tmp/package/es5 $(VENDOR)/mathjax
	rm -rf $(VENDOR)/tmp

book: $(STAMP) $(MATHJAX_JS)
	$(BIN)/jupyter-book build $(BOOK_FLAGS) .

test: $(STAMP) $(MATHJAX_JS)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/jupyter-book build $(BOOK_FLAGS) .
	$(BIN)/pytest -n 2 --dist loadgroup

# The fast lane (under 2 minutes): linters and every test that starts no Jupyter kernel
# and no browser (markers `kernel`, set in tests/conftest.py, and `browser`).
test-fast: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest -n 2 --dist loadgroup -m "not kernel and not browser"

exercises: $(STAMP)
	$(BIN)/autograder release

serve: book
	$(BIN)/python -m http.server --directory _build/html 8000

bench: $(STAMP)
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(BIN)/python -m benchmarks

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

clean:
	rm -rf _build $(VENDOR)
