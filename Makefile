# `make run`: install into .venv, migrate, seed the demo data, serve on 127.0.0.1:$(PORT).
# `make test`: install into .venv and run the whole test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_PASSWORD ?= demo-label-2026
export DEBUG ?= true

.PHONY: run test install lint typecheck docs messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when a requirements file changed.
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

run: install
	mkdir -p var
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py generate_signing_key --if-missing
	$(BIN)/python manage.py seed_demo --password "$(DEMO_PASSWORD)"
	@echo "Serving on http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/, password: $(DEMO_PASSWORD))"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The suite runs in one pytest-xdist worker per idle core, in one process when fewer than two are
# idle (tests/conftest.py); PYTEST_XDIST_AUTO_NUM_WORKERS=N for N workers.
# PYTEST_ARGS picks a subset or adds options: PYTEST_ARGS=tests/test_lookup.py, PYTEST_ARGS="-n 2 ..."
test: install
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy .

# The state machine picture in the README (needs Graphviz: apt-get install graphviz).
docs: install
	$(BIN)/python manage.py graph_transitions certification.Application.state -o docs/application-workflow.svg

# Refresh the Dutch and French catalogues after changing texts: translate the new (empty)
# entries in locale/*/LC_MESSAGES/django.po, then `make messages` again to compile them.
# A test fails while any entry is untranslated or fuzzy.
messages: install
	$(BIN)/python manage.py makemessages -l nl -l fr --ignore=.venv --ignore=bench --ignore=tests --ignore=locale --no-location --no-wrap
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var
