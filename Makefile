# `make run`: install into .venv, migrate, seed the demo data, serve on 127.0.0.1:$(PORT) with the
# task worker and the scheduler beside the web server.
# `make test`: install into .venv and run the whole test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_PASSWORD ?= demo-label-2026
# Where the demo's links, QR codes and credentials point: the port it serves on, unless set.
PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)
export DEBUG ?= true
# QR codes and credentials of the demo point where it serves.
export PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)

# The first line of the .env that `make run` writes; while it is there, each run writes it again.
DOTENV_MARK := \# Written by make run for the demo

.PHONY: run test install lint typecheck docs messages clean free-port demo-env has-dot

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when a requirements file changed.
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

run: free-port install demo-env
	mkdir -p var
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py generate_signing_key --if-missing
	$(BIN)/python manage.py seed_demo --password "$(DEMO_PASSWORD)"
	@echo "Serving on http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/, password: $(DEMO_PASSWORD))"
	@echo "Beside it: the task worker (mail) and the scheduler (periodic tasks); Ctrl-C stops all three."
	@$(BIN)/python manage.py db_worker --interval 1 & worker=$$!; \
	  $(BIN)/python manage.py run_scheduler & scheduler=$$!; \
	  trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Before anything else: a port already served (an earlier `make run`, say) would only fail at the end.
free-port:
	@case "$(PORT)" in ''|*[!0-9]*) echo "PORT must be a port number, not '$(PORT)'." >&2; exit 2 ;; esac
	@$(PYTHON) -c 'import socket, sys; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", int(sys.argv[1])))' $(PORT) 2>/dev/null \
	  || { echo "Port $(PORT) on 127.0.0.1 is already in use (is the demo running already?): stop what serves there, or choose another port: PORT=8080 make run" >&2; exit 2; }

# The demo's settings in .env, which manage.py reads too: `.venv/bin/python manage.py ...` then
# runs as under make. A .env of your own (without the first line) is left alone.
demo-env:
	@if [ ! -e .env ] || [ "$$(head -n 1 .env)" = "$(DOTENV_MARK)" ]; then \
	  printf '%s\n' "$(DOTENV_MARK)" \
	    "# (each run writes it again while the line above is first: delete that line to keep your changes)." \
	    "# manage.py reads it too; every setting is described in .env.example." \
	    "DEBUG=true" "PUBLIC_BASE_URL=$(PUBLIC_BASE_URL)" > .env; \
	else echo "Keeping your .env (it does not start with the line make run writes)."; fi

# The suite runs in one pytest-xdist worker per idle core, in one process when fewer than two are
# idle (tests/conftest.py); PYTEST_XDIST_AUTO_NUM_WORKERS=N for N workers.
# PYTEST_ARGS picks a subset or adds options: PYTEST_ARGS=tests/test_lookup.py, PYTEST_ARGS="-n 2 ..."
# The browser tests run in a second, serial pytest of their own: after the rest of the suite in
# the same process, a browser test could wait forever for Chromium. Either run failing fails make.
test: install
ifeq ($(strip $(PYTEST_ARGS)),)
	$(BIN)/python -m pytest -n auto --ignore=tests/browser
	$(BIN)/python -m pytest tests/browser
else
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)
endif

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy .

# The state machine picture in the README, with the English state names; Graphviz's dot draws it.
# Python's hash seed is fixed so that the same workflow gives the same picture.
docs: has-dot install
	mkdir -p var
	PYTHONHASHSEED=0 $(BIN)/python -m docs.workflow > var/application-workflow.dot
	dot -Tsvg var/application-workflow.dot -o docs/application-workflow.svg
	PYTHONHASHSEED=0 $(BIN)/python -m docs.label_life > var/label-life.dot
	dot -Tsvg var/label-life.dot -o docs/label-life.svg

has-dot:
	@command -v dot > /dev/null || { echo "make docs draws the picture with Graphviz's dot, which is not installed: apt-get install graphviz (brew install graphviz on a Mac)." >&2; exit 2; }

# Refresh the Dutch and French catalogues after changing texts: translate the new (empty)
# entries in locale/*/LC_MESSAGES/django.po, then `make messages` again to compile them.
# A test fails while any entry is untranslated or fuzzy.
messages: install
	$(BIN)/python manage.py makemessages -l nl -l fr --ignore=.venv --ignore=bench --ignore=tests --ignore=locale --no-location --no-wrap
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var
