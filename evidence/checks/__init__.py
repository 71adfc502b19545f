"""Automatic checks on bukti: text extraction, dates, duplicates, relevance, consistency.

The modules below `run` are plain Python (no Django), so each check is tested on its own;
`run` reads the rows, calls them and stores `TeksBukti` and `TemuanBukti`.
"""

# Bump when a check's rule changes: `bukti_check` re-evaluates only bukti whose stored
# `versi_pemeriksa` differs. The part before "+" is the text extraction version: a change
# there re-extracts the text, a change after it only re-runs the checks.
TEXT_VERSION = "teks-1"
CHECKS_VERSION = "cek-1"
VERSION = f"{TEXT_VERSION}+{CHECKS_VERSION}"
