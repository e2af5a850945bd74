"""docker/compose.yml and docker/Dockerfile, checked against the code without Docker.

No Docker engine runs where the tests run, so nothing here builds or starts a container. Instead the
file is read as Compose reads it (YAML with merge keys, ``${VAR:?…}`` / ``${VAR:-…}`` interpolation,
the image's ENV under each service's environment) and held against what the code asks for: the
settings each process requires in production (found in the code, not listed here), the modules and
files the commands name, the variables bot/endpoints.yml reads, which service may be reached from
where, and what the image must contain. Services are recognised by what they run (``python -m
web``, ``actions.server``, ``veiviser_nlu.server``, ``knowledge``), not by their names.
"""
from __future__ import annotations

import dataclasses
import fnmatch
import importlib.util
import re
import shlex
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from cryptography.fernet import Fernet

from knowledge.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "docker"
COMPOSE = DOCKER / "compose.yml"
DOCKERFILE = DOCKER / "Dockerfile"
DOCKERIGNORE = DOCKER / "Dockerfile.dockerignore"
ENDPOINTS = ROOT / "bot" / "endpoints.yml"

#: Where the code of each of our entry points lives (the first part of its ``python -m`` module).
CODE_OF = {
    "web": ("web", "knowledge"),
    "actions": ("actions", "knowledge"),
    "veiviser_nlu": ("bot/veiviser_nlu", "knowledge"),
    "knowledge": ("knowledge",),
}
WEB, ACTIONS, RASA, SETUP = "web", "actions.server", "veiviser_nlu.server", "knowledge"

# -- reading compose as Compose does ---------------------------------------------------------------

#: ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}, ${NAME?message}
INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")
SECRET_NAME = re.compile(r"PASSWORD|TOKEN|SECRET|KEY")


@cache
def dummy(name: str) -> str:
    """A stand-in for a value the operator provides: a real Fernet key for the encryption keys, a
    URL-safe random string (as the README tells operators to make) for everything else."""
    if name == "VEIVISER_ENCRYPTION_KEY":
        return Fernet.generate_key().decode()
    return f"{name.lower().replace('_', '-')}-{Fernet.generate_key().decode()[:24].replace('=', '')}"


def interpolate(value):
    """Compose's interpolation with every required variable set (to a dummy) and every optional
    one unset (so its default applies); ``$$`` is a literal ``$``."""
    if isinstance(value, dict):
        return {key: interpolate(item) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item) for item in value]
    if not isinstance(value, str):
        return value

    def one(match: re.Match) -> str:
        name, operator, rest = match.groups()
        if operator in (":?", "?"):
            return dummy(name)
        if operator in (":-", "-"):
            return rest
        return ""  # a bare ${NAME} that is unset: Compose puts in an empty string (test_interpolation forbids it)

    return INTERPOLATION.sub(one, value.replace("$$", "\0")).replace("\0", "$")


@cache
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def services() -> dict[str, dict]:
    return compose()["services"]


def ours(service: dict) -> bool:
    """Built from our Dockerfile (paths in compose are relative to docker/)."""
    build = service.get("build")
    if isinstance(build, str):
        build = {"context": build}
    if not isinstance(build, dict):
        return False
    context = DOCKER / str(build.get("context", "."))
    return (context / str(build.get("dockerfile", "Dockerfile"))).resolve() == DOCKERFILE.resolve()


def command(service: dict) -> list[str]:
    value = service.get("command") or []
    return shlex.split(value) if isinstance(value, str) else [str(part) for part in value]


def module(service: dict) -> str | None:
    """The module of ``python -m MODULE …``, or None."""
    parts = command(service)
    if len(parts) >= 3 and parts[0] in ("python", "python3") and parts[1] == "-m":
        return parts[2]
    if ours(service) and not parts:
        return dockerfile_cmd_module()
    return None


def argument(service: dict, flag: str) -> str | None:
    parts = command(service)
    return parts[parts.index(flag) + 1] if flag in parts[:-1] else None


def running(module_name: str) -> dict[str, dict]:
    return {name: service for name, service in services().items() if module(service) == module_name}


