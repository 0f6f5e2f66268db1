import pytest
from django.core.management import call_command


def test_the_openapi_schema_is_served(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "ErrorEnvelope" in schema["components"]["schemas"]


def test_the_docs_page_is_served_without_a_cdn(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert b"cdn.jsdelivr" not in response.content


@pytest.mark.django_db
def test_every_endpoint_is_documented_without_warnings(tmp_path):
    """drf-spectacular validates the schema and fails on any warning."""
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml")
    )
