"""Validates a datapackage.json against the Frictionless Data Package 2.0 profile, offline.

Usage: python3 validate_datapackage.py [--expect-invalid] PROFILE.json DATAPACKAGE.json
With --expect-invalid it exits 0 only when the package was checked and found invalid, so that a
missing profile or a crash can never pass for a rejection.
"""
import json
import sys
from pathlib import Path

import jsonschema

arguments = sys.argv[1:]
expect_invalid = arguments[:1] == ["--expect-invalid"]
if expect_invalid:
    arguments = arguments[1:]
profile = json.loads(Path(arguments[0]).read_text(encoding="utf-8"))
package = json.loads(Path(arguments[1]).read_text(encoding="utf-8"))

validator = jsonschema.validators.validator_for(profile)(profile)
errors = sorted(validator.iter_errors(package), key=lambda error: list(error.path))
for error in errors[:20]:
    print(f"{'/'.join(map(str, error.path)) or '(top)'}: {error.message[:300]}")
if expect_invalid:
    print("rejected, as expected" if errors else "accepted, but it should have been rejected")
    sys.exit(0 if errors else 1)
print(f"{len(errors)} errors" if errors else "valid Data Package")
sys.exit(1 if errors else 0)
