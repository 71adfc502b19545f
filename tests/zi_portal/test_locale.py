"""The English locale: a complete catalogue, served only when the user picks English."""

from __future__ import annotations

import ast
import gettext
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

Login = Callable[[str], Client]


def po_entries(path: Path) -> list[dict[str, Any]]:
    """Entries of a .po file: flags, msgid, msgid_plural and msgstr values (unquoted)."""
    entries: list[dict[str, Any]] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry: dict[str, Any] = {"flags": set(), "msgstr": {}}
        key: str | None = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#~"):
                raise AssertionError(f"obsolete entry left in {path.name}: {block!r}")
            elif match := re.match(
                r'(msgid_plural|msgid|msgstr(?:\[\d+\])?|msgctxt) (".*")$', line
            ):
                key = match.group(1)
                value = ast.literal_eval(match.group(2))
                if key.startswith("msgstr"):
                    entry["msgstr"][key] = value
                else:
                    entry[key] = value
            elif line.startswith('"') and key:
                value = ast.literal_eval(line)
                if key.startswith("msgstr"):
                    entry["msgstr"][key] += value
                else:
                    entry[key] += value
        if "msgid" in entry:
            entries.append(entry)
    return entries


def placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdif]|%%", text))


class TestCatalogue:
    def test_every_message_has_an_english_translation(self) -> None:
        entries = po_entries(PO)
        messages = [e for e in entries if e["msgid"]]
        assert len(messages) > 400
        for entry in entries:
            assert "fuzzy" not in entry["flags"], entry["msgid"]
        for entry in messages:
            forms = ["msgstr[0]", "msgstr[1]"] if "msgid_plural" in entry else ["msgstr"]
            assert sorted(entry["msgstr"]) == forms, entry["msgid"]
            for form in forms:
                assert entry["msgstr"][form].strip(), f"untranslated: {entry['msgid']!r}"
                if "python-format" in entry["flags"]:
                    assert placeholders(entry["msgstr"][form]) == placeholders(entry["msgid"]), (
                        entry["msgid"]
                    )

    def test_the_header_declares_english_plural_forms(self) -> None:
        header = po_entries(PO)[0]
        assert header["msgid"] == ""
        assert "Language: en\n" in header["msgstr"]["msgstr"]
        assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header["msgstr"]["msgstr"]

    def test_the_compiled_catalogue_matches_the_po(self) -> None:
        assert MO.exists(), "run manage.py compilemessages -l en"
        with MO.open("rb") as fp:
            compiled = gettext.GNUTranslations(fp)
        for entry in po_entries(PO)[1:]:
            if "msgid_plural" in entry:
                for n, form in ((1, "msgstr[0]"), (2, "msgstr[1]")):
                    got = compiled.ngettext(entry["msgid"], entry["msgid_plural"], n)
                    assert got == entry["msgstr"][form], "django.mo is stale: compilemessages"
            elif "msgctxt" in entry:
                got = compiled.pgettext(entry["msgctxt"], entry["msgid"])
                assert got == entry["msgstr"]["msgstr"], "django.mo is stale: compilemessages"
            else:
                got = compiled.gettext(entry["msgid"])
                assert got == entry["msgstr"]["msgstr"], "django.mo is stale: compilemessages"


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.django_db
class TestEnglishPages:
    def test_home_is_in_english_when_chosen(self, login: Login) -> None:
        html = english(login("tim.biro-hp")).get("/").content.decode()
        assert '<html lang="en">' in html
        assert "Your work units and assessments" in html
        assert "Unit kerja dan penilaian Anda" not in html
        assert ">Home<" in html
        assert "Log out" in html

    def test_dashboard_is_in_english_when_chosen(self, login: Login, biro_hp: Any) -> None:
        response = english(login("tim.biro-hp")).get(f"/penilaian/{biro_hp.code}/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Questions answered" in html
        assert "Supporting documents upload schedule" in html
        assert "Recent activity" in html
        assert "Pertanyaan dijawab" not in html

    def test_worksheet_is_in_english_when_chosen(self, login: Login, biro_hp: Any) -> None:
        response = english(login("tim.biro-hp")).get(f"/penilaian/{biro_hp.code}/area/1/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Save answer" in html
        assert "Add evidence" in html
        assert "Simpan jawaban" not in html

    def test_the_language_selector_switches_to_english(self, login: Login) -> None:
        client = login("tim.biro-hp")
        response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        assert response.status_code == 302
        assert client.cookies["django_language"].value == "en"
        assert "Your work units and assessments" in client.get("/").content.decode()

    def test_login_page_is_in_english_when_chosen(self) -> None:
        html = english(Client()).get("/accounts/login/").content.decode()
        assert "Log in" in html


@pytest.mark.django_db
class TestIndonesianFirst:
    def test_the_browser_language_does_not_switch_to_english(
        self, login: Login, biro_hp: Any
    ) -> None:
        client = login("tim.biro-hp")
        home = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
        assert '<html lang="id">' in home
        assert "Unit kerja dan penilaian Anda" in home
        assert "Your work units and assessments" not in home
        dashboard = client.get(
            f"/penilaian/{biro_hp.code}/", HTTP_ACCEPT_LANGUAGE="en-US"
        ).content.decode()
        assert "Pertanyaan dijawab" in dashboard
        assert "Questions answered" not in dashboard
        worksheet = client.get(
            f"/penilaian/{biro_hp.code}/area/1/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
        ).content.decode()
        assert "Simpan jawaban" in worksheet
        assert "Save answer" not in worksheet

    def test_an_unknown_language_cookie_falls_back_to_indonesian(self, login: Login) -> None:
        client = login("tim.biro-hp")
        client.cookies["django_language"] = "fr"
        html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
        assert "Unit kerja dan penilaian Anda" in html
