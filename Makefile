# ZI Portal: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock | cksum | cut -d' ' -f1)
DEV_ENV := DEBUG=true
PORT ?= 8000

.PHONY: install lock migrate demo run worker test lint format typecheck migrations-check pytest clean

# Installs exactly the versions (and hashes) of requirements.lock, so `make run`, `make test`
# and .ci/run get the same packages every time. `make lock` rewrites it from pyproject.toml.
$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv
	$(BIN)/uv pip install -q --python $(BIN)/python --require-hashes -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

lock:
	test -x $(BIN)/uv || (test -x $(BIN)/python || $(PYTHON) -m venv $(VENV); $(BIN)/python -m pip install -q uv)
	$(BIN)/uv pip compile -q pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

install: $(STAMP)

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput

demo: migrate
	$(DEV_ENV) $(BIN)/python manage.py create_dev_certificate --tpi
	# The demo rencana kerja is signed now, outside a request: its QR code links to the
	# port `make run` serves (ZI_PUBLIC_BASE_URL is set for this command only).
	$(DEV_ENV) ZI_PUBLIC_BASE_URL=http://127.0.0.1:$(PORT) $(BIN)/python manage.py load_demo

run: demo
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# A real Celery worker; needs REDIS_URL (e.g. redis://127.0.0.1:6379/0).
worker: install
	@test -n "$$REDIS_URL" || (echo "REDIS_URL belum diisi: worker memerlukan Redis." && exit 2)
	$(DEV_ENV) $(BIN)/celery -A zi_portal worker -l info

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: install
	$(BIN)/mypy .

# Every model change has its migration.
migrations-check: install
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

pytest: install
	$(BIN)/python -m pytest

test: lint typecheck migrations-check pytest

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

# Performance benchmark (docs/performance.md): builds var/bench databases once, writes
# bench/results/latest.{json,md}. BENCH_DATABASE_URL=postgres://.../zi_bench for PostgreSQL.
.PHONY: bench
bench: install
	$(BIN)/python -m bench.run $(if $(BENCH_DATABASE_URL),--database=$(BENCH_DATABASE_URL)) $(BENCH_ARGS)
