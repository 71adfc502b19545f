"""What the answer, review and hasil pages post, read through forms (never by hand).

The forms only read and shape the request: the values themselves (an option of the
question's type, whole numbers, a derived total never typed, the catatan rules) are
judged by the services (`jawaban_save`, `reviu_save`, `jawaban_hasil_save`), the one
place every door shares: page, fragment, LKE import and command.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from lke.models import HasilItem, Pertanyaan

ANGKA_PREFIX = "angka_"


class JawabanForm(forms.Form):
    """One question of the worksheet: an option or its numeric inputs, a catatan, and
    the version of the answer the form was built from (optimistic locking)."""

    opsi = forms.CharField(required=False)
    catatan = forms.CharField(required=False)
    versi = forms.CharField(required=False)

    def __init__(self, data: Any, *, pertanyaan: Pertanyaan) -> None:
        super().__init__(data)
        self.pertanyaan = pertanyaan
        self.input_codes = [n.kode for n in pertanyaan.input.all()]
        for kode in self.input_codes:
            self.fields[ANGKA_PREFIX + kode] = forms.CharField(required=False, strip=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        posted = {k.removeprefix(ANGKA_PREFIX) for k in self.data if k.startswith(ANGKA_PREFIX)}
        unknown = sorted(posted - set(self.input_codes))
        if unknown and not self.input_codes:
            raise forms.ValidationError(
                _("Pertanyaan %(kode)s dijawab dengan opsi, bukan angka.")
                % {"kode": self.pertanyaan.kode}
            )
        if unknown:
            raise forms.ValidationError(
                _("Isian %(isian)s bukan bagian dari pertanyaan %(kode)s.")
                % {"isian": ", ".join(unknown), "kode": self.pertanyaan.kode}
            )
        return cleaned

    @property
    def angka(self) -> dict[str, str]:
        """The numeric inputs that were posted (an input left out stays out)."""
        return {
            kode: self.cleaned_data[ANGKA_PREFIX + kode]
            for kode in self.input_codes
            if ANGKA_PREFIX + kode in self.data
        }

    @property
    def expected_versi(self) -> int:
        """The version the user edited; 0 for a first answer, -1 when it is unreadable
        (the service then reports a conflict instead of overwriting)."""
        raw = (self.cleaned_data.get("versi") or "0").strip()
        return int(raw) if raw.isdigit() else -1

    def is_blank(self) -> bool:
        """Nothing chosen and nothing typed."""
        return not (
            self.cleaned_data.get("opsi", "").strip()
            or self.cleaned_data.get("catatan", "").strip()
            or any(str(v).strip() for v in self.angka.values())
        )

    def typed(self) -> dict[str, Any]:
        """What the user typed, to show it back with an error."""
        data = getattr(self, "cleaned_data", None) or {
            k: self.data.get(k, "") for k in ("opsi", "catatan")
        }
        angka = self.angka if hasattr(self, "cleaned_data") else {}
        return {"opsi": data.get("opsi", ""), "angka": angka, "catatan": data.get("catatan", "")}

    def error_text(self) -> str:
        return " ".join(str(e) for errors in self.errors.values() for e in errors)


class ReviuForm(JawabanForm):
    """The TPI's answer of one question and the decision on it."""

    status = forms.CharField(required=False)

    def typed(self) -> dict[str, Any]:
        typed = super().typed()
        source = getattr(self, "cleaned_data", None) or self.data
        return {**typed, "status": source.get("status", "")}


class HasilForm(forms.Form):
    """The TPI's hasil inputs: per item a value (index, percent or letter) and a catatan."""

    def __init__(self, data: Any, *, items: list[HasilItem]) -> None:
        super().__init__(data)
        self.items = items
        for item in items:
            self.fields[f"hasil_{item.pk}"] = forms.CharField(required=False)
            self.fields[f"catatan_{item.pk}"] = forms.CharField(required=False)

    def value(self, item: HasilItem) -> str:
        return str(self.cleaned_data.get(f"hasil_{item.pk}", ""))

    def catatan(self, item: HasilItem) -> str:
        return str(self.cleaned_data.get(f"catatan_{item.pk}", ""))