def environment(service: dict) -> dict[str, str]:
    """What the process sees: the image's ENV (for our image), then the service's environment."""
    env: dict[str, str] = dict(dockerfile_env()) if ours(service) else {}
    declared = service.get("environment") or {}
    if isinstance(declared, list):
        declared = dict(item.split("=", 1) if "=" in item else (item, "") for item in declared)
    env.update({key: "" if value is None else str(value) for key, value in interpolate(declared).items()})
    return env


def networks(service: dict) -> set[str]:
    declared = service.get("networks")
    if declared is None:
        return {"default"}
    return set(declared) if isinstance(declared, (list, dict)) else {str(declared)}


def internal_networks() -> set[str]:
    return {name for name, network in (compose().get("networks") or {}).items() if (network or {}).get("internal")}


def one_off(name: str, service: dict) -> bool:
    """Runs to completion (migrations): others wait for it to have completed successfully."""
    awaited = any((dependency or {}).get("condition") == "service_completed_successfully"
                  for other in services().values() if isinstance(other.get("depends_on"), dict)
                  for dependency_name, dependency in other["depends_on"].items() if dependency_name == name)
    return awaited or str(service.get("restart", "")) == "no"


# -- reading the Dockerfile ------------------------------------------------------------------------

@cache
def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments left out."""
    instructions, pending = [], ""
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        pending += line.rstrip()
        if pending.endswith("\\"):
            pending = pending[:-1] + " "
            continue
        keyword, _, rest = pending.strip().partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
        pending = ""
    return instructions


@cache
def dockerfile_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for keyword, rest in dockerfile():
        if keyword == "ENV":
            env.update(part.split("=", 1) for part in shlex.split(rest) if "=" in part)
    return env


def dockerfile_cmd_module() -> str | None:
    for keyword, rest in reversed(dockerfile()):
        if keyword == "CMD":
            parts = yaml.safe_load(rest) if rest.startswith("[") else shlex.split(rest)
            return parts[2] if parts[:2] == ["python", "-m"] else None
    return None


def copied() -> set[str]:
    """Repository paths the Dockerfile copies into /app."""
    sources: set[str] = set()
    for keyword, rest in dockerfile():
        if keyword == "COPY":
            parts = [part for part in shlex.split(rest) if not part.startswith("--")]
            sources.update(part.rstrip("/") for part in parts[:-1])
    return sources


def is_copied(path: str) -> bool:
    return any(path == source or path.startswith(source + "/") for source in copied())


def train_arguments() -> list[str]:
    for keyword, rest in dockerfile():
        if keyword == "RUN" and "rasa train" in rest:
            return shlex.split(rest.split("rasa train", 1)[1].split("&&", 1)[0])
    raise AssertionError("the Dockerfile trains no model (a RUN with `rasa train`)")


# -- reading the code ------------------------------------------------------------------------------

CONSTANT = re.compile(r"^([A-Z][A-Z0-9_]*)\s*=\s*[\"'](VEIVISER_[A-Z0-9_]+)[\"']", re.M)
CONFIG_ERROR = re.compile(r"ConfigError\(\s*((?:f?\"[^\"\n]*\"\s*)+)")
LITERAL = re.compile(r"f?\"([^\"\n]*)\"")
MUST_BE_SET = re.compile(r"(VEIVISER_[A-Z0-9_]+) must be set([^.;(]*)")
WHEN_IS = re.compile(r"when (VEIVISER_[A-Z0-9_]+) is (\w+)")
SUBSCRIPT = re.compile(r"environ\[\s*[\"'](VEIVISER_[A-Z0-9_]+)[\"']\s*\]")


@dataclasses.dataclass(frozen=True)
class Requirement:
    variable: str
    where: str
    when: tuple[str, str] | None = None  # (variable, value): required only then
    unparsed_condition: str = ""         # a condition this test cannot read: load_settings decides

    def applies(self, env: dict[str, str]) -> bool:
        if self.unparsed_condition:
            return False
        return self.when is None or env.get(self.when[0]) == self.when[1]


@cache
def requirements(code_root: str) -> tuple[Requirement, ...]:
    """Every VEIVISER_* variable the code under ``code_root`` refuses to start without: the
    ``ConfigError("VEIVISER_X must be set …")`` rules (with ``{CONSTANT}`` resolved and a
    "when VEIVISER_Y is Z" condition read) and ``environ["VEIVISER_X"]`` look-ups."""
    found: list[Requirement] = []
    for path in sorted((ROOT / code_root).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        constants = dict(CONSTANT.findall(source))
        where = str(path.relative_to(ROOT))
        for call in CONFIG_ERROR.finditer(source):
            text = "".join(LITERAL.findall(call.group(1)))
            for name, value in constants.items():
                text = text.replace("{" + name + "}", value)
            for variable, condition in MUST_BE_SET.findall(text):
                if " when " not in f" {condition} ":
                    found.append(Requirement(variable, where))
                elif when := WHEN_IS.search(condition):
                    found.append(Requirement(variable, where, when=(when.group(1), when.group(2))))
                else:
                    found.append(Requirement(variable, where, unparsed_condition=condition.strip()))
        found.extend(Requirement(variable, where) for variable in SUBSCRIPT.findall(source))
    return tuple(found)


def code_roots(module_name: str) -> tuple[str, ...]:
    top = module_name.split(".")[0]
    assert top in CODE_OF, f"`python -m {module_name}`: say in CODE_OF where its code lives"
    return CODE_OF[top]


# -- the tests -------------------------------------------------------------------------------------

def test_compose_parses_and_runs_every_part_of_the_stack():
    assert isinstance(services(), dict) and services()
    assert running(WEB), "no service runs the web app (python -m web)"
    assert len(running(RASA)) >= 2, "two Rasa replicas or more"
    assert len(running(ACTIONS)) >= 2, "an action server per Rasa replica"
    assert any("setup" in command(service) for service in running(SETUP).values()), "no one-off `python -m knowledge setup`"
    images = {str(service.get("image", "")).split(":")[0] for service in services().values()}
    assert {"postgres", "redis"} <= images
    assert not (DOCKER / "endpoints.yml").exists(), "compose uses bot/endpoints.yml from the image; docker/endpoints.yml is gone"


def test_interpolation_never_leaves_a_secret_empty():
    """Every ${…} says what happens when it is unset: required (:?) or a default (:-); a secret
    never has a default other than empty (an optional one, such as earlier keys)."""
    text = "\n".join(line for line in COMPOSE.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#"))
    uses = INTERPOLATION.findall(text.replace("$$", ""))
    assert uses
    for name, operator, rest in uses:
        assert operator, f"${{{name}}} has neither :? nor :- (unset, Compose would put in an empty string)"
        if SECRET_NAME.search(name) and operator in (":-", "-"):
            assert rest == "", f"the secret {name} has a default"
    for name in ("POSTGRES_PASSWORD", "REDIS_PASSWORD", "VEIVISER_ENCRYPTION_KEY", "VEIVISER_ACTION_TOKEN"):
        assert {operator for used, operator, _ in uses if used == name} == {":?"}, f"{name} must be required (:?)"


def test_every_python_module_in_a_command_is_ours_and_exists():
    for name, service in services().items():
        if not ours(service):
            continue
        found = module(service)
        assert found, f"{name}: runs no `python -m MODULE`"
        spec = importlib.util.find_spec(found)
        assert spec is not None and spec.origin, f"{name}: no module {found}"
        assert Path(spec.origin).resolve().is_relative_to(ROOT), f"{name}: {found} is not the repository's"
        assert is_copied(str(Path(spec.origin).resolve().relative_to(ROOT))), f"{name}: the image lacks {found}"


def test_files_named_in_rasa_commands_exist_in_the_repository_and_the_image():
    for name, service in running(RASA).items():
        for flag in ("--endpoints", "--credentials"):
            path = argument(service, flag)
            assert path, f"{name}: no {flag}"
            assert (ROOT / path).is_file(), f"{name}: {flag} {path} is not in the repository"
            assert is_copied(path), f"{name}: {flag} {path} is not copied into the image"
        train = train_arguments()
        trained = f"{train[train.index('--out') + 1]}/{train[train.index('--fixed-model-name') + 1]}.tar.gz"
        assert argument(service, "--model") == trained, f"{name}: runs a model the image does not train ({trained})"


def test_the_image_trains_from_what_it_copies():
    train = train_arguments()
    for flag in ("--config", "--domain"):
        assert is_copied(train[train.index(flag) + 1])
    data = train[train.index("--data") + 1:]
    data = data[:next((i for i, part in enumerate(data) if part.startswith("--")), len(data))]
    assert data and all(is_copied(path) for path in data)


def test_rasa_reads_from_its_environment_every_variable_of_bot_endpoints():
    wanted = set(re.findall(r"\$\{([^}]+)\}", ENDPOINTS.read_text(encoding="utf-8")))
    assert "VEIVISER_ACTION_TOKEN" in wanted
    for name, service in running(RASA).items():
        env = environment(service)
        missing = sorted(variable for variable in wanted if not env.get(variable))
        assert not missing, f"{name} lacks {missing}, which bot/endpoints.yml reads"


def test_bot_endpoints_takes_the_action_server_from_the_environment():
    """Else the per-replica VEIVISER_ACTION_URL is never read, and Rasa calls its own loopback."""
    endpoints = yaml.safe_load(ENDPOINTS.read_text(encoding="utf-8"))
    assert endpoints["action_endpoint"]["url"] == "${VEIVISER_ACTION_URL}"


def test_each_rasa_replica_calls_its_own_action_server_with_its_token():
    action_servers = running(ACTIONS)
    called = []
    for name, service in running(RASA).items():
        env = environment(service)
        url = urlsplit(env.get("VEIVISER_ACTION_URL", ""))
        assert url.hostname in action_servers, f"{name}: VEIVISER_ACTION_URL names no action server ({url.geturl()!r})"
        target = action_servers[url.hostname]
        assert str(url.port) == argument(target, "--port") and url.path == "/webhook", f"{name}: {url.geturl()}"
        assert env["VEIVISER_ACTION_TOKEN"] == environment(target)["VEIVISER_ACTION_TOKEN"]
        called.append(url.hostname)
    assert len(called) == len(set(called)), "two replicas share an action server"


def test_the_web_app_lists_exactly_the_rasa_replicas():
    for name, service in running(WEB).items():
        urls = [urlsplit(url.strip()) for url in environment(service)["VEIVISER_RASA_URLS"].split(",")]
        replicas = running(RASA)
        assert sorted(url.hostname for url in urls) == sorted(replicas), f"{name}: VEIVISER_RASA_URLS"
        for url in urls:
            assert str(url.port) == argument(replicas[url.hostname], "--port")
        assert "VEIVISER_RASA_URL" not in environment(service), "VEIVISER_RASA_URL (singular) is gone"


def test_replicas_share_locks_in_the_redis_service():
    redis = [name for name, service in services().items() if str(service.get("image", "")).startswith("redis")]
    password = argument(services()[redis[0]], "--requirepass")
    assert password is not None
    for name, service in {**running(RASA), **running(WEB)}.items():
        url = urlsplit(environment(service).get("VEIVISER_REDIS_URL", ""))
        assert url.hostname in redis and url.password == interpolate(password), f"{name}: VEIVISER_REDIS_URL"
        assert url.port == 6379


def test_the_database_url_is_the_postgres_service_with_its_credentials():
    postgres = {name: s for name, s in services().items() if str(s.get("image", "")).startswith("postgres")}
    (host, service), = postgres.items()
    env = environment(service)
    for name, other in services().items():
        if ours(other):
            url = urlsplit(environment(other)["VEIVISER_DATABASE_URL"])
            assert url.scheme.startswith("postgresql") and url.hostname == host, name
            assert (url.username, url.password, url.path.strip("/")) == (
                env["POSTGRES_USER"], env["POSTGRES_PASSWORD"], env["POSTGRES_DB"]), name


def test_settings_that_must_agree_do():
    """One database and one set of keys for all; the action server stores an application (its
    outbox channel, its deletion date: knowledge/applications/store.py) that the web app delivers."""
    envs = {name: environment(service) for name, service in services().items() if ours(service)}
    for variable in ("VEIVISER_DATABASE_URL", "VEIVISER_ENCRYPTION_KEY", "VEIVISER_ENCRYPTION_OLD_KEYS",
                     "VEIVISER_CONVERSATION_RETENTION_HOURS", "VEIVISER_ENV"):
        assert len({env.get(variable) for env in envs.values()}) == 1, f"{variable} differs between services"
    writers = {name: envs[name] for name in {**running(ACTIONS), **running(WEB)}}
    for variable in ("VEIVISER_DELIVERY", "VEIVISER_RETENTION_DAYS", "VEIVISER_DEFAULT_LANGUAGE", "VEIVISER_TIMEZONE"):
        assert len({env.get(variable) for env in writers.values()}) == 1, f"{variable} differs between actions and web"


def test_every_setting_the_code_requires_in_production_is_set():
    """The variables are found in the code (ConfigError rules, environ[…]), so a new required one
    fails here until compose provides it."""
    assert {"VEIVISER_DATABASE_URL", "VEIVISER_ENCRYPTION_KEY"} <= {r.variable for r in requirements("knowledge")}
    assert "VEIVISER_ACTION_TOKEN" in {r.variable for r in requirements("actions")}
    for name, service in services().items():
        if not ours(service):
            continue
        env = environment(service)
        assert env.get("VEIVISER_ENV") == "production", f"{name}: not in production mode"
        for root in code_roots(module(service)):
            for requirement in requirements(root):
                if requirement.applies(env):
                    assert env.get(requirement.variable), f"{name} lacks {requirement.variable} ({requirement.where})"


def test_the_settings_load_for_every_process_in_production():
    """knowledge.config.load_settings with each service's environment, secrets as dummies."""
    for name, service in services().items():
        if not ours(service):
            continue
        env = environment(service)
        try:
            settings = load_settings(env)
        except ConfigError as error:
            pytest.fail(f"{name}: {error}")
        assert settings.production
        if module(service) == WEB:
            listed = tuple(url.strip() for url in env["VEIVISER_RASA_URLS"].split(","))
            values = [tuple(value) for value in dataclasses.asdict(settings).values() if isinstance(value, (list, tuple))]
            assert listed in values, f"{name}: the settings do not carry VEIVISER_RASA_URLS ({listed})"
            assert str(settings.web_host) == "0.0.0.0", f"{name}: listens on {settings.web_host} only"


