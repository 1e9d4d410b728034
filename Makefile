# Newsroom: `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEV := DEBUG=1
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

.PHONY: install
install: $(VENV)/.installed ## Create the virtual environment and install the pinned requirements

.PHONY: translations
translations: install ## Compile the French catalogue (uses GNU gettext when present; else the committed .mo)
	@if command -v msgfmt >/dev/null 2>&1; then $(DEV) $(PY) manage.py compilemessages -v0 --ignore=.venv; \
	else echo "msgfmt not found: using the compiled catalogue in locale/"; fi

.PHONY: setup
setup: install translations ## Install, migrate the database, load the reference content, collect static files
	$(DEV) $(PY) manage.py migrate --noinput -v0
	$(DEV) $(PY) manage.py loaddata reference -v0
	$(DEV) $(PY) manage.py collectstatic --noinput -v0

.PHONY: run
run: setup ## Set everything up and serve the site on http://127.0.0.1:8000/, with a worker for e-mail
	@echo ""
	@echo "  Site:  http://$(HOST):$(PORT)/"
	@echo "  Admin: http://$(HOST):$(PORT)/admin/  (create an account with: make superuser)"
	@echo "  Ctrl-C stops the server and the worker."
	@echo ""
	$(DEV) HOST=$(HOST) $(VENV)/bin/honcho start -f Procfile -p $(PORT)

.PHONY: worker
worker: install translations ## Run a background worker as in production (e-mail alerts, advance copies)
	@test -n "$$SECRET_KEY" || { echo "SECRET_KEY is required to run a worker in production (see .env.example)."; exit 1; }
	DEBUG=0 $(PY) manage.py migrate --noinput -v0
	DEBUG=0 $(PY) manage.py db_worker --no-reload --interval 1

.PHONY: serve
serve: install translations ## Serve as in production: gunicorn, DEBUG off (needs SECRET_KEY and ALLOWED_HOSTS)
	@test -n "$$SECRET_KEY" || { echo "SECRET_KEY is required to serve in production (see .env.example)."; exit 1; }
	DEBUG=0 $(PY) manage.py migrate --noinput -v0
	DEBUG=0 $(PY) manage.py collectstatic --noinput -v0
	DEBUG=0 HOST=$(HOST) PORT=$(PORT) $(VENV)/bin/gunicorn -c config/gunicorn.conf.py config.wsgi

.PHONY: edge
edge: install translations ## Varnish on http://127.0.0.1:8080/ in front of two app servers and a worker (PostgreSQL, Redis)
	deploy/varnish/run

.PHONY: bench
bench: install ## Benchmark public pages against a static file, with the page cache warm and off
	bench/run

.PHONY: superuser
superuser: install ## Create a staff account for the admin (asks for a password)
	$(DEV) $(PY) manage.py createsuperuser

.PHONY: seed
seed: setup ## Add a large deterministic demo archive (2,000 releases, 40 initiatives)
	$(DEV) $(PY) manage.py seed_demo --releases 2000 --initiatives 40

.PHONY: test
test: install translations ## Run the whole test suite
	$(PY) -m pytest $(PYTEST_ARGS)

.PHONY: lint
lint: install ## ruff check and format check, and the import layers (pyproject.toml)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

.PHONY: format
format: install ## Format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

.PHONY: messages
messages: install ## Refresh locale/fr from the code, templates and scripts
	$(DEV) $(PY) manage.py makemessages -l fr --no-obsolete --no-location --ignore=.venv --ignore=staticfiles --ignore=node_modules
	$(DEV) $(PY) manage.py makemessages -d djangojs -l fr --no-obsolete --no-location --ignore=.venv --ignore=staticfiles --ignore=node_modules --ignore=static/vendor
	$(DEV) $(PY) manage.py compilemessages -v0 --ignore=.venv
