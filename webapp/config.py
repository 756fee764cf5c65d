"""Settings, read from the environment. Production refuses to start without a secret."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The most colleagues a people picker lists before anyone is chosen or searched
# (webapp/orgs/picker.py); the setting PICKER_LIMIT changes it.
PICKER_LIMIT = 120


def _default_database_url() -> str:
    instance = ROOT / "instance"
    instance.mkdir(exist_ok=True)
    return f"sqlite:///{instance / 'kizuki.db'}"


def _normalise_database_url(url: str) -> str:
    # Managed platforms hand out postgres:// URLs; SQLAlchemy wants the psycopg 3 driver named.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def from_environment() -> dict[str, object]:
    """Build the Flask config mapping from environment variables."""
    env = os.environ
    environment = env.get("KIZUKI_ENV", "development")
    production = environment == "production"
    secret = env.get("SECRET_KEY")
    if production and not secret:
        raise RuntimeError("SECRET_KEY must be set when KIZUKI_ENV=production")
    redis_url = env.get("REDIS_URL")
    database_url = _normalise_database_url(env.get("DATABASE_URL") or _default_database_url())
    return {
        "KIZUKI_ENV": environment,
        "SECRET_KEY": secret or "dev-only-not-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "DATABASE_CONNECT_TIMEOUT": int(env.get("DATABASE_CONNECT_TIMEOUT", "5")),
        # Connections per web process: one per gunicorn thread, and a few for jobs and bursts.
        "DATABASE_POOL_SIZE": int(env.get("DATABASE_POOL_SIZE", "5")),
        "DATABASE_MAX_OVERFLOW": int(env.get("DATABASE_MAX_OVERFLOW", "5")),
        # Behind PgBouncer in transaction mode: no server-side prepared statements.
        "DATABASE_PGBOUNCER": env.get("DATABASE_PGBOUNCER", "0") == "1",
        "SQLITE_BUSY_TIMEOUT_MS": int(env.get("SQLITE_BUSY_TIMEOUT_MS", "10000")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        # Several deployments (or test runs) may share one Redis: each keeps its own counters.
        "RATELIMIT_KEY_PREFIX": env.get("RATELIMIT_KEY_PREFIX", ""),
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_LOGIN": env.get("RATELIMIT_LOGIN", "10 per minute"),
        # Failed sign-ins per account (whatever the address), so spreading guesses over many
        # addresses does not help; an unknown address is limited the same way.
        "RATELIMIT_LOGIN_ACCOUNT": env.get("RATELIMIT_LOGIN_ACCOUNT", "20 per hour"),
        # How many proxies in front of the app add X-Forwarded-For (0: trust none).
        "TRUSTED_PROXIES": _whole_number(env.get("TRUSTED_PROXIES", "0")),
        # Self-service sign-up (a new organisation per visitor) is off unless asked for.
        "OPEN_SIGNUP": env.get("KIZUKI_OPEN_SIGNUP", "0") == "1",
        "RATELIMIT_SIGNUP": env.get("RATELIMIT_SIGNUP", "5 per hour"),
        "REDIS_URL": redis_url,
        # Computed values keyed so that they never go stale (webapp/cache.py): in Redis when
        # there is one, shared by every process; else in each process's memory.
        "CACHE_TYPE": env.get("CACHE_TYPE") or ("RedisCache" if redis_url else "SimpleCache"),
        "CACHE_REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": env.get("CACHE_KEY_PREFIX", "kizuki:"),
        "CACHE_DEFAULT_TIMEOUT": 3600,
        "CACHE_THRESHOLD": 2000,  # entries kept in memory per process, without Redis
        # Background jobs: `rq` with Redis, else `threads` in this process (see webapp/jobs.py).
        "JOBS_MODE": env.get("JOBS_MODE") or ("rq" if redis_url else "threads"),
        "JOBS_THREADS": int(env.get("JOBS_THREADS", "2")),
        "JOBS_QUEUE": env.get("JOBS_QUEUE", "kizuki"),
        # Whose code may run as a job (dotted package names); the tests add their own.
        "JOBS_PACKAGES": tuple(env.get("JOBS_PACKAGES", "webapp").split(",")),
        # Periodic jobs (held pushes, the Monday note) in this process when there is no worker.
        "JOBS_SCHEDULER": env.get("JOBS_SCHEDULER", "1") == "1",
        "BABEL_DEFAULT_LOCALE": env.get("DEFAULT_LOCALE", "en"),
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "LANGUAGES": ["en", "nl"],
        "WTF_CSRF_TIME_LIMIT": None,
        # The most colleagues a people picker lists before a search (webapp/orgs/picker.py).
        "PICKER_LIMIT": int(env.get("PICKER_LIMIT", str(PICKER_LIMIT))),
        "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
        **_mail_settings(env),
        "VAPID_PUBLIC_KEY": env.get("VAPID_PUBLIC_KEY"),
        "VAPID_PRIVATE_KEY": env.get("VAPID_PRIVATE_KEY"),
        "VAPID_SUBJECT": env.get("VAPID_SUBJECT", "mailto:admin@example.com"),
        "APP_VERSION": env.get("APP_VERSION") or _source_version(),
        "API_TITLE": "Kizuki API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
    }


def _whole_number(value: str) -> int:
    value = value.strip()
    if not value.isdigit():
        raise RuntimeError("TRUSTED_PROXIES must be a whole number of proxies, such as 1")
    return int(value)


def _mail_settings(env: Mapping[str, str]) -> dict[str, object]:
    """SMTP for "Forgot password?" e-mails; without MAIL_SERVER and MAIL_FROM none are sent."""
    port = env.get("MAIL_PORT", "").strip()
    return {
        "MAIL_SERVER": env.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(port) if port.isdigit() else 587,
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_FROM": env.get("MAIL_FROM") or None,
        # "starttls" (default), "ssl" (port 465) or "none" (a relay on localhost only).
        "MAIL_SECURITY": _mail_security(env.get("MAIL_SECURITY", ""), port),
        # Links in e-mails use this address, never the request's Host header (which a
        # caller chooses); e.g. https://kizuki.example.com
        "PUBLIC_URL": (env.get("PUBLIC_URL") or "").rstrip("/") or None,
        # Tests send inline; a server hands the SMTP conversation to a thread.
        "MAIL_BACKGROUND": True,
    }


def _mail_security(value: str, port: str) -> str:
    # Anything unknown falls back to encrypting: a typo never sends a password in the clear.
    chosen = value.strip().lower()
    if chosen in ("starttls", "ssl", "none"):
        return chosen
    return "ssl" if port == "465" else "starttls"


def _source_version() -> str:
    """A version that changes with every deploy: the git commit, else the package version."""
    head = ROOT / ".git" / "HEAD"
    try:
        ref = head.read_text().strip()
        if ref.startswith("ref: "):
            ref_path = ROOT / ".git" / ref[5:]
            if ref_path.exists():
                return ref_path.read_text().strip()[:12]
            packed = ROOT / ".git" / "packed-refs"
            for line in packed.read_text().splitlines():
                if line.endswith(ref[5:]):
                    return line.split()[0][:12]
            return "dev"
        return ref[:12]
    except OSError:
        return "dev"