def test_the_action_servers_accept_their_token(monkeypatch):
    from actions.server import action_token

    for _name, service in running(ACTIONS).items():
        monkeypatch.setenv("VEIVISER_ACTION_TOKEN", environment(service)["VEIVISER_ACTION_TOKEN"])
        assert action_token() == environment(service)["VEIVISER_ACTION_TOKEN"]


async def test_rasa_makes_its_lock_store_from_the_redis_url():
    from veiviser_nlu.lock_store import RedisLocks

    for _name, service in running(RASA).items():
        store = RedisLocks(environment(service)["VEIVISER_REDIS_URL"])
        client = store.client()  # builds the client, connects to nothing
        assert client.connection_pool.connection_kwargs["host"] in services()


def test_only_the_web_app_publishes_a_port():
    publishing = {name for name, service in services().items() if service.get("ports")}
    assert publishing == set(running(WEB))
    for name, service in services().items():
        assert service.get("network_mode") != "host", name


def test_everything_but_the_web_app_is_only_on_internal_networks():
    internal = internal_networks()
    assert internal, "no network with internal: true"
    for name, service in services().items():
        if module(service) == WEB:
            assert networks(service) & internal and networks(service) - internal, f"{name}: on an internal and a public network"
        else:
            assert networks(service) <= internal, f"{name} is on {sorted(networks(service) - internal)}, which is not internal"


