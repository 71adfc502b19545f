#!/usr/bin/env python3
"""Two sessions save the same still-unanswered question at the same instant.

Expected: one 200 and one 409 (the optimistic lock). A 500 means the first-insert race in
`scoring.services.jawaban_save`: `select_for_update()` locks nothing while no row exists,
so both requests insert and the second hits the unique constraint
`jawaban_unique_per_set` (IntegrityError).

Run against the load-test stack only (it writes answers):

    .venv/bin/python bench/load/run.py --serve-only &      # wait for "serving on"
    .venv/bin/python bench/load/race_first_save.py --area 2
"""

from __future__ import annotations

import argparse
import re
import sys
import threading
from collections import Counter

import requests

RE_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RE_CODE = re.compile(r'href="/penilaian/([0-9a-f-]{36})/"')
RE_CARD = re.compile(r'id="q-(\d+)" data-kode="([^"]+)"')
RE_OPSI = re.compile(r'name="opsi" id="[^"]+" value="([^"]+)"')
RE_VERSI = re.compile(r'name="versi" value="(\d+)"')


def login(base: str, username: str, password: str) -> tuple[requests.Session, str]:
    s = requests.Session()
    token = RE_CSRF.search(s.get(f"{base}/accounts/login/", timeout=30).text)
    r = s.post(
        f"{base}/accounts/login/",
        data={
            "csrfmiddlewaretoken": token.group(1) if token else "",
            "username": username,
            "password": password,
        },
        timeout=60,
    )
    code = RE_CODE.search(r.text)
    if r.status_code != 200 or code is None:
        sys.exit(f"login as {username} failed ({r.status_code})")
    return s, code.group(1)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--host", default="http://127.0.0.1:8100")
    p.add_argument("--user", default="tim.biro-hp")
    p.add_argument("--password", default="demo-zi-2026")
    p.add_argument("--area", type=int, default=2)
    args = p.parse_args()
    if not args.host.startswith(("http://127.0.0.1", "http://localhost")):
        p.error("local servers only")
    a, code = login(args.host, args.user, args.password)
    b, _ = login(args.host, args.user, args.password)
    page = a.get(f"{args.host}/penilaian/{code}/area/{args.area}/", timeout=60).text
    targets = []
    cards = list(RE_CARD.finditer(page))
    for i, m in enumerate(cards):
        end = cards[i + 1].start() if i + 1 < len(cards) else len(page)
        chunk = page[m.start() : end]
        versi = RE_VERSI.search(chunk)
        opsi = RE_OPSI.findall(chunk)
        if opsi and versi and versi.group(1) == "0":
            targets.append((m.group(1), m.group(2), opsi))
    print(f"{len(targets)} unanswered questions in area {args.area} of penilaian {code}")
    outcomes: Counter[tuple[int, ...]] = Counter()
    for pk, kode, opsi in targets:
        barrier = threading.Barrier(2)
        status: dict[str, int] = {}

        def save(
            s: requests.Session,
            tag: str,
            choice: str,
            pk: str = pk,
            barrier: threading.Barrier = barrier,
            status: dict[str, int] = status,
        ) -> None:
            token = s.cookies.get("csrftoken") or ""
            barrier.wait()
            r = s.post(
                f"{args.host}/penilaian/{code}/jawaban/{pk}/",
                data={"csrfmiddlewaretoken": token, "versi": "0", "opsi": choice, "catatan": tag},
                headers={"HX-Request": "true", "X-CSRFToken": token},
                timeout=60,
            )
            status[tag] = r.status_code

        threads = [
            threading.Thread(target=save, args=(a, "A", opsi[0])),
            threading.Thread(target=save, args=(b, "B", opsi[-1])),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        pair = tuple(sorted(status.values()))
        outcomes[pair] += 1
        print(f"  {kode:<16} {pair}")
    print("outcomes:", {f"{x}+{y}": n for (x, y), n in sorted(outcomes.items())})
    bad = sum(n for pair, n in outcomes.items() if any(code >= 500 for code in pair))
    print(f"{bad} of {len(targets)} simultaneous first saves ended in a server error")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
