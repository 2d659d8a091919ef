// Behaviour shared by every page. The Content-Security-Policy forbids inline script and style,
// so what templates used to say in onsubmit=, onchange= and style= is declared with data-
// attributes and carried out here.
(function () {
  "use strict";

  // <form data-confirm="Question?">: ask before submitting; nothing is sent if refused.
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // <button data-print>: print the page (the print stylesheet drops the menu and buttons).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });

  // <select data-autosubmit>: choosing an option submits its form (filters, language).
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("select[data-autosubmit]") && field.form) {
      if (field.form.requestSubmit) field.form.requestSubmit();
      else field.form.submit();
    }
  });

  // [data-codes-picker]: a textarea of codes, one a line, and a box whose list the server fills
  // as one types (core/pickers.py). Picking an option, or Enter on what was typed, adds it as
  // a line "CODE — name" (once) instead of submitting the form; the box is then emptied.
  function addCode(box) {
    var code = box.value.trim();
    if (!code) return false;
    var picker = box.closest("[data-codes-picker]");
    var lines = picker.querySelector("textarea");
    var option = Array.prototype.find.call(box.list ? box.list.options : [], function (item) {
      return item.value.toUpperCase() === code.toUpperCase();
    });
    var line = option ? option.value + " — " + option.textContent.trim() : code;
    var taken = lines.value.split("\n").some(function (text) {
      return text.split("—")[0].trim().toUpperCase() === (option ? option.value : code).toUpperCase();
    });
    if (!taken) lines.value = (lines.value.trim() ? lines.value.replace(/\s+$/, "") + "\n" : "") + line;
    box.value = "";
    return true;
  }
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key === "Enter" && box.matches && box.matches("[data-codes-add]")) {
      event.preventDefault();
      addCode(box);
    }
  });
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-codes-add]") || !box.list) return;
    var picked = Array.prototype.some.call(box.list.options, function (item) {
      return item.value === box.value.trim();
    });
    if (picked) addCode(box);
  });

  // <span data-width="42.5">: a bar of a chart drawn in HTML, as wide as that percentage.
  function drawBars(root) {
    root.querySelectorAll("[data-width]").forEach(function (bar) {
      var width = parseFloat(String(bar.getAttribute("data-width")).replace(",", "."));
      if (!isNaN(width)) bar.style.width = Math.max(0, Math.min(100, width)) + "%";
    });
  }

  // <th><a class="sort" data-sort="ascending">: the column the table is sorted by. aria-sort
  // belongs on the header cell (a link may not carry it), so it is copied there.
  function markSorted(root) {
    root.querySelectorAll("a.sort[data-sort]").forEach(function (link) {
      var cell = link.closest("th");
      if (cell) cell.setAttribute("aria-sort", link.getAttribute("data-sort"));
    });
  }

  // An htmx request the server refused (busy database, full disk, lost session…): say so
  // instead of silently keeping the old content. The server's page carries its message in
  // [data-message]; otherwise the generic text from <body data-request-error>.
  function showRequestError(detail) {
    var box = document.getElementById("request-error");
    if (!box) return;
    var text = document.body.getAttribute("data-request-error") || "";
    var xhr = detail && detail.xhr;
    if (xhr && xhr.responseText) {
      var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var message = page.querySelector("[data-message]");
      if (message && message.textContent.trim()) text = message.textContent.trim();
    }
    box.querySelector("[data-text]").textContent = text;
    box.hidden = false;
  }

  // Tables marked .table-cards become one card per row on phones (parindex.css, below 576 px);
  // each cell gets its column's heading as data-label, which the card shows before the value.
  function labelCells(table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return { text: th.textContent.trim(), span: th.colSpan || 1 };
    });
    var labels = [];
    heads.forEach(function (head) {
      for (var i = 0; i < head.span; i++) labels.push(head.text);
    });
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        if (!cell.hasAttribute("data-label") && labels[column]) {
          cell.setAttribute("data-label", labels[column]);
        }
        column += cell.colSpan || 1;
      });
    });
  }

  // A work table that scrolls inside itself on a phone must be reachable by keyboard.
  function focusScroller(table) {
    if (table.scrollWidth > table.clientWidth && !table.hasAttribute("tabindex")) {
      table.setAttribute("tabindex", "0");
    }
  }

  // One walk over the tables an htmx swap touched: those inside the new content and the one
  // it was swapped into (a row or a tbody), which gained rows to label or width to scroll.
  function prepareTables(root) {
    if (!root.querySelectorAll) return;
    var tables = Array.prototype.slice.call(root.querySelectorAll("table.table-cards, table.table-work"));
    var around = root.closest && root.closest("table.table-cards, table.table-work");
    if (around) tables.push(around);
    tables.forEach(function (table) {
      if (table.classList.contains("table-cards")) labelCells(table);
      else focusScroller(table);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    prepareTables(document);
    drawBars(document);
    markSorted(document);
    var box = document.getElementById("request-error");
    if (box) {
      box.querySelector("button").addEventListener("click", function () { box.hidden = true; });
    }
  });
  document.addEventListener("htmx:load", function (event) {
    drawBars(event.target);
    prepareTables(event.target);
    markSorted(event.target);
  });
  document.addEventListener("htmx:responseError", function (event) { showRequestError(event.detail); });
  document.addEventListener("htmx:sendError", function (event) { showRequestError(null); });
})();
