# The two set-up commands are `make book` and `make test`; both create the
# virtual environment on first use and reuse it while nothing it depends on changed.
PYTHON     ?= python3
VENV       := .venv
BIN        := $(VENV)/bin
STAMP      := $(VENV)/.installed
MATHJAX    := 3.2.2
VENDOR     := _vendor
MATHJAX_JS := $(VENDOR)/mathjax/tex-mml-chtml.js
NOTO_KR    := 5.3.0
FONT_CSS   := $(VENDOR)/fonts/noto-sans-kr/noto-sans-kr.css
BOOK_FLAGS := -W -n --keep-going

.PHONY: book translations test test-fast fairness exercises serve bench lint clean

# The environments. `make book` installs the book's set (requirements-book.txt: Jupyter Book,
# NumPy, matplotlib, scikit-learn and this repo, editable); `make test` and the other targets add
# the grader, test and benchmark set (requirements.txt) to the same .venv.
BOOK_STAMP := $(VENV)/.installed-book
PIP        := $(BIN)/python -m pip install --quiet --disable-pip-version-check
$(BOOK_STAMP): requirements-book.txt pyproject.toml
	@echo ">>> Installing the book's Python packages into $(VENV) (first time: about 640 MB, 2-7 minutes)"
	$(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements-book.txt -e . 2>&1 | grep -v "^WARNING: Location" || true
	$(BIN)/python -m pip check
	touch $@

$(STAMP): $(BOOK_STAMP) requirements.txt
	@echo ">>> Installing the grader, test and benchmark packages (first time: about 1.3 GB more, most of it PyTorch CPU; 2-6 minutes)"
	$(PIP) -r requirements.txt 2>&1 | grep -v "^WARNING: Location" || true
	$(BIN)/python -m pip check
	touch $@

# MathJax served from the built site, so the book needs no network when read.
$(MATHJAX_JS):
	@echo ">>> Fetching MathJax $(MATHJAX) with npm into $(VENDOR)/mathjax (once: about 25 MB, under a minute)"
	rm -rf $(VENDOR)/mathjax $(VENDOR)/tmp && mkdir -p $(VENDOR)/tmp
	cd $(VENDOR)/tmp && npm pack --silent mathjax@$(MATHJAX) >/dev/null
	tar -xzf $(VENDOR)/tmp/mathjax-$(MATHJAX).tgz -C $(VENDOR)/tmp
	mv $(VENDOR)/tmp/package/es5 $(VENDOR)/mathjax
	rm -rf $(VENDOR)/tmp

# Korean web font (Noto Sans KR, regular and bold) served from the built site, so
# Korean terms render on machines without a CJK font. Its unicode-range slices
# cover Hangul only (book/_ext/korean_font.py): a page downloads just the slices
# with the syllables it shows, and Latin text keeps the theme's font.
$(FONT_CSS): book/_ext/korean_font.py
	@echo ">>> Fetching the Korean web font (Noto Sans KR) with npm into $(VENDOR)/fonts (once: about 4 MB)"
	rm -rf $(VENDOR)/fonts/noto-sans-kr $(VENDOR)/tmp-font
	mkdir -p $(VENDOR)/tmp-font $(VENDOR)/fonts/noto-sans-kr/files
	cd $(VENDOR)/tmp-font && npm pack --silent @fontsource/noto-sans-kr@$(NOTO_KR) >/dev/null
	tar -xzf $(VENDOR)/tmp-font/fontsource-noto-sans-kr-$(NOTO_KR).tgz -C $(VENDOR)/tmp-font
	cp $(VENDOR)/tmp-font/package/files/noto-sans-kr-[0-9]*-[47]00-normal.woff2 \
		$(VENDOR)/fonts/noto-sans-kr/files/
	cp $(VENDOR)/tmp-font/package/LICENSE $(VENDOR)/fonts/noto-sans-kr/
	$(PYTHON) book/_ext/korean_font.py $(VENDOR)/tmp-font/package/400.css \
		$(VENDOR)/tmp-font/package/700.css > $@.tmp
	mv $@.tmp $@
	rm -rf $(VENDOR)/tmp-font

# Learner notebooks are graded inside bubblewrap (Debian package `bubblewrap`); as root, make
# installs it, otherwise it says how.
BWRAP := /usr/bin/bwrap
$(BWRAP):
	@if [ "$$(id -u)" -eq 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends bubblewrap; \
	else \
		echo "The grader's sandbox needs bubblewrap: sudo apt-get install bubblewrap" >&2; \
		exit 1; \
	fi

# The English site in _build/html, the Korean one in _build/html/ko (book/_ext/editions.py),
# from the English build's outputs: the Korean build executes nothing.
book: $(BOOK_STAMP) $(MATHJAX_JS) $(FONT_CSS)
	@echo ">>> Building the book into _build/html; the first build runs every chapter's code (about 4-9 minutes; later builds rerun only changed chapters)"
	$(BIN)/jupyter-book build $(BOOK_FLAGS) .
	@echo ">>> Building the Korean edition into _build/html/ko (about 20 s)"
	$(BIN)/python book/_ext/editions.py build ko

# After a change to the English pages or exercises: merge their messages into the Korean
# catalogues (new paragraphs untranslated, changed ones fuzzy), then show what is left to
# translate. Once translated, `make exercises` writes the Korean notebooks (exercises/ko/).
translations: $(STAMP)
	$(BIN)/python book/_ext/editions.py update ko
	$(BIN)/python -m autograder.translations update ko
	$(BIN)/python book/_ext/editions.py coverage ko || true
	$(BIN)/python -m autograder.translations coverage ko || true

test: $(STAMP) $(MATHJAX_JS) $(BWRAP) $(FONT_CSS)
	$(BIN)/ruff check .
	$(BIN)/python tests/lint_cells.py
	$(BIN)/lint-imports
	$(BIN)/jupyter-book build $(BOOK_FLAGS) .
	$(BIN)/python book/_ext/editions.py build ko
	$(BIN)/pytest -n 2 --dist loadgroup

# The fast lane (under 2 minutes): linters and every test that starts no Jupyter kernel
# and no browser (markers `kernel`, set in tests/conftest.py, and `browser`).
test-fast: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python tests/lint_cells.py
	$(BIN)/lint-imports
	$(BIN)/pytest -n 2 --dist loadgroup -m "not kernel and not browser and not fairness"

# The fairness lane over 1,000 hidden seeds (`make test` runs it over 100): every
# independently written correct solution in tests/alternatives/ must lose no point.
fairness: $(STAMP)
	FAIRNESS_SEEDS=1000 FAIRNESS_EXPERIMENT_SEEDS=1000 $(BIN)/pytest -n 2 -m fairness tests/test_fairness.py

exercises: $(STAMP)
	$(BIN)/autograder release

serve: book
	$(BIN)/python -m http.server --directory _build/html 8000

bench: $(STAMP)
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(BIN)/python -m benchmarks

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python tests/lint_cells.py
	$(BIN)/lint-imports

clean:
	rm -rf _build $(VENDOR)
