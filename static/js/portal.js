// Small behaviours of the portal pages; everything works without it except the
// live percentage of numeric questions and in-place saving.
(function () {
  "use strict";

  function parse(value) {
    var text = String(value || "").trim();
    if (text === "") return null;
    return /^[0-9]+$/.test(text) ? Number(text) : NaN;
  }

  function formatPersen(ratio) {
    return (Math.round(ratio * 10000) / 100).toFixed(2).replace(".", ",") + "%";
  }

  // The same rule as scoring.engine: info inputs are ignored; rasio = sum(pembilang) /
  // sum(penyebut); penurunan = (P - N) / P, P = 0 -> 100% if N = 0 else 0%; clamp 0..1.
  function computePersen(container) {
    var sums = {}, missing = false, invalid = false;
    // A derived total (Reform 5.iii "Jumlah yang harus melaporkan") is the sum of its rows.
    container.querySelectorAll("input[data-turunan]").forEach(function (total) {
      var sum = 0, complete = true;
      total.dataset.turunan.split(" ").forEach(function (code) {
        var part = container.querySelector('input[name="angka_' + code + '"]');
        var value = part ? parse(part.value) : null;
        if (value === null || Number.isNaN(value)) { complete = false; return; }
        sum += value;
      });
      total.value = complete ? String(sum) : "";
    });
    container.querySelectorAll("input[data-peran]").forEach(function (input) {
      var role = input.dataset.peran;
      if (role === "info") return;
      var value = parse(input.value);
      if (value === null) { missing = true; return; }
      if (Number.isNaN(value) || value < 0) { invalid = true; return; }
      sums[role] = (sums[role] || 0) + value;
    });
    var out = container.querySelector("[data-persen-hasil]");
    if (!out) return;
    if (invalid) { out.textContent = "angka tidak sah"; return; }
    if (missing) { out.textContent = "belum lengkap"; return; }
    var ratio;
    if (container.dataset.rumus === "penurunan") {
      var before = sums.sebelumnya || 0, now = sums.sekarang || 0;
      ratio = before === 0 ? (now === 0 ? 1 : 0) : (before - now) / before;
    } else {
      if (!sums.penyebut) {
        out.textContent = "tidak dapat dihitung: " + (container.dataset.kebijakan || "penyebut 0");
        return;
      }
      ratio = (sums.pembilang || 0) / sums.penyebut;
    }
    out.textContent = formatPersen(Math.min(1, Math.max(0, ratio)));
  }

  function initPersen(root) {
    root.querySelectorAll("[data-rumus]").forEach(function (container) {
      computePersen(container);
      container.addEventListener("input", function () { computePersen(container); });
    });
  }

  // Inline handlers are forbidden by the Content-Security-Policy: wire them here.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el instanceof HTMLElement && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.requestSubmit();
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  document.addEventListener("DOMContentLoaded", function () { initPersen(document); });
  document.addEventListener("htmx:afterSwap", function (event) { initPersen(event.detail.target.parentNode || document); });
  document.addEventListener("htmx:responseError", function () {
    var toast = document.getElementById("zi-error-toast");
    if (toast && window.bootstrap) window.bootstrap.Toast.getOrCreateInstance(toast).show();
  });
  document.addEventListener("htmx:sendError", function () {
    var toast = document.getElementById("zi-error-toast");
    if (toast && window.bootstrap) window.bootstrap.Toast.getOrCreateInstance(toast).show();
  });
})();
