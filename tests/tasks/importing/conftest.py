import io
import json

import pytest
from django.core.management import call_command

from tasks.importing import Catalogue, read_document


@pytest.fixture
def read(departments):
    """Read bytes or text as the preview would: ``read(document, name="plan.txt", **options)`` → Draft."""

    def read(document, name="plan.txt", **options):
        data = document.encode("utf-8") if isinstance(document, str) else document
        return read_document(data, filename=name, catalogue=Catalogue.load(), **options)

    return read


@pytest.fixture
def dry_run(tmp_path, departments):
    """``import_workplan PATH --dry-run --json`` on a document written to a file; returns the parsed JSON."""

    def dry_run(document, name="plan.txt", *options):
        path = tmp_path / name
        path.write_bytes(document.encode("utf-8") if isinstance(document, str) else document)
        out = io.StringIO()
        call_command("import_workplan", str(path), "--dry-run", "--json", *options, stdout=out, stderr=io.StringIO())
        return json.loads(out.getvalue())

    return dry_run
