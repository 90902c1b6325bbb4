# make run   — install into .venv (first time) and start the app on http://localhost:8501
# make test  — install into .venv (first time) and run every test (unit, AppTest, browser)
# make test-quick — unit and AppTest tests without the slow ones
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test test-fast test-quick bench install browser-deps clean

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) -m streamlit run app.py --server.headless true

test: $(STAMP)
	$(PY) -m pytest -q

test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not browser"

# While editing: skips the browser and every test marked slow (each takes more than ~4 s).
test-quick: $(STAMP)
	$(PY) -m pytest -q -m "not browser and not slow"

bench: $(STAMP)
	$(PY) -m bench.train_mnist
	$(PY) -m bench.page_latency

# Debian's Chromium and a CJK font for the browser tests (needs root; .ci/run calls this).
browser-deps:
	command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk)

clean:
	rm -rf $(VENV) .pytest_cache .cache
