# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test lint chromium messages check-deploy clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# A local .env with debug on and a random secret key, written once and never committed.
.env:
	printf 'DJANGO_DEBUG=true\nDJANGO_SECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@

run: $(VENV)/.runtime .env
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py sync_roles
	$(BIN)/python manage.py load_demo
	$(if $(filter 1,$(SAMPLE)),$(BIN)/python manage.py load_sample)
	$(BIN)/python manage.py create_admin
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Tests never use a committed key: each run makes its own unless one is set.
test: export DJANGO_SECRET_KEY ?= $(shell $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')
test: export DJANGO_ALLOWED_HOSTS ?= localhost
test: lint chromium
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest --durations=15

# The browser tests drive Debian's Chromium: installed here when missing and possible (root
# with apt), else `make test` stops at once with the command to run. Never a silent skip.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's Chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Debian's Chromium. Install it, then run make test again:" >&2; \
	    echo "  sudo apt-get install chromium" >&2; \
	    exit 1; \
	  fi; }

# Refresh every English catalogue after changing UI strings, then compile them.
messages: export DJANGO_SECRET_KEY ?= messages-only
messages: export DJANGO_ALLOWED_HOSTS ?= localhost
messages: $(VENV)/.dev
	$(BIN)/python manage.py makemessages -l en --no-location --ignore=.venv --ignore=bench
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles
