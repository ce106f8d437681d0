"""Evidence in an S3-compatible object store shared by several web machines (moto's server on 127.0.0.1)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from progress.models import Evidence

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

PDF = b"%PDF-1.4\n%minutes of the drill\n"
BUCKET = "workplan-evidence"


@pytest.fixture(scope="module")
def object_store():
    """A real S3 API over HTTP on 127.0.0.1 (moto in server mode), with one private bucket."""
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    )
    client.create_bucket(Bucket=BUCKET)
    yield endpoint, client
    server.stop()


@pytest.fixture
def s3_settings(object_store, settings, monkeypatch, tmp_path):
    """workplan/settings.py as read with the S3_* variables of docs/deploy.md, applied to this test."""
    import runpy

    from tests.conftest import ROOT

    endpoint, client = object_store
    for name, value in {
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": endpoint,
        "S3_ACCESS_KEY_ID": "test",
        "S3_SECRET_ACCESS_KEY": "test",
        "S3_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    production = runpy.run_path(str(ROOT / "workplan" / "settings.py"))
    settings.STORAGES = settings.STORAGES | {"default": production["STORAGES"]["default"]}
    settings.MEDIA_ROOT = tmp_path / "machine-1"
    return client


def test_evidence_uploaded_through_one_machine_downloads_through_another(
    actors, login, s3_settings, settings, tmp_path
):
    staff = login(actors.staff)
    response = staff.post(
        reverse("report_create", args=[actors.assignment.pk]),
        {
            "quarter": 1,
            "status": "in_progress",
            "percent_complete": 40,
            "progress_summary": "已开展选址",
            "evidence": [SimpleUploadedFile("会议纪要.pdf", PDF)],
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    stored = s3_settings.get_object(Bucket=BUCKET, Key=evidence.file.name)
    assert stored["Body"].read() == PDF
    assert not (tmp_path / "machine-1").exists()  # nothing on this machine's disk
    grants = s3_settings.get_object_acl(Bucket=BUCKET, Key=evidence.file.name)["Grants"]
    assert not [g for g in grants if g["Grantee"].get("URI", "").endswith("AllUsers")]  # private

    settings.MEDIA_ROOT = tmp_path / "machine-2"  # the other web machine behind the proxy
    download = staff.get(reverse("evidence_download", args=[evidence.pk]))

    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]


def test_downloads_from_the_object_store_are_still_checked(actors, login, s3_settings):
    login(actors.staff).post(
        reverse("report_create", args=[actors.assignment.pk]),
        {
            "quarter": 1,
            "status": "in_progress",
            "percent_complete": 40,
            "progress_summary": "已开展选址",
            "evidence": [SimpleUploadedFile("会议纪要.pdf", PDF)],
        },
    )
    evidence = Evidence.objects.get()

    assert login(actors.outsider).get(reverse("evidence_download", args=[evidence.pk])).status_code == 404