def test_rasa_keeps_its_http_api_closed():
    for name, service in running(RASA).items():
        assert "--enable-api" not in command(service) and "--cors" not in command(service), name


def test_the_servers_listen_on_the_container_network():
    for name, service in running(RASA).items():
        assert argument(service, "--interface") in (None, "0.0.0.0"), name
    for name, service in running(ACTIONS).items():
        assert (argument(service, "--host") or environment(service).get("SANIC_HOST")) == "0.0.0.0", name


def test_telemetry_is_off_in_every_service_built_from_our_image():
    for name, service in services().items():
        if ours(service):
            assert environment(service).get("RASA_TELEMETRY_ENABLED") == "false", name


def test_every_long_running_service_has_a_health_check_on_its_own_port():
    for name, service in services().items():
        if one_off(name, service):
            continue
        check = service.get("healthcheck") or {}
        assert check.get("test") and not check.get("disable"), f"{name}: no health check"
        port = {WEB: environment(service).get("VEIVISER_WEB_PORT"), RASA: argument(service, "--port"),
                ACTIONS: argument(service, "--port")}.get(module(service))
        if port:
            test = " ".join(check["test"]) if isinstance(check["test"], list) else check["test"]
            assert f"127.0.0.1:{port}/" in test, f"{name}: the health check does not ask port {port}"
        assert service.get("restart") in ("unless-stopped", "always"), f"{name}: restart"


