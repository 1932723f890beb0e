"""Validates a datapackage.json against the Frictionless Data Package 2.0 profiles, offline: the
package against the Data Package profile, each resource against the Data Resource profile, and
each resource's Table Schema and CSV dialect (inline or a file beside the package) against theirs.

Usage: python3 validate_datapackage.py [--expect-invalid] PROFILE.json DATAPACKAGE.json
PROFILE.json is the Data Package profile; the other profiles are read from its folder. With
--expect-invalid it exits 0 only when the package was checked and found invalid, so that a
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
profile_path, package_path = Path(arguments[0]), Path(arguments[1])


def validator(name):
    profile = json.loads((profile_path.parent / name).read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(profile)(profile)


package_profile = validator(profile_path.name)
resource_profile, schema_profile, dialect_profile = (validator(n) for n in ("dataresource.json", "tableschema.json", "tabledialect.json"))
package = json.loads(package_path.read_text(encoding="utf-8"))

errors = []  # (where, message)
for error in package_profile.iter_errors(package):
    errors.append(("/".join(map(str, error.path)), error.message))
resources = package.get("resources") if isinstance(package, dict) else None
for r, resource in enumerate(resources if isinstance(resources, list) else []):
    checks = [(f"resources/{r}", resource, resource_profile)]
    for key, profile in (("schema", schema_profile), ("dialect", dialect_profile)):
        part = resource.get(key) if isinstance(resource, dict) else None
        if isinstance(part, str):  # a descriptor in a file beside the package
            try:
                part = json.loads((package_path.parent / part).read_text(encoding="utf-8"))
            except (OSError, ValueError) as problem:
                errors.append((f"resources/{r}/{key}", f"cannot read {part}: {problem}"))
                continue
        if part is not None:
            checks.append((f"resources/{r}/{key}", part, profile))
    for where, descriptor, profile in checks:
        for error in profile.iter_errors(descriptor):
            errors.append(("/".join([where, *map(str, error.path)]), error.message))

errors = sorted(set(errors))  # the package profile also checks what is inline
for where, message in errors[:20]:
    print(f"{where or '(top)'}: {message[:300]}")
if expect_invalid:
    print("rejected, as expected" if errors else "accepted, but it should have been rejected")
    sys.exit(0 if errors else 1)
print(f"{len(errors)} errors" if errors else f"valid Data Package: {len(resources or [])} resources, each with its schema and dialect")
sys.exit(1 if errors else 0)
