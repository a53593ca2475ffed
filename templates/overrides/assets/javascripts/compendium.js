/* Compendium reading aids. Loaded as an external file (no inline script). */
(function () {
  "use strict";

  /* The language selector keeps the reader's place: the same anchor on the other
     language's page (article ids are the same in both languages). */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.md-select__link[hreflang]");
    if (!link || !window.location.hash) return;
    var url = new URL(link.href, window.location.href);
    url.hash = window.location.hash;
    link.href = url.href;
  }, true);
})();

/* Side-by-side view: every article of a regulation in both languages. The other
   language is in the page already (hidden); the reader's choice is remembered. */
(function () {
  "use strict";
  var KEY = "compendium.bilingual";
  var buttons = document.querySelectorAll("[data-bilingual-toggle]");
  if (!buttons.length) return;

  function stored() {
    try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }
  function apply(on) {
    document.body.classList.toggle("cmp-bilingual", on);
    buttons.forEach(function (b) { b.setAttribute("aria-pressed", on ? "true" : "false"); });
  }
  buttons.forEach(function (b) {
    b.addEventListener("click", function () {
      var on = !document.body.classList.contains("cmp-bilingual");
      apply(on);
      try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode */ }
    });
  });
  apply(stored());
})();
