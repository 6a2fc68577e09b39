"""Unknown API paths answer 404 JSON whatever the method; the UI is served only for GET."""

from __future__ import annotations

import httpx
import pytest

from tests.helpers import prime_csrf, signup

pytestmark = pytest.mark.anyio

NOT_FOUND = {"error": "NotFound", "detail": "No such endpoint."}


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("path", ["/api/nope", "/api/projects/x/nope/deeper", "/api", "/ws/x"])
async def test_an_unknown_api_path_is_404_json_for_every_method(
    client: httpx.AsyncClient, method: str, path: str
) -> None:
    await signup(client)
    token = await prime_csrf(client)
    answer = await client.request(method, path, headers={"X-CSRF-Token": token})
    assert answer.status_code == 404, answer.text
    assert answer.headers["content-type"] == "application/json"
    assert answer.json() == NOT_FOUND


async def test_a_known_path_with_another_method_is_405_with_allow(
    client: httpx.AsyncClient,
) -> None:
    await signup(client)
    token = await prime_csrf(client)
    answer = await client.request("PATCH", "/api/health", headers={"X-CSRF-Token": token})
    assert answer.status_code == 405
    assert answer.headers["allow"] == "GET"
    assert answer.json()["error"] == "MethodNotAllowed"


async def test_the_ui_answers_get_of_other_paths_only(client: httpx.AsyncClient) -> None:
    page = await client.get("/projects/anything")
    assert page.status_code in (200, 503)  # the built UI, or the "not built" page
    assert page.headers["content-type"].startswith("text/html")
    token = await prime_csrf(client)
    posted = await client.post("/projects/anything", headers={"X-CSRF-Token": token})
    assert posted.status_code == 405
    assert posted.json()["error"] == "MethodNotAllowed"
