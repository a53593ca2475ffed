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
