# CX Audit: `make run` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements/*.txt | sha1sum | cut -c1-12)
# Checked by mypy --strict in `make lint`: the pure modules (STYLE 2, 22).
MYPY_STRICT := cxaudit/bands.py cxaudit/brandkit.py cxaudit/questions.py cxaudit/charts cxaudit/instrument_schema cxaudit/library cxaudit/metrics/formulas \
	cxaudit/recommendations cxaudit/reports/sections.py cxaudit/richtext.py cxaudit/rounding.py cxaudit/scoring cxaudit/stats cxaudit/tabular.py cxaudit/themes cxaudit/webhook_rules.py
# Checked by mypy (django-stubs) in `make lint`: the services, where the writes happen.
MYPY_SERVICES := assessments/services surveys/services cxaudit/accounts/services.py \
	cxaudit/metrics/services cxaudit/reports/services.py \
	cxaudit/api/services cxaudit/api/selectors.py cxaudit/api/tasks.py cxaudit/events.py cxaudit/api/auth.py cxaudit/api/errors.py \
	cxaudit/api/endpoints

.PHONY: run test test-quick lint bench messages makemessages install check-deploy clean

$(STAMP): requirements/base.txt requirements/dev.txt requirements/prod.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

# Compiled catalogues are built here with Babel, so no system gettext is needed.
messages: install
	@$(VENV)/bin/pybabel compile --statistics -D django -d locale

# Re-extract strings into the Russian catalogue (needs GNU gettext: apt-get install gettext).
makemessages: install
	$(PY) manage.py makemessages -l ru --no-location --no-obsolete \
		--ignore=.venv --ignore=var --ignore=static/vendor --ignore=tests

.env:
	sed "s/^SECRET_KEY=.*/SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')/" .env.example > .env
	@echo "Wrote .env (DEBUG on, fresh secret key)."

run: install messages .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_instruments
	$(PY) manage.py demo
	@echo "Starting the web server on http://127.0.0.1:8000 and a Celery worker. Ctrl-C stops both."
	@bash -c 'trap "kill 0" EXIT; \
		$(VENV)/bin/celery -A cxaudit.celery worker --beat --loglevel=info --concurrency=2 \
			--schedule=var/celerybeat-schedule & \
		$(PY) manage.py runserver 127.0.0.1:8000'

# With DATABASE_URL set (CI), the integration and security tests run a second time on the
# embedded default: SQLite, in-memory cache, filesystem broker, as `make run` starts it.
test: install messages
	$(PY) -m pytest tests
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "Embedded tier: the integration and security tests on SQLite"; \
		env -u DATABASE_URL -u REDIS_URL -u CI $(PY) -m pytest tests/integration tests/security -q; \
	fi

test-quick: install messages
	$(PY) -m pytest tests -m "not e2e" -x -q

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint
	git ls-files -z -- '*.py' | xargs -0 $(VENV)/bin/django-upgrade --target-version 5.2
	PYTHONPATH=. $(VENV)/bin/lint-imports --no-cache
	SECRET_KEY=lint $(PY) manage.py makemigrations --check --dry-run
	SECRET_KEY=lint $(VENV)/bin/mypy --strict $(MYPY_STRICT)
	SECRET_KEY=lint $(VENV)/bin/mypy --follow-imports=silent $(MYPY_SERVICES)

check-deploy: install
	DEBUG=false SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
		ALLOWED_HOSTS=audit.example.com CXAUDIT_ENV_FILE=/nonexistent \
		$(PY) manage.py check --deploy --fail-level WARNING

bench: install messages
	$(PY) bench/run.py
	$(PY) bench/drivers.py
	$(PY) bench/themes.py
	$(PY) bench/drivers_worker.py

clean:
	rm -rf var/broker var/staticfiles
