# ConvLab: `make demo` and `make test` work on a fresh machine (they create .venv when missing).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | md5sum | cut -c1-12)
# Every folder of source/ is an assignment.
ASSIGNMENTS := $(sort $(notdir $(wildcard source/*)))
export PYTHONPATH := $(CURDIR)
# nbgrader runs `alembic` from PATH to create the gradebook.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export TF_CPP_MIN_LOG_LEVEL := 2
# TensorFlow 2.21's oneDNN kernels miscompute some strided convolutions (see convlab/settings.py).
export TF_ENABLE_ONEDNN_OPTS := 0

.PHONY: setup sandbox-deps release demo test test-fast lint bench bench-class test-deps sync clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	# The `convlab` command (convlab/cli.py), from this checkout.
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-* && touch $(STAMP)

setup: $(STAMP) sandbox-deps

# Student kernels run in a bubblewrap sandbox (convlab/runtime/sandbox.py); grading refuses to run without it.
sandbox-deps:
	@if ! command -v bwrap >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null; \
	  else \
	    echo "bubblewrap is required to sandbox student kernels: sudo apt-get install bubblewrap" >&2; exit 1; \
	  fi; \
	fi

release: setup
	@for a in $(ASSIGNMENTS); do \
	  $(VENV)/bin/nbgrader generate_assignment $$a --force --log-level=WARN || exit 1; \
	done

demo: release
	$(PY) -m convlab demo $(ASSIGNMENTS)

test: setup hub-deps
	$(PY) -m ruff check .
	$(PY) -m pytest tests -q

test-fast: setup
	$(PY) -m pytest tests -q -m "not slow"

lint: setup
	$(PY) -m ruff check .

# Engine vs bare nbclient on 02_conv1d; then the phase split (kernel start, training cells, checks)
# of the Keras notebook, whose training dominates its grading time.
bench: setup
	$(PY) -m convlab bench 02_conv1d --copies $${N:-10}
	@if [ -d source/05_keras_cnn ]; then $(PY) -m convlab bench 05_keras_cnn --copies $${N05:-1}; fi

# A synthetic class over every released assignment: serial nbgrader vs `convlab batch` (1 and 2 workers).
# The Keras notebooks train two models per submission (about 45 s): N05 and N07 students submit 05 and 07 (default 8).
bench-class: setup
	$(PY) -m convlab bench-class --students $${N:-40} \
	  $$(if [ -d source/05_keras_cnn ]; then echo --students-for 05_keras_cnn=$${N05:-8}; fi) \
	  $$(if [ -d source/06_object_detection ]; then echo --students-for 06_object_detection=$${N06:-4}; fi) \
	  $$(if [ -d source/07_segmentation ]; then echo --students-for 07_segmentation=$${N07:-8}; fi)

# Debian packages for the PostgreSQL and browser tests (needs root). The tests also try this, or skip.
test-deps:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v chromium >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql chromium; fi

sync: setup
	@for a in $(ASSIGNMENTS); do $(PY) -m convlab sync $$a; done

clean:
	rm -rf autograded submitted feedback gradebook.db gradebook.db.lock reports

# --- A class on JupyterHub (README "Running a course on JupyterHub"; run as root) ---------------
.PHONY: hub hub-stop hub-deps
HUB_ROOT ?= /srv/convlab-hub
HUB_PORT ?= 8000
CHP := hub/node_modules/.bin/configurable-http-proxy

# JupyterHub's proxy from npm, at the version hub/package-lock.json pins.
$(CHP): hub/package.json hub/package-lock.json
	@command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	cd hub && npm ci --no-audit --no-fund --loglevel=error
	touch $(CHP)

# The proxy, bubblewrap (the jails and the grading sandbox), and Chromium with its driver for tests/test_hub.py.
hub-deps: setup $(CHP)
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; fi

hub: hub-deps
	PYTHONPATH=$(CURDIR)/hub $(PY) -m convlab_hub start --root $(HUB_ROOT) --port $(HUB_PORT)

hub-stop:
	PYTHONPATH=$(CURDIR)/hub $(PY) -m convlab_hub stop --root $(HUB_ROOT)
