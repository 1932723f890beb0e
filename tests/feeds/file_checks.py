"""The command line the feed and calendar checkers share: which files to read, what each one's
problems are, and an exit status that a checker accepting anything could not pass."""
import sys
from pathlib import Path


def run(problems_of, file_glob, invalid_glob, noun):
    """problems_of(path) → (problems, count of `noun`). Arguments: [--expect-invalid] PATH...;
    a folder is searched for file_glob, or for invalid_glob with --expect-invalid. With
    --expect-invalid the exit status is 0 only when every file was read and found invalid."""
    arguments = sys.argv[1:]
    expect_invalid = arguments[:1] == ["--expect-invalid"]
    paths = []
    for argument in arguments[1:] if expect_invalid else arguments:
        path = Path(argument)
        paths.extend(sorted(path.rglob(invalid_glob if expect_invalid else file_glob)) if path.is_dir() else [path])
    if not paths:
        sys.exit("no files to check found")
    invalid = 0
    for path in paths:
        problems, count = problems_of(path)
        if problems:
            invalid += 1
            print(f"{path}: {len(problems)} problems")
            for problem in problems[:10]:
                print(f"  {problem}")
        else:
            print(f"{path}: valid, {count} {noun}")
    if expect_invalid:
        print("every file rejected, as expected" if invalid == len(paths) else "a broken file was accepted")
        sys.exit(0 if invalid == len(paths) else 1)
    sys.exit(1 if invalid else 0)
