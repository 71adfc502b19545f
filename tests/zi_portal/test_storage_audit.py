"""Issue 18 part 2: no application code knows where a stored file lives. Files are read
and written through the storage API only (FieldFile, storage.open/save), never through a
path under MEDIA_ROOT, so the same code runs on the disk and on S3."""

from __future__ import annotations

import io
import re
import tokenize
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("units", "lke", "evidence", "scoring", "documents", "zi_portal")
# The one place that must know the disk: the move from it to the bucket.
ALLOWED = {
    "zi_portal/management/commands/storage_migrate.py",
    "zi_portal/settings/base.py",
    "zi_portal/settings/test.py",
}
PATTERNS = {
    "MEDIA_ROOT": re.compile(r"\bMEDIA_ROOT\b"),
    "storage/field .path": re.compile(r"(storage|berkas|berkas_sk|field|field_file)\.path\b"),
    "temporary_file_path of a stored file": re.compile(
        r"\.(berkas|berkas_sk)\.temporary_file_path"
    ),
}


def _code_lines(text: str) -> dict[int, str]:
    """Each line's code without its strings and comments (docstrings may name MEDIA_ROOT)."""
    lines: dict[int, list[str]] = defaultdict(list)
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type in (tokenize.NAME, tokenize.OP):
            lines[token.start[0]].append(token.string)
    return {number: "".join(parts) for number, parts in lines.items()}


def test_no_application_code_builds_a_path_to_a_stored_file() -> None:
    found = []
    for app in APPS:
        for source in sorted((ROOT / app).rglob("*.py")):
            relative = source.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative in ALLOWED:
                continue
            for number, code in _code_lines(source.read_text(encoding="utf-8")).items():
                for what, pattern in PATTERNS.items():
                    if pattern.search(code):
                        found.append(f"{relative}:{number}: {what}: {code}")
    assert found == []
