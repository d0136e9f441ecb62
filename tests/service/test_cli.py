"""``pedprof users``, ``tokens``, ``links``: the accounts they make work over HTTP, and
revoking them ends access."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from fastapi.testclient import TestClient

from pedprof.cli import main
from pedprof.service import Settings, create_app
from tests.service.conftest import PASSWORD, PERIOD


def _run(args: list[str], database_url: str, data_dir: Path, stdin: str | None = None) -> str:
    result = CliRunner().invoke(
        main, [*args, "--database", database_url, "--data-dir", str(data_dir)], input=stdin
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_users_tokens_and_links_from_the_command_line(
    database_url: str, tmp_path: Path, forms_dir
) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    assert "Пользователей нет" in _run(["users", "list"], database_url, data)
    short = CliRunner().invoke(
        main,
        [
            "users",
            "add",
            "r",
            "--role",
            "region",
            "--unit",
            forms_dir.region,
            "--password-stdin",
            "--database",
            database_url,
            "--data-dir",
            str(data),
        ],
        input="short\n",
    )
    assert short.exit_code != 0 and "не менее" in short.output
    _run(
        ["users", "add", "r", "--role", "region", "--unit", forms_dir.region, "--password-stdin"],
        database_url,
        data,
        stdin=PASSWORD + "\n",
    )
    assert "r\tрегион\t" in _run(["users", "list"], database_url, data)
    out = _run(["tokens", "create", "platform", "--region", forms_dir.region], database_url, data)
    platform = out.strip().splitlines()[-1]
    assert PASSWORD not in out

    app = create_app(Settings(data_dir=data, database_url=database_url, start_worker=False))
    with TestClient(app) as client:
        login = client.post("/api/v1/auth/login", data={"username": "r", "password": PASSWORD})
        assert login.status_code == 200
        client.cookies.clear()
        region = {"Authorization": f"Bearer {login.json()['access_token']}"}
        client.put(
            "/api/v1/profiles/karabash/register",
            headers=region,
            files={"file": ("register.xlsx", forms_dir.register.read_bytes())},
        )
        client.post(
            "/api/v1/campaigns", headers=region, json={"profile_id": "karabash", "period": PERIOD}
        )
        out = _run(
            ["links", "create", "--profile", "karabash", "--period", PERIOD, "--org", "o0000"],
            database_url,
            data,
        )
        org, link = out.strip().split("\t")
        assert org == "o0000"
        me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {link}"})
        assert me.json()["org_id"] == "o0000"
        p = {"Authorization": f"Bearer {platform}"}
        assert client.get("/api/v1/profiles/karabash/results", headers=p).status_code == 200
        token_id = _run(["tokens", "list"], database_url, data).split("\t")[0]
        _run(["tokens", "revoke", token_id], database_url, data)
        assert client.get("/api/v1/profiles/karabash/results", headers=p).status_code == 401
        _run(["links", "revoke", "1"], database_url, data)
        assert (
            client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {link}"}).status_code
            == 401
        )
        _run(
            ["users", "passwd", "r", "--password-stdin"],
            database_url,
            data,
            stdin="another long password\n",
        )
        assert client.get("/api/v1/auth/me", headers=region).status_code == 401
        _run(["users", "remove", "r"], database_url, data)
        again = client.post(
            "/api/v1/auth/login", data={"username": "r", "password": "another long password"}
        )
        assert again.status_code == 401
