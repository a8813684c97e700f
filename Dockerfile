# syntax=docker/dockerfile:1
# Daybook: two stages. The builder resolves dependencies from uv.lock in a layer of its own, so a
# source change rebuilds only the last layers; the runtime image has no uv and no compiler.

FROM python:3.11-slim AS builder

ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN pip install --no-cache-dir uv==0.13.8

WORKDIR /app

# Dependencies first: this layer is reused until pyproject.toml or uv.lock changes. Production
# only: no dev group and no extra but `postgres` (asyncpg, so a postgresql+asyncpg:// database
# URL works), so no simcord (the `demo` extra); .dockerignore leaves out bot/demo too.
# tests/test_packaging.py keeps it that way.
COPY pyproject.toml uv.lock LICENSE ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --extra postgres --no-install-project

# Then the project itself.
COPY bot ./bot
COPY cogs ./cogs
COPY storage ./storage
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --extra postgres


FROM python:3.11-slim AS runtime

# Fonts for members' names in charts: Chinese, Japanese and Korean (fonts-noto-cjk, about 90 MB
# installed) and emoji (fonts-symbola, in outline: matplotlib cannot draw colour emoji fonts).
# Shipped here, never downloaded at run time; without them names still draw, as boxes.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk fonts-symbola \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 daybook \
    && useradd --system --uid 10001 --gid daybook --home-dir /app --no-create-home daybook \
    && mkdir -p /data \
    && chown daybook:daybook /data

WORKDIR /app
COPY --from=builder --chown=daybook:daybook /app /app

ENV PATH="/app/.venv/bin:$PATH" \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MPLBACKEND=Agg \
    MPLCONFIGDIR=/tmp/matplotlib \
    DAYBOOK_DATABASE_URL=sqlite+aiosqlite:////data/daybook.db

USER daybook
VOLUME /data

# `daybook health` reads this process's heartbeat from the database (the same settings find the
# same row): healthy while the scheduler ticked within 3 minutes and every shard of the process
# is connected to Discord. It exits 0 or 1 with one line, which `docker inspect` shows.
# - interval 60s: the scheduler beats twice a minute. A check is a Python start and one read:
#   about 0.1 CPU-seconds on a SQLite file (bot/health.py's quick path), 0.85 on PostgreSQL
#   (its settings and SQLAlchemy imported); once a minute keeps either far below 1% of a core.
# - timeout 10s: one row from SQLite or PostgreSQL takes milliseconds; 10 s is a database hung.
# - retries 3: unhealthy after three failures in a row, about 3 minutes past the check's limits.
# - start-period 5m: a starting process is unhealthy until all its shards are connected, and
#   each shard waits its turn to log in (about 5 s a shard where Discord allows one at a time),
#   after the migrations and the command sync: 5 minutes leaves room for some 40 shards in one
#   process. Failures in that period do not count; the first success ends it.
HEALTHCHECK --interval=60s --timeout=10s --start-period=5m --retries=3 \
    CMD ["daybook", "health"]

# `daybook run` exits 0 when it stops for good (a refused token: a restart cannot mend it) and
# non-zero when a restart may help: run it with `--restart on-failure` (README: Docker).
CMD ["daybook", "run"]
