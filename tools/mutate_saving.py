"""Hand mutation run on toolkit/casebook/editing.py: each mutant against the saving and import
tests, the file restored after each. Run from the repository root: python tools/mutate_saving.py"""

import pathlib
import subprocess

path = pathlib.Path("toolkit/casebook/editing.py")
original = path.read_text()
MUTANTS = [
    ("no hash check", "        if current_hash != base_hash:\n", "        if False:\n"),
    (
        "no lock",
        "    with casebook_lock(root):\n        try:\n            raw",
        "    with contextlib.nullcontext():\n        try:\n            raw",
    ),
    (
        "no semantic no-op skip",
        "        if old_dump is not None and _get(old_dump, loc) == new_value:\n",
        "        if False:\n",
    ),
    (
        "no byte compare",
        '    if raw is not None and (not changed or text.encode("utf-8") == raw):',
        "    if raw is not None and not changed:",
    ),
    (
        "history without fields",
        "                    fields=result.fields,\n",
        "                    fields=(),\n",
    ),
    (
        "empty text kept",
        "        elif value is None or (isinstance(value, str) and not value.strip()):",
        "        elif value is None:",
    ),
    ("no placeholder check", "    errors.extend(_placeholder_errors(data))\n", ""),
    (
        "no district check",
        "        errors.extend(_district_errors(data, settings))\n",
        "        pass\n",
    ),
    (
        "no reference check",
        "        errors.extend(_reference_errors(root, data))\n",
        "        pass\n",
    ),
    (
        "no history",
        "        record_changes(\n            root,\n            [\n                Change(",
        "        (lambda *a: None)(\n            root,\n            [\n                Change(",
    ),
    (
        "not atomic",
        "        write_atomic(path, text, overwrite=True)\n",
        '        path.write_text(text, encoding="utf-8")\n',
    ),
    (
        "list replaced not edited in place",
        "        del existing[:]\n        existing.extend(value)\n        return\n",
        "        target[key] = value\n        return\n",
    ),
    (
        "new key at the end",
        "    if isinstance(target, CommentedMap) and key in order:",
        "    if False:",
    ),
    (
        "no re-validation of the written text",
        "    _validate(model, path, record_id, dict(document.data), settings)\n    result = SaveResult(",  # noqa: E501
        "    result = SaveResult(",
    ),
    (
        "lists not split",
        '            value = [part.strip() for part in re.split(r"[;,\\n]", value) if part.strip()]',  # noqa: E501
        "            pass",
    ),
    ("empty group kept", "        if not parents[depth]:\n", "        if False:\n"),
]
results = []
for name, old, new in MUTANTS:
    if original.count(old) != 1:
        results.append((name, f"NOT APPLIED ({original.count(old)})"))
        continue
    text = original.replace(old, new)
    if "contextlib" in new:
        text = "import contextlib\n" + text
    path.write_text(text)
    try:
        run = subprocess.run(
            [
                ".venv/bin/python",
                "-m",
                "pytest",
                "-q",
                "-x",
                "-p",
                "no:cacheprovider",
                "tests/editing/test_saving.py",
                "tests/editing/test_import.py",
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
        results.append((name, "killed" if run.returncode else "SURVIVED"))
    finally:
        path.write_text(original)
for name, outcome in results:
    print(f"{outcome:12} {name}")
