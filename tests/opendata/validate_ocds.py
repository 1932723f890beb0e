"""Validates an OCDS release package against the official 1.1.5 schemas, offline.

Usage: python3 validate_ocds.py [--expect-invalid] SCHEMA_DIR PACKAGE.json
SCHEMA_DIR holds release-package-schema.json and release-schema.json (tests/schemas/ocds-1.1.5).
With --expect-invalid it exits 0 only when the package was checked and found invalid, so that a
missing schema or a crash can never pass for a rejection.
"""
import json
import sys
from pathlib import Path

import jsonschema

arguments = sys.argv[1:]
expect_invalid = arguments[:1] == ["--expect-invalid"]
if expect_invalid:
    arguments = arguments[1:]
schema_dir = Path(arguments[0])
package = json.loads(Path(arguments[1]).read_text(encoding="utf-8"))
package_schema = json.loads((schema_dir / "release-package-schema.json").read_text(encoding="utf-8"))
release_schema = json.loads((schema_dir / "release-schema.json").read_text(encoding="utf-8"))

# The package schema refers to the release schema by its public URL; serve it from disk.
# jsonschema 4.18 and later resolve references with `referencing`; Debian 12's 4.10 with RefResolver.
try:
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    registry = Registry().with_resources(
        [(release_schema["id"], Resource.from_contents(release_schema, default_specification=DRAFT4)),
         (package_schema["id"], Resource.from_contents(package_schema, default_specification=DRAFT4))])
    validator = jsonschema.Draft4Validator(package_schema, registry=registry, format_checker=jsonschema.FormatChecker())
except ImportError:
    resolver = jsonschema.RefResolver.from_schema(
        package_schema, store={release_schema["id"]: release_schema, package_schema["id"]: package_schema})
    validator = jsonschema.Draft4Validator(package_schema, resolver=resolver, format_checker=jsonschema.FormatChecker())

errors = sorted(validator.iter_errors(package), key=lambda e: list(e.absolute_path))
for error in errors[:50]:
    print("FAIL", "/".join(str(p) for p in error.absolute_path), error.message)

releases = package.get("releases", [])
ocids = [r.get("ocid") for r in releases]
duplicates = len(ocids) - len(set(ocids))
if duplicates:
    print(f"FAIL {duplicates} releases share an ocid")
checks_failed = (1 if errors else 0) + (1 if duplicates else 0)
print(f"validated {len(releases)} releases")
print(f"{2 - checks_failed} passed, {checks_failed} failed")
if expect_invalid:
    print("the package was rejected, as expected" if errors else "FAIL the package was expected to be rejected")
    sys.exit(0 if errors else 1)
sys.exit(1 if checks_failed else 0)
