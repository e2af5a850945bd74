"""Settings from environment variables, with safe local defaults.

Production mode (``VEIVISER_ENV=production``) refuses to start with a default where a secret
or a real database is needed, so a forgotten variable is a start-up error, not a silent risk.
"""
from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = REPO_ROOT / "var" / "veiviser.db"
DEFAULT_KE_INBOX = REPO_ROOT / "var" / "ke-inbox"
#: Where the family's receipts are written when there is no SMTP server (delivery "folder", development).
DEFAULT_RECEIPT_DIR = REPO_ROOT / "var" / "receipts"
DEFAULT_FONT_DIR = REPO_ROOT / "var" / "fonts"


class ConfigError(RuntimeError):
    """A setting is missing or invalid; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    env: str
    database_url: str
    #: Rasa replicas; the chat proxy pins each conversation to one and fails over to the next.
    rasa_urls: tuple[str, ...]
    timezone: str
    default_language: str
    web_host: str
    web_port: int
    # Applications (issue 4): encryption at rest, retention, and delivery to the coordinating unit.
    encryption_key: str | None = None
    retention_days: int = 180
    delivery: str = "folder"  # "folder" (a local KE inbox) or "smtp"
    ke_inbox_dir: Path = DEFAULT_KE_INBOX
    receipt_dir: Path = DEFAULT_RECEIPT_DIR
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_sender: str = "veiviser@localhost"
    smtp_recipient: str = "ke-inbox@localhost"
    smtp_starttls: bool = True
    smtp_user: str | None = None
    smtp_password: str | None = None
    font_dir: Path = DEFAULT_FONT_DIR
    outbox_interval_seconds: int = 5
    #: How long the chat proxy waits for Rasa before it answers with the phone number itself, so a
    #: family always has a reply within five seconds, even when Rasa or the action server hangs.
    rasa_timeout_seconds: float = 4.0
    #: Chat messages one client (an address) may send in a minute (a library's families share one).
    chat_limit_per_client: int = 300
    #: How long questions the assistant could not answer are kept for editors (redacted).
    unanswered_retention_days: int = 90
    #: How long the per-turn counts behind the staff's figures are kept (no text, no sender id).
    insight_retention_days: int = 400
    #: A conversation idle this long is deleted with everything the family wrote in it.
    conversation_retention_hours: int = 24
    #: Rasa's lock store (required with more than one replica: one conversation, one turn at a time).
    redis_url: str | None = None
    #: Reverse proxies whose X-Forwarded-For names the client (the throttles count clients).
    trusted_proxies: frozenset[str] = frozenset()

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
    web_port = _integer(env, "VEIVISER_WEB_PORT", 8000)
    encryption_key = env.get("VEIVISER_ENCRYPTION_KEY") or None
    if mode == "production" and not encryption_key:
        raise ConfigError("VEIVISER_ENCRYPTION_KEY must be set in production (create one with `python -m knowledge key`)")
    delivery = env.get("VEIVISER_DELIVERY", "folder")
    if delivery not in ("folder", "smtp"):
        raise ConfigError("VEIVISER_DELIVERY must be folder or smtp")
    if mode == "production" and delivery == "smtp" and not env.get("VEIVISER_SMTP_HOST"):
        raise ConfigError("VEIVISER_SMTP_HOST must be set in production when VEIVISER_DELIVERY is smtp")
    retention_days = _integer(env, "VEIVISER_RETENTION_DAYS", 180)
    if retention_days < 1:
        raise ConfigError("VEIVISER_RETENTION_DAYS must be at least 1")
    rasa_urls = _urls(env.get("VEIVISER_RASA_URLS", "http://127.0.0.1:5005"), "VEIVISER_RASA_URLS")
    redis_url = env.get("VEIVISER_REDIS_URL") or None
    if len(rasa_urls) > 1 and not redis_url:
        raise ConfigError("VEIVISER_REDIS_URL must be set when VEIVISER_RASA_URLS lists more than one replica "
                          "(the replicas share their conversation locks there)")
    if redis_url and not redis_url.startswith(("redis://", "rediss://")):
        raise ConfigError("VEIVISER_REDIS_URL must be a redis:// or rediss:// URL")
    return Settings(
        env=mode,
        database_url=database_url,
        rasa_urls=rasa_urls,
        timezone=env.get("VEIVISER_TIMEZONE", "Europe/Oslo"),
        default_language=default_language,
        web_host=env.get("VEIVISER_WEB_HOST", "127.0.0.1"),
        web_port=web_port,
        encryption_key=encryption_key,
        retention_days=retention_days,
        delivery=delivery,
        ke_inbox_dir=Path(env.get("VEIVISER_KE_INBOX", str(DEFAULT_KE_INBOX))),
        receipt_dir=Path(env.get("VEIVISER_RECEIPT_DIR", str(DEFAULT_RECEIPT_DIR))),
        smtp_host=env.get("VEIVISER_SMTP_HOST", "127.0.0.1"),
        smtp_port=_integer(env, "VEIVISER_SMTP_PORT", 25),
        smtp_sender=env.get("VEIVISER_SMTP_SENDER", "veiviser@localhost"),
        smtp_recipient=env.get("VEIVISER_SMTP_RECIPIENT", "ke-inbox@localhost"),
        smtp_starttls=env.get("VEIVISER_SMTP_STARTTLS", "true").lower() in ("1", "true", "yes"),
        smtp_user=env.get("VEIVISER_SMTP_USER") or None,
        smtp_password=env.get("VEIVISER_SMTP_PASSWORD") or None,
        font_dir=Path(env.get("VEIVISER_FONT_DIR", str(DEFAULT_FONT_DIR))),
        outbox_interval_seconds=max(1, _integer(env, "VEIVISER_OUTBOX_INTERVAL", 5)),
        rasa_timeout_seconds=_seconds(env, "VEIVISER_RASA_TIMEOUT", 4.0),
        chat_limit_per_client=max(1, _integer(env, "VEIVISER_CHAT_LIMIT_PER_CLIENT", 300)),
        unanswered_retention_days=max(1, _integer(env, "VEIVISER_UNANSWERED_RETENTION_DAYS", 90)),
        insight_retention_days=max(1, _integer(env, "VEIVISER_INSIGHT_RETENTION_DAYS", 400)),
        conversation_retention_hours=max(1, _integer(env, "VEIVISER_CONVERSATION_RETENTION_HOURS", 24)),
        redis_url=redis_url,
        trusted_proxies=_addresses(env.get("VEIVISER_TRUSTED_PROXIES", ""), "VEIVISER_TRUSTED_PROXIES"),
    )


def _addresses(value: str, name: str) -> frozenset[str]:
    try:
        return frozenset(str(ipaddress.ip_address(part.strip())) for part in value.split(",") if part.strip())
    except ValueError as exc:
        raise ConfigError(f"{name} must list IP addresses, separated by commas") from exc


def _urls(value: str, name: str) -> tuple[str, ...]:
    urls = tuple(url.strip().rstrip("/") for url in value.split(",") if url.strip())
    if not urls or not all(url.startswith(("http://", "https://")) for url in urls):
        raise ConfigError(f"{name} must list one or more http:// URLs, separated by commas")
    if len(set(urls)) != len(urls):
        raise ConfigError(f"{name} lists a URL twice")
    return urls


def _seconds(env: dict[str, str], name: str, default: float) -> float:
    try:
        value = float(env.get(name, str(default)))
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number of seconds") from exc
    if not 0.1 <= value <= 600:
        raise ConfigError(f"{name} must be between 0.1 and 600 seconds")
    return value


def _integer(env: dict[str, str], name: str, default: int) -> int:
    try:
        return int(env.get(name, str(default)))
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number") from exc
