"""The one reader of okrdash's configuration: environment variables first, then `.streamlit/secrets.toml`.

Every setting has an `OKRDASH_…` name. Set it in the environment (systemd, Kubernetes, a shell) or as a top-level
key of `.streamlit/secrets.toml` (beside app.py, in the working directory, or in ~/.streamlit/): Streamlit copies
top-level secrets into the environment of the app, and the command line (`python -m okrdash …`) reads the same
files here, so both see one configuration. An empty value counts as unset. The README lists every setting.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import secrets
import tomllib
import zoneinfo
from pathlib import Path
from urllib.parse import urlsplit

from okrdash.errors import OkrError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASE_URL = "http://localhost:8501"


class ConfigError(OkrError):
    """A setting is missing or malformed; the message names it and says how to fix it."""


def secrets_files() -> list[Path]:
    """Where secrets.toml may be, the first found winning per key (Streamlit's own places, plus beside app.py)."""
    places = [Path.cwd() / ".streamlit" / "secrets.toml", ROOT / ".streamlit" / "secrets.toml",
              Path.home() / ".streamlit" / "secrets.toml"]
    return list(dict.fromkeys(p for p in places if p.is_file()))


_parsed: dict[Path, tuple[float, dict]] = {}


def _file_values(path: Path) -> dict:
    stamp = path.stat().st_mtime
    cached = _parsed.get(path)
    if cached is None or cached[0] != stamp:
        try:
            values = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise ConfigError(f"{path} is not valid TOML ({error}); fix the file or remove it.") from error
        cached = _parsed[path] = (stamp, values)
    return cached[1]


def get(name: str, default: str | None = None) -> str | None:
    """The setting `name`: the environment, else a top-level key of secrets.toml, else `default`."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    for path in secrets_files():
        found = _file_values(path).get(name)
        if isinstance(found, str | int | float) and not isinstance(found, bool) and str(found).strip():
            return str(found).strip()
    return default


def number(name: str, default: float, low: float, high: float) -> float:
    """A numeric setting within [low, high]."""
    raw = get(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, not “{raw}”.") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must lie between {low:g} and {high:g}; it is {value:g}.")
    return value


# ---- logging ----

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


@functools.cache  # app.py calls it on every script run; the environment and secrets are read once per process
def configure_logging() -> None:
    """Send okrdash's own log lines (the `okrdash.*` loggers) to stderr at OKRDASH_LOG_LEVEL, once per process.
    Unset, nothing is configured: warnings and errors still reach stderr through Python's last-resort handler."""
    try:
        level = (get("OKRDASH_LOG_LEVEL") or "").upper()
    except ConfigError:  # a broken secrets.toml: the settings that matter say so where they are read
        return
    if not level:
        return
    logger = logging.getLogger("okrdash")
    wrong = level not in LOG_LEVELS  # a typo here must not stop the app: say so in the log it was meant for
    logger.setLevel("WARNING" if wrong else level)
    if not any(getattr(handler, "okrdash", False) for handler in logger.handlers):
        handler = logging.StreamHandler()
        handler.okrdash = True  # one handler, however many script runs call this
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"))
        logger.addHandler(handler)
        if wrong:
            logger.warning("OKRDASH_LOG_LEVEL must be one of %s, not “%s”; logging warnings only.",
                           ", ".join(LOG_LEVELS), level)


# ---- time zone ----

def _server_zone() -> str:
    """The IANA name of the server's own zone when it can be found (TZ, /etc/timezone, /etc/localtime), else UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    timezone_file = Path("/etc/timezone")
    if timezone_file.is_file():
        candidates.append(timezone_file.read_text(encoding="utf-8").strip())
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "/zoneinfo/" in target:
            candidates.append(target.split("/zoneinfo/", 1)[1])
    for name in candidates:
        if name:
            try:
                zoneinfo.ZoneInfo(name)
                return name
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                continue
    return "UTC"


def timezone_name() -> str:
    """OKRDASH_TIMEZONE, else the server's zone. okrdash stores times as wall-clock times of this zone."""
    name = get("OKRDASH_TIMEZONE") or _server_zone()
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"OKRDASH_TIMEZONE “{name}” is not a time zone; use an IANA name such as "
                          "Europe/Berlin or America/New_York.") from None
    return name


def timezone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(timezone_name())


def local_now(now: dt.datetime | None = None) -> dt.datetime:
    """`now` (naive: already the organisation's wall clock), else this instant in the organisation's zone, naive
    and to the second, as okrdash stores times."""
    if now is not None:
        return now.astimezone(timezone()).replace(tzinfo=None) if now.tzinfo else now
    return dt.datetime.now(timezone()).replace(tzinfo=None, microsecond=0)


# ---- links ----

def base_url() -> str:
    """OKRDASH_BASE_URL without a trailing slash: where people open the app (deep links in messages)."""
    url = (get("OKRDASH_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ConfigError(f"OKRDASH_BASE_URL “{url}” is not the address of the app; write it like "
                          "https://okr.example.com (optionally with a path).")
    return url


def base_url_is_default() -> bool:
    return get("OKRDASH_BASE_URL") is None


# ---- the signing secret ----

def secret_key() -> bytes:
    """OKRDASH_SECRET_KEY, else a random key kept in a file beside the database (made on first use, readable by
    this user only). Several machines that share one PostgreSQL database must set OKRDASH_SECRET_KEY."""
    configured = get("OKRDASH_SECRET_KEY")
    if configured:
        if len(configured) < 16:
            raise ConfigError("OKRDASH_SECRET_KEY is too short: use at least 16 random characters, e.g. "
                              "python -c \"import secrets; print(secrets.token_urlsafe(32))\".")
        return configured.encode()
    from okrdash import db  # late import: reading settings needs no database

    if db.database_url():  # replicas on several machines must sign alike, and nothing goes beside a DuckDB file
        raise ConfigError("Set OKRDASH_SECRET_KEY (at least 16 random characters, the same for every app process) "
                          "when okrdash stores its data in PostgreSQL (OKRDASH_DATABASE_URL).")
    path = db.database_path().with_suffix(".secret")
    if not path.is_file():
        # Written whole under a temporary name, then linked into place: two processes starting together agree on
        # one key (the second link fails and that process reads the first one's file).
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_urlsafe(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text(encoding="utf-8").strip().encode()
