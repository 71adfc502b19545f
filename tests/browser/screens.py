"""Screenshots of the browser tests, kept as test artefacts for a person to look at.

Every journey writes `var/test-artifacts/screenshots/<journey>/<size>-<nn>-<step>.png`
(git-ignored, like all of var/); `make test` and CI leave them there after the run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "screenshots"
SIZES = {
    "desktop": {"width": 1366, "height": 768},
    "phone": {"width": 390, "height": 844},
}
OVERFLOW = "() => [document.documentElement.scrollWidth, window.innerWidth]"
# Table cells squeezed to a few letters per line (text of 7+ characters in a cell narrower
# than 48 px and taller than four lines), as tables were at 390 px before.
SQUEEZED = """() => [...document.querySelectorAll('td, th')].filter(c => {
  const text = c.innerText.trim();
  const line = parseFloat(getComputedStyle(c).fontSize) * 1.5;
  return c.offsetParent && text.length > 6 && c.clientWidth < 48 && c.clientHeight > 4 * line;
}).map(c => c.innerText.trim().slice(0, 40))"""


class Screens:
    """Numbered full-page screenshots of one journey at one size."""

    def __init__(self, page: Any, journey: str, size: str) -> None:
        self.page = page
        self.size = size
        self.folder = ARTIFACTS / journey
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob(f"{size}-*.png"):
            old.unlink()
        self.taken: list[Path] = []

    def __call__(self, step: str, *, fits: bool = True) -> Path:
        """Wait for the page to settle, check it fits the width (the portal's pages; the
        Django admin is not ours to lay out), and save it."""
        self.page.wait_for_load_state("networkidle")
        if fits:
            scroll_width, inner_width = self.page.evaluate(OVERFLOW)
            assert scroll_width <= inner_width, f"{step}: {scroll_width} px > {inner_width} px"
            squeezed = self.page.evaluate(SQUEEZED)
            assert not squeezed, f"{step}: cells squeezed a few letters per line: {squeezed}"
        path = self.folder / f"{self.size}-{len(self.taken) + 1:02d}-{step}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.taken.append(path)
        return path
