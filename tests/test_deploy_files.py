"""deploy/compose.yaml cannot be started here (no Docker engine on this machine), so what can drift is
pinned instead: every precheck role is built from the project's Dockerfile, its environment is one the
service's settings accept (and means Postgres, Celery on Redis and shared storage), and its command is
one the `precheck` CLI parses."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from service.cli import build_parser
from service.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "deploy" / "compose.yaml"


def _interpolated(value: str) -> str:
    """${NAME:?message} and ${NAME} as compose fills them, with stand-ins for the required secrets."""
    stand_ins = {"PRECHECK_SECRET_KEY": "s" * 40, "POSTGRES_PASSWORD": "pw"}
    return re.sub(r"\$\{(\w+)(?::[?-][^}]*)?\}", lambda m: stand_ins.get(m.group(1), ""), value)


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return data


def test_every_precheck_role_is_built_from_the_project_dockerfile_with_settings_the_service_accepts() -> None:
    services = _compose()["services"]
    assert {"api", "worker", "postgres", "redis"} <= set(services)
    parser = build_parser()
    for role in ("api", "worker"):
        spec = services[role]
        assert spec["build"]["dockerfile"] == "Dockerfile"
        assert (COMPOSE.parent / spec["build"]["context"] / "Dockerfile").is_file()
        env = {k: _interpolated(str(v)) for k, v in spec["environment"].items()}
        settings = ServiceSettings(**{k.removeprefix("PRECHECK_").lower(): v for k, v in env.items()
                                      if k.startswith("PRECHECK_")})
        assert settings.queue == "celery" and settings.db_url.startswith("postgresql+psycopg://")
        assert settings.broker_url == "redis://redis:6379/0"
        assert settings.files_dir == Path("/files") and "files:/files" in spec["volumes"]
        args = parser.parse_args(spec["command"])
        assert args.command == ("serve" if role == "api" else "worker")
    assert parser.parse_args(services["api"]["command"]).workers == 0  # the API only; checks run in workers
    assert "appendonly" in " ".join(services["redis"]["command"])
