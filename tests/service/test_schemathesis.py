"""A bounded schemathesis run against the OpenAPI document: no answer is a server error,
and every answer matches the schema it documents."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from pedprof.service import Settings, create_app
from tests.service.conftest import World


@pytest.fixture(scope="module")
def world_module(tmp_path_factory: pytest.TempPathFactory, forms_dir: Any) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("schemathesis")
    app = create_app(Settings(data_dir=tmp, database_url=f"sqlite:///{tmp / 's.sqlite3'}"))
    with TestClient(app) as client:
        world = World(client, forms_dir)
        link = world.link("o0000")
        assert world.upload(link, "o0000").status_code == 201
        yield world


@pytest.fixture(scope="module")
def api_schema(world_module: World) -> Any:
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", world_module.client.app)


def test_api_conforms_to_its_schema(api_schema: Any, world_module: World) -> None:
    # Operation by operation (schemathesis' own pytest loader does not run on this pytest).
    headers = world_module.auth("region")
    failures: list[str] = []
    operations = 0
    statuses: dict[int, int] = {}
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1
        if operation.path.endswith("/auth/logout"):
            continue  # it would end the session the run signs in with (see test_auth)

        @given(case=operation.as_strategy())
        @settings(
            max_examples=4,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            # generated credentials would only test the refusal: sign in as the region
            case.headers = {**(case.headers or {}), **headers}
            case.cookies = {}
            if "token" in (case.query or {}):
                case.query["token"] = headers["Authorization"].split()[1]
            response = case.call_and_validate(
                checks=[not_a_server_error, response_schema_conformance]
            )
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        try:
            check()
        except Exception as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert operations >= 35
    ok = sum(n for code, n in statuses.items() if 200 <= code < 300)
    assert ok >= 15, statuses  # real answers, not only refusals
    assert not failures, "\n\n".join(failures)
