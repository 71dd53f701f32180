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

.PHONY: book test test-fast fairness exercises serve bench lint clean

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

# Korean web font (Noto Sans KR, regular and bold) served from the built site, so
# Korean terms render on machines without a CJK font. Its unicode-range slices
# cover Hangul only (book/_ext/korean_font.py): a page downloads just the slices
# with the syllables it shows, and Latin text keeps the theme's font.
$(FONT_CSS): book/_ext/korean_font.py
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

book: $(STAMP) $(MATHJAX_JS) $(FONT_CSS)
	$(BIN)/jupyter-book build $(BOOK_FLAGS) .

test: $(STAMP) $(MATHJAX_JS) $(BWRAP) $(FONT_CSS)
	$(BIN)/ruff check .
	$(BIN)/python tests/lint_cells.py
	$(BIN)/lint-imports
	$(BIN)/jupyter-book build $(BOOK_FLAGS) .
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
	FAIRNESS_SEEDS=1000 $(BIN)/pytest -n 2 -m fairness tests/test_fairness.py

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
