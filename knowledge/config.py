"""Settings from environment variables, with safe local defaults.

Production mode (``VEIVISER_ENV=production``) refuses to start with a default where a secret
or a real database is needed, so a forgotten variable is a start-up error, not a silent risk.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = REPO_ROOT / "var" / "veiviser.db"


class ConfigError(RuntimeError):
    """A setting is missing or invalid; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    env: str
    database_url: str
    rasa_url: str
    timezone: str
    default_language: str
    web_host: str
    web_port: int

    @property
    def production(self) -> bool:
        return self.env == "production"


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read settings; in production every required value must be set explicitly."""
    env = dict(os.environ if environ is None else environ)
    mode = env.get("VEIVISER_ENV", "development")
    if mode not in ("development", "test", "production"):
        raise ConfigError(f"VEIVISER_ENV must be development, test or production, not {mode!r}")
    database_url = env.get("VEIVISER_DATABASE_URL")
    if not database_url:
        if mode == "production":
            raise ConfigError("VEIVISER_DATABASE_URL must be set in production")
        database_url = f"sqlite:///{DEFAULT_SQLITE_PATH}"
    default_language = env.get("VEIVISER_DEFAULT_LANGUAGE", "nb")
    if default_language not in ("nb", "en", "ar", "ti"):
        raise ConfigError("VEIVISER_DEFAULT_LANGUAGE must be one of nb, en, ar, ti")
    try:
        web_port = int(env.get("VEIVISER_WEB_PORT", "8000"))
    except ValueError as exc:
        raise ConfigError("VEIVISER_WEB_PORT must be a number") from exc
    return Settings(
        env=mode,
        database_url=database_url,
        rasa_url=env.get("VEIVISER_RASA_URL", "http://127.0.0.1:5005").rstrip("/"),
        timezone=env.get("VEIVISER_TIMEZONE", "Europe/Oslo"),
        default_language=default_language,
        web_host=env.get("VEIVISER_WEB_HOST", "127.0.0.1"),
        web_port=web_port,
    )
