// What the admin's third-party widgets leave out for WCAG 2.1 AA, added as
// they appear: a name for the translation language switch and for the
// autocomplete fields' search boxes, and translation tabs that are not links
// nested in tabs (the tab itself takes the focus and the keys), and a list of
// chosen items that holds only list items; the boxes of tabular inlines and of
// date-time pairs, which Django introduces by a column heading or a word
// rather than a label, are named after them.
(function () {
  "use strict";
  var script = document.currentScript;
  var switchName = script ? script.dataset.languageSwitch : "";

  function fieldLabel(select) {
    var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    return label ? label.textContent.replace(/\s*:\s*$/, "").trim() : "";
  }

  function text(element) {
    return element ? element.textContent.replace(/\s*:\s*$/, "").replace(/\s+/g, " ").trim() : "";
  }

  function unnamed(box) {
    return !box.hasAttribute("aria-label") && !(box.id && document.querySelector('label[for="' + box.id + '"]'));
  }

  function nameInlineBoxes() {
    document.querySelectorAll(".tabular td input, .tabular td select, .tabular td textarea").forEach(function (box) {
      if (box.type === "hidden" || !unnamed(box)) {
        return;
      }
      var cell = box.closest("td");
      var table = box.closest("table");
      var heading = null;
      var column = Array.prototype.find.call(cell.classList, function (name) {
        return name.indexOf("field-") === 0;
      });
      if (column) {
        heading = table.querySelector("thead th.column-" + column.slice(6));
      } else if (cell.classList.contains("delete")) {
        heading = table.querySelector("thead tr th:last-child");
      }
      if (text(heading)) {
        box.setAttribute("aria-label", text(heading));
      }
    });
  }

  function nameDateTimeBoxes() {
    document.querySelectorAll("p.datetime input").forEach(function (box) {
      var word = box.previousSibling;
      while (word && word.nodeType !== Node.TEXT_NODE) {
        word = word.previousSibling;
      }
      var row = box.closest(".form-row, .fieldBox");
      var field = row ? text(row.querySelector("label")) : "";
      if (unnamed(box) && word && field) {
        box.setAttribute("aria-label", field + " – " + text(word));
      }
    });
  }

  function complete() {
    nameInlineBoxes();
    nameDateTimeBoxes();
    document.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
    var languageSwitch = document.getElementById("modeltranslation-main-switch");
    if (languageSwitch && !languageSwitch.hasAttribute("aria-label") && switchName) {
      languageSwitch.setAttribute("aria-label", switchName);
    }
    document.querySelectorAll(".select2-search__field:not([aria-label])").forEach(function (field) {
      var container = field.closest(".select2-container");
      var select = container ? container.previousElementSibling : null;
      var name = select && select.tagName === "SELECT" ? fieldLabel(select) : "";
      if (name) {
        field.setAttribute("aria-label", name);
      }
    });
    document.querySelectorAll('li[role="tab"] > a[href]').forEach(function (anchor) {
      anchor.removeAttribute("href");
    });
    document.querySelectorAll("ul.select2-selection__rendered > .select2-selection__clear").forEach(function (clear) {
      var item = document.createElement("li");
      item.className = "select2-selection__clear-item";
      clear.replaceWith(item);
      item.appendChild(clear);
    });
  }

  // jQuery UI takes a tab whose label has no address for one to load from the
  // server: those tabs are the panels already on the page.
  var jq = window.jQuery || (window.django && window.django.jQuery);
  if (jq && jq.ui && jq.ui.tabs) {
    var isLocal = jq.ui.tabs.prototype._isLocal;
    jq.ui.tabs.prototype._isLocal = function (anchor) {
      return !anchor.hasAttribute("href") || isLocal.call(this, anchor);
    };
  }

  complete();
  new MutationObserver(complete).observe(document.documentElement, { childList: true, subtree: true });
})();