def test_services_wait_for_what_they_need():
    for name, service in services().items():
        if not ours(service):
            continue
        depends = service.get("depends_on") or {}
        assert isinstance(depends, dict) and all("condition" in d for d in depends.values()), f"{name}: depends_on with conditions"
        if not one_off(name, service):
            assert any(d["condition"] == "service_completed_successfully" for d in depends.values()), f"{name}: before migrations"


def test_the_image_holds_what_the_code_reads_and_runs_as_a_user():
    project = _pyproject()
    package_dirs = project["tool"]["setuptools"].get("package-dir", {})
    for package in project["tool"]["setuptools"]["packages"]:
        top, _, rest = package.partition(".")
        path = package_dirs.get(top, top) + ("/" + rest.replace(".", "/") if rest else "")
        assert is_copied(path), f"the image lacks the package {package} ({path})"
    read_from_root = set()
    for code in ("knowledge", "web", "actions"):
        for path in (ROOT / code).rglob("*.py"):
            read_from_root.update(re.findall(r"(?:REPO_ROOT|\bROOT|parent\.parent)\s*/\s*\"([^\"]+)\"", path.read_text(encoding="utf-8")))
    assert {"locales", "nlu_data"} <= read_from_root
    for path in read_from_root - {"var"}:  # var/: development defaults (SQLite, the dev key, the folder inbox)
        assert is_copied(path), f"the code reads {path}/ from the repository; the image lacks it"
    for path in ("knowledge/content", "web/static", "web/templates", "locales", "bot/endpoints.yml", "bot/credentials.yml", "README.md"):
        assert is_copied(path), path
    env = dockerfile_env()
    assert env.get("VEIVISER_FONT_DIR") and any("fetch_fonts.sh" in rest for keyword, rest in dockerfile() if keyword == "RUN")
    users = [rest for keyword, rest in dockerfile() if keyword == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0"), "the image must run as a user, not root"
    exposed = {port.split("/")[0] for keyword, rest in dockerfile() if keyword == "EXPOSE" for port in rest.split()}
    assert exposed <= {str(environment(s).get("VEIVISER_WEB_PORT")) for s in running(WEB).values()}, "EXPOSE only the web app"


def test_the_build_context_keeps_what_the_image_copies():
    if not DOCKERIGNORE.exists():
        pytest.skip("no docker/Dockerfile.dockerignore")
    patterns = [line.strip() for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#") and not line.startswith("!")]
    for source in copied():
        parts = source.split("/")
        for prefix in ("/".join(parts[:i]) for i in range(1, len(parts) + 1)):
            for pattern in patterns:
                pattern = pattern.rstrip("/")
                matched = fnmatch.fnmatch(prefix, pattern) or (pattern.startswith("**/") and fnmatch.fnmatch(prefix.split("/")[-1], pattern[3:]))
                assert not matched, f"docker/Dockerfile.dockerignore ({pattern}) leaves out {source}, which the Dockerfile copies"


def _pyproject() -> dict:
    try:
        import tomllib  # type: ignore[import-not-found]
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
