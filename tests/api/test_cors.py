"""A mini-app page on another address calls /api/ from the browser only when its origin is listed (API_CORS_ORIGINS)."""

import pytest
from django.urls import reverse

H5 = "https://h5.example.gov.cn"


@pytest.fixture(autouse=True)
def _listed(settings):
    settings.CORS_ALLOWED_ORIGINS = [H5]


def test_a_listed_origin_may_send_a_token_and_a_retry_key(db, client):
    preflight = client.options(
        reverse("api_report_create", args=[1]),
        HTTP_ORIGIN=H5,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type, idempotency-key",
    )

    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == H5
    assert "idempotency-key" in preflight["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in preflight  # tokens only, never the session cookie


def test_a_listed_origin_reads_the_answer_and_its_etag(actors, api):
    response = api(actors.leader).get(reverse("api_tasks"), HTTP_ORIGIN=H5)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == H5
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_another_origin_and_the_pages_get_no_cors_header(actors, api, login):
    assert "Access-Control-Allow-Origin" not in api(actors.leader).get(
        reverse("api_tasks"), HTTP_ORIGIN="https://evil.example"
    )
    assert "Access-Control-Allow-Origin" not in login(actors.leader).get(reverse("task_list"), HTTP_ORIGIN=H5)
