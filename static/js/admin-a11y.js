/*
 * Accessible names for the Django admin widgets that ship without one (axe-core « label »,
 * « select-name », « aria-input-field-name », « aria-prohibited-attr »):
 * - fields of tabular inlines (the column header is only visual) → « <column> — <row> »;
 * - the date and time boxes of a date-time field → « <field> — Date » / « <field> — Heure »;
 * - the select2 boxes of autocomplete fields → named by the field's label;
 * - the help icons of « filter_horizontal » (a span with aria-label needs a role);
 * - the « select all » box of django-import-export's export form.
 * It runs on load and again whenever the admin adds rows or widgets.
 */
(function () {
  "use strict";

  function text(el) {
    return el ? el.textContent.replace(/\s+/g, " ").replace(/[\s:*]+$/, "").trim() : "";
  }

  function hasName(input) {
    if (input.getAttribute("aria-label") || input.getAttribute("aria-labelledby")) return true;
    if (input.id && document.querySelector('label[for="' + CSS.escape(input.id) + '"]')) return true;
    return !!input.closest("label");
  }

  function nameTabularInlines(root) {
    root.querySelectorAll(".tabular table").forEach(function (table) {
      table.querySelectorAll("tbody tr").forEach(function (row, index) {
        var original = row.querySelector("td.original p");
        var rowName = text(original) || (row.classList.contains("empty-form") ? "" : String(index + 1));
        row.querySelectorAll("td").forEach(function (cell) {
          var header = "";
          if (cell.classList.contains("delete")) {
            var last = table.querySelector("thead th:last-child");
            header = text(last);
          } else {
            var field = Array.from(cell.classList).find(function (c) { return c.indexOf("field-") === 0; });
            if (!field) return;
            header = text(table.querySelector("thead th.column-" + CSS.escape(field.slice(6))));
          }
          if (!header) return;
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (input) {
            if (!hasName(input)) {
              input.setAttribute("aria-label", rowName ? header + " — " + rowName : header);
            }
          });
        });
      });
    });
  }

  function nameDateTimeParts(root) {
    root.querySelectorAll("p.datetime").forEach(function (p) {
      var group = p.closest("fieldset, .form-row, .fieldBox");
      var legend = group && group.querySelector("legend, label");
      var fieldName = text(legend);
      var prefix = "";
      p.childNodes.forEach(function (node) {
        if (node.nodeType === Node.TEXT_NODE && node.textContent.trim()) {
          prefix = node.textContent.replace(/[\s:]+$/, "").trim();
        } else if (node.nodeName === "INPUT" && node.type !== "hidden" && !hasName(node)) {
          node.setAttribute("aria-label", fieldName ? fieldName + " — " + prefix : prefix);
        }
      });
    });
  }

  function nameSelect2(root) {
    root.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
      var container = box.closest(".select2");
      var select = container && container.previousElementSibling;
      if (!select || select.tagName !== "SELECT" || !select.id) return;
      var label = document.querySelector('label[for="' + CSS.escape(select.id) + '"]');
      if (!label) return;
      if (!label.id) label.id = select.id + "-label";
      var current = (box.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
      if (current.indexOf(label.id) === -1) {
        box.setAttribute("aria-labelledby", [label.id].concat(current).join(" "));
      }
      var rendered = box.querySelector(".select2-selection__rendered[role=textbox]");
      if (rendered && !rendered.getAttribute("aria-labelledby")) {
        rendered.setAttribute("aria-labelledby", label.id);
      }
    });
  }

  function fixHelpIcons(root) {
    root.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (span) {
      span.setAttribute("role", "img");
    });
  }

  function nameSelectAll(root) {
    root.querySelectorAll("input.select-toggle").forEach(function (box) {
      if (!hasName(box)) box.setAttribute("aria-label", document.documentElement.lang.indexOf("en") === 0 ? "Select all" : "Tout sélectionner");
    });
  }

  function run() {
    var root = document;
    nameTabularInlines(root);
    nameDateTimeParts(root);
    nameSelect2(root);
    fixHelpIcons(root);
    nameSelectAll(root);
  }

  var pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      run();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    run();
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
  });
  window.addEventListener("load", run);
})();
