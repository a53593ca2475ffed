/* Site search on the Pagefind index of the current language (decisions/0009-search.md).
 *
 * - An article number in any form (第十七條, 十七條, 十七, 17, Article 17, Art. 17,
 *   第十條之一, 10-1) becomes the key indexed with that article's heading
 *   (compendium/search.py), and those articles are listed first, the one of the
 *   regulation being read before the others.
 * - Results come from the index of the page's own language only (Pagefind picks
 *   the index by <html lang>) and link to the article's anchor.
 * - Result text is copied into the page as text; only <mark> is recreated.
 */
(function () {
  "use strict";

  var dialog = document.getElementById("cs-search");
  var opener = document.querySelector(".cs-search-open");
  if (!dialog || !opener) return;
  var input = dialog.querySelector(".cs-search__input");
  var list = dialog.querySelector(".cs-search__results");
  var status = dialog.querySelector(".cs-search__status");
  var text = dialog.dataset;
  var MAX_PAGES = 8;
  var MAX_SECTIONS = 5;

  // The button goes next to the language selector; it is shown only now that it works.
  var header = document.querySelector(".md-header__inner");
  if (header) {
    var options = header.querySelectorAll(".md-header__option");
    var after = options.length ? options[options.length - 1] : null;
    header.insertBefore(opener, after ? after.nextSibling : null);
  }
  opener.hidden = false;

  /* ---- article numbers ------------------------------------------------ */

  var DIGITS = { "〇": 0, "零": 0, "一": 1, "二": 2, "兩": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9 };
  var UNITS = { "十": 10, "百": 100, "千": 1000 };
  var CN = "〇零一二兩三四五六七八九十百千";

  function chineseNumber(s) {
    if (/^\d+$/.test(s)) return parseInt(s, 10);
    var total = 0, digit = null, i, c;
    for (i = 0; i < s.length; i++) {
      c = s.charAt(i);
      if (c in DIGITS) {
        digit = DIGITS[c];
      } else if (c in UNITS) {
        total += (digit === null ? 1 : digit) * UNITS[c];
        digit = null;
      } else {
        return null;
      }
    }
    if (digit !== null) total += digit;
    return total > 0 ? total : null;
  }

  var NUM = "([0-9]+|[" + CN + "]+)";
  var FORMS = [
    // 第十七條, 十七條, 第十條之一, 十條之一, 第17條, 十七 (a bare number)
    new RegExp("^第?" + NUM + "(?:條(?:之" + NUM + ")?)?$"),
    // 17, 10-1, Article 17, Art. 17, Art 10-1, article 10.1
    /^(?:art(?:icle)?\.?\s*)?([0-9]+)(?:[-.]([0-9]+))?$/i
  ];

  /** The search key of the article a query names, or null. */
  function articleKey(query) {
    var q = query.normalize("NFKC").replace(/\s+/g, " ").trim();
    for (var i = 0; i < FORMS.length; i++) {
      var m = FORMS[i].exec(q);
      if (!m) continue;
      var base = chineseNumber(m[1]);
      var sub = m[2] ? chineseNumber(m[2]) : null;
      if (base === null || (m[2] && sub === null)) return null;
      return "artnum" + base + (sub ? "s" + sub : "");
    }
    return null;
  }

  /* ---- Pagefind ------------------------------------------------------- */

  var engine = null;
  function pagefind() {
    if (!engine) {
      var bundle = new URL(text.bundle, document.baseURI).href;
      var root = new URL(text.siteRoot, document.baseURI).pathname;
      engine = import(bundle + "pagefind.js").then(function (pf) {
        return pf.options({ baseUrl: root }).then(function () {
          return pf.init();
        }).then(function () { return pf; });
      });
    }
    return engine;
  }

  /** Results of an article-number query: that article in the regulation being read
   *  first, then in the others. */
  function numberHits(pf, key) {
    var here = document.querySelector('[data-pagefind-filter^="regulation:"]');
    var current = here ? here.getAttribute("data-pagefind-filter").slice(11) : null;
    var searches = [pf.search(key)];
    if (current) searches.unshift(pf.search(key, { filters: { regulation: current } }));
    return Promise.all(searches).then(function (all) {
      var picked = [], ids = {};
      all.forEach(function (found) {
        found.results.forEach(function (r) {
          if (!ids[r.id] && picked.length < MAX_PAGES) { ids[r.id] = true; picked.push(r); }
        });
      });
      return Promise.all(picked.map(function (r) { return r.data(); }));
    }).then(function (pages) {
      var hits = [];
      pages.forEach(function (page) {
        (page.sub_results || []).forEach(function (sub) {
          if (sub.url.indexOf("#") < 0) return;
          hits.push({ page: page, sections: [sub], number: true });
        });
      });
      return hits;
    });
  }

  /** Results of a word query: pages by rank, each with its best sections. */
  function wordHits(pf, query) {
    return pf.search(query).then(function (found) {
      return Promise.all(found.results.slice(0, MAX_PAGES).map(function (r) { return r.data(); }));
    }).then(function (pages) {
      return pages.map(function (page) {
        var subs = (page.sub_results || []).slice();
        // Sections with more hits first; Pagefind lists them in page order.
        subs.sort(function (a, b) {
          return (b.locations || []).length - (a.locations || []).length;
        });
        return { page: page, sections: subs.slice(0, MAX_SECTIONS) };
      });
    });
  }

  /* ---- rendering (text only) ------------------------------------------ */

  var KEY_TEXT = /artnum[0-9]+(?:s[0-9]+)?\.?\s*/g; // the indexed key is never shown
  // The index holds Chinese cut into words separated by U+2009 (compendium/search.py).
  // Titles keep that separator, which is removed; excerpts turn it into a space,
  // so there a space between two Chinese characters or marks is removed.
  var WIDE = "[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]";
  var M = "(?:</?mark>)*";
  var WORD_GAP = new RegExp("(" + WIDE + M + ") +(" + M + "(?:" + WIDE + "|[0-9]))", "g");
  var DIGIT_GAP = new RegExp("([0-9]" + M + ") +(" + M + WIDE + ")", "g");
  function joinWords(s) {
    return (s || "").replace(/\u2009/g, "");
  }
  function joinExcerpt(s) {
    return joinWords(s).replace(WORD_GAP, "$1$2").replace(WORD_GAP, "$1$2")
      .replace(DIGIT_GAP, "$1$2");
  }

  /** Copy Pagefind's excerpt into ``el`` as text, recreating only <mark>. */
  function excerptInto(el, html) {
    var doc = new DOMParser().parseFromString("<body>" + joinExcerpt(html), "text/html");
    doc.body.childNodes.forEach(function (node) {
      var value = node.textContent.replace(KEY_TEXT, "");
      if (!value) return;
      if (node.nodeType === 1 && node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = value;
        el.appendChild(mark);
      } else {
        el.appendChild(document.createTextNode(value));
      }
    });
  }

  // Pagefind gives titles as HTML-escaped text: decode them in an inert document
  // (a DOMParser document runs no script and loads nothing), then insert as text.
  function decodeText(s) {
    var doc = new DOMParser().parseFromString("<!doctype html><body>" + (s || ""), "text/html");
    return doc.body.textContent;
  }

  function pageTitle(page) {
    return joinWords(decodeText((page.meta && page.meta.title) || page.url));
  }

  function render(hits, query) {
    list.textContent = "";
    hits.forEach(function (hit) {
      hit.sections.forEach(function (sub, index) {
        var li = document.createElement("li");
        li.className = "cs-search__item" + (hit.number ? " cs-search__item--number" : "");
        var a = document.createElement("a");
        a.className = "cs-search__link";
        a.href = sub.url;
        var title = document.createElement("span");
        title.className = "cs-search__title";
        title.textContent = joinWords(decodeText(sub.title)) || pageTitle(hit.page);
        a.appendChild(title);
        if (index === 0 && sub.title && joinWords(decodeText(sub.title)) !== pageTitle(hit.page)) {
          var where = document.createElement("span");
          where.className = "cs-search__page";
          where.textContent = pageTitle(hit.page);
          a.appendChild(where);
        }
        var excerpt = document.createElement("span");
        excerpt.className = "cs-search__excerpt";
        excerptInto(excerpt, sub.excerpt);
        a.appendChild(excerpt);
        li.appendChild(a);
        list.appendChild(li);
      });
    });
    var n = list.children.length;
    status.textContent = n === 0 ? text.none : n === 1 ? text.one : text.other.replace("#", n);
    dialog.dataset.query = query;
  }

  var pending = 0;
  function run() {
    var query = input.value.trim();
    var ticket = ++pending;
    if (!query) {
      list.textContent = "";
      status.textContent = text.placeholder;
      return;
    }
    pagefind().then(function (pf) {
      var key = articleKey(query);
      var words = wordHits(pf, query);
      return Promise.all([key ? numberHits(pf, key) : Promise.resolve([]), words]);
    }).then(function (both) {
      if (ticket !== pending) return; // a newer query is on its way
      var seen = {};
      var hits = [];
      both[0].concat(both[1]).forEach(function (hit) {
        var sections = hit.sections.filter(function (s) {
          if (seen[s.url]) return false;
          seen[s.url] = true;
          return true;
        });
        if (sections.length) hits.push({ page: hit.page, sections: sections, number: hit.number });
      });
      render(hits, query);
    }).catch(function (err) {
      status.textContent = text.none;
      if (window.console) console.error("search:", err);
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  });

  function open() {
    if (!dialog.open) dialog.showModal();
    input.focus();
    input.select();
    if (!input.value) status.textContent = text.loading;
    pagefind().then(function () {
      if (!input.value) status.textContent = text.placeholder;
    }, function () { status.textContent = text.none; });
  }

  opener.addEventListener("click", open);
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.nodeName));
    if (!typing && !e.ctrlKey && !e.metaKey && !e.altKey && (e.key === "/" || e.key === "s")) {
      e.preventDefault();
      open();
    }
  });
  // A click on a result on the same page closes the dialog so the article shows.
  list.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("a")) dialog.close();
  });
  dialog.addEventListener("click", function (e) {
    if (e.target === dialog) dialog.close(); // the backdrop
  });

  window.compendiumSearch = { articleKey: articleKey }; // for the tests
})();
