# ZI Portal: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
DEV_ENV := DEBUG=true

.PHONY: install migrate demo run worker test lint format typecheck pytest clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv
	$(BIN)/uv pip install -q --python $(BIN)/python -r pyproject.toml --extra dev
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput

demo: migrate
	$(DEV_ENV) $(BIN)/python manage.py create_dev_certificate
	$(DEV_ENV) $(BIN)/python manage.py load_demo

run: demo
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# A real Celery worker; needs REDIS_URL (e.g. redis://127.0.0.1:6379/0).
worker: install
	@test -n "$$REDIS_URL" || (echo "REDIS_URL belum diisi: worker memerlukan Redis." && exit 2)
	$(DEV_ENV) $(BIN)/celery -A zi_portal worker -l info

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: install
	$(BIN)/mypy .

pytest: install
	$(BIN)/python -m pytest

test: lint typecheck pytest

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

# Performance benchmark (docs/performance.md): builds var/bench databases once, writes
# bench/results/latest.{json,md}. BENCH_DATABASE_URL=postgres://.../zi_bench for PostgreSQL.
.PHONY: bench
bench: install
	$(BIN)/python -m bench.run $(if $(BENCH_DATABASE_URL),--database=$(BENCH_DATABASE_URL)) $(BENCH_ARGS)
