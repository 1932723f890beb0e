"""Reads every CSV that a datapackage.json lists as a table and checks every value against its
field's type and constraints, as a Frictionless validator would (offline, standard library).

Usage: python3 check_table_values.py [--expect-invalid] DATAPACKAGE.json
The CSV files are found beside the package, by each resource's path. With --expect-invalid it
exits 0 only when a package was read and found wrong, so that a checker that reads nothing can
never pass for a rejection.
"""
import csv
import datetime
import json
import re
import sys
from pathlib import Path

arguments = sys.argv[1:]
expect_invalid = arguments[:1] == ["--expect-invalid"]
if expect_invalid:
    arguments = arguments[1:]
package_path = Path(arguments[0])
package = json.loads(package_path.read_text(encoding="utf-8"))

INTEGER = re.compile(r"-?\d+")
NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


def fits(field, value):
    kind = field.get("type", "string")
    if kind == "integer":
        return INTEGER.fullmatch(value) is not None
    if kind == "number":
        return NUMBER.fullmatch(value) is not None
    if kind == "boolean":
        return value in ("true", "false")
    if kind == "date":
        try:
            datetime.date.fromisoformat(value)
            return len(value) == 10
        except ValueError:
            return False
    return kind == "string"


problems, tables, values = [], 0, 0
for resource in package["resources"]:
    if resource.get("type") != "table":
        if resource.get("format") == "csv":
            problems.append(f"{resource['path']}: a CSV that is not declared a table")
        continue
    tables += 1
    fields = resource["schema"]["fields"]
    with open(package_path.parent / resource["path"], encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0] if rows else []
    names = [field["name"] for field in fields]
    if header != names:
        problems.append(f"{resource['path']}: the columns are {header}, the schema names {names}")
        continue
    seen = [set() for _ in fields]
    for number, row in enumerate(rows[1:], start=2):
        for column, (field, value) in enumerate(zip(fields, row)):
            values += 1
            constraints = field.get("constraints", {})
            where = f"{resource['path']}:{number}: {field['name']}"
            if value == "":
                if constraints.get("required"):
                    problems.append(f"{where}: required, and empty")
                continue
            if not fits(field, value):
                problems.append(f"{where}: {value!r} is not a {field.get('type')}")
            if "enum" in constraints and value not in constraints["enum"]:
                problems.append(f"{where}: {value!r} is not one of {constraints['enum']}")
            if constraints.get("unique"):
                if value in seen[column]:
                    problems.append(f"{where}: {value!r} is repeated in a unique column")
                seen[column].add(value)

for problem in problems[:30]:
    print("FAIL", problem)
print(f"checked {values} values in {tables} tables: {len(problems)} problems")
if expect_invalid:
    print("rejected, as expected" if problems and tables else "accepted, but it should have been rejected")
    sys.exit(0 if problems and tables else 1)
sys.exit(1 if problems or not tables else 0)
