# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint messages bench clean debian-demo debian-test

demo: debian-demo $(VENV)/.installed-demo  ## set up the demo case and serve it on 127.0.0.1:8000
	$(BIN)/solidarity demo

test: debian-test $(VENV)/.installed-test  ## lint, then the whole test suite (set DATABASE_URL for PostgreSQL)
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest

# The Debian packages (scripts/debian-packages.txt): installed when missing, as root or
# through sudo without a password; otherwise make stops at once with the command to run.
debian-demo debian-test: debian-%:
	@sh scripts/ensure-debian-packages $*

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

messages: $(VENV)/.installed-test  ## refresh and compile the translation catalogues
	cd src/solidarity && ../../$(BIN)/solidarity makemessages -l zh_Hans -l es --no-obsolete
	cd src/solidarity && ../../$(BIN)/solidarity compilemessages

bench: $(VENV)/.installed-test  ## see docs/performance.md
	$(BIN)/python bench/generate.py 100000
	$(BIN)/python bench/run.py --database bench/out/bench-100000.sqlite3

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-demo: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
