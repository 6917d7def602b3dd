// Searchable picker over a native <select data-picker> (progressive enhancement: without this
// script the select itself is the picker). The select stays the one source of truth — searching
// only changes which options are listed — so a ticked item is never lost by a new search.
// Everything is a native checkbox, radio, button or search field: usable from the keyboard.
(function () {
  "use strict";
  // htmx re-runs this file when it swaps in a page that loads it: listen once.
  if (window.vlrPicker) return;
  window.vlrPicker = true;
  var LIMIT = 30;
  function norm(text) { return (text || "").toLocaleLowerCase().normalize("NFC"); }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }
  // The first word of an option is its code ("11.6", "L-1") and shown bold, unless the select
  // says its options have none (data-picker-plain: initiatives, sentences).
  function optionLine(option) {
    var text = option.textContent.trim(), space = text.indexOf(" ");
    var select = option.closest("select");
    // options in the language of a document (its sentences) keep that language when listed
    if (select.lang) return el("span", {lang: select.lang}, text);
    if (select.hasAttribute("data-picker-plain")) return document.createTextNode(text);
    var frag = document.createDocumentFragment();
    frag.appendChild(el("strong", {}, space > 0 ? text.slice(0, space) : text));
    frag.appendChild(document.createTextNode(space > 0 ? text.slice(space) : ""));
    return frag;
  }

  function enhance(select) {
    var box = select.closest("[data-picker-box]");
    var labels = {};
    ["search", "chosen", "none", "remove", "matches", "nomatch", "more"].forEach(function (k) {
      labels[k] = box.getAttribute("data-label-" + k) || "";
    });
    var multiple = select.multiple, id = select.id;
    var options = Array.prototype.filter.call(select.options, function (o) { return o.value !== ""; });
    var chosen = el("ul", {"class": "picker-chosen", id: id + "-chosen", "aria-live": "polite"});
    var search = el("input", {type: "search", id: id + "-search", autocomplete: "off",
                              "aria-describedby": id + "-status", placeholder: labels.search});
    var status = el("p", {"class": "help", id: id + "-status", "aria-live": "polite"});
    var results = el("ul", {"class": "target-options picker-results", id: id + "-results"});
    var fieldLabel = box.querySelector("label[for='" + id + "']");
    if (fieldLabel) fieldLabel.setAttribute("for", search.id);
    search.setAttribute("aria-label", (fieldLabel ? fieldLabel.textContent + ": " : "") + labels.search);

    function renderChosen() {
      chosen.textContent = "";
      var picked = options.filter(function (o) { return o.selected; });
      if (!picked.length) chosen.appendChild(el("li", {"class": "muted"}, labels.none));
      picked.forEach(function (option) {
        var li = el("li", {});
        li.appendChild(optionLine(option));
        var remove = el("button", {type: "button", "class": "link"}, labels.remove);
        remove.appendChild(el("span", {"class": "visually-hidden"}, " " + option.textContent.trim().split(" ")[0]));
        remove.addEventListener("click", function () {
          option.selected = false;
          renderChosen(); renderResults();
          search.focus();
        });
        li.appendChild(document.createTextNode(" "));
        li.appendChild(remove);
        chosen.appendChild(li);
      });
    }

    function renderResults() {
      var words = norm(search.value).split(/\s+/).filter(Boolean);
      results.textContent = "";
      if (!words.length) { status.textContent = ""; return; }
      var query = words.join(" ");
      var hits = options.filter(function (o) {
        var text = norm(o.textContent);
        return words.every(function (w) { return text.indexOf(w) !== -1; });
      });
      // Options whose code starts with what was typed come first ("1.1" lists 1.1 before 11.1).
      hits.sort(function (a, b) {
        return (norm(a.textContent).indexOf(query) === 0 ? 0 : 1) - (norm(b.textContent).indexOf(query) === 0 ? 0 : 1);
      });
      status.textContent = hits.length ? hits.length + " " + labels.matches + (hits.length > LIMIT ? ". " + labels.more : "") : labels.nomatch;
      hits.slice(0, LIMIT).forEach(function (option) {
        var li = el("li", {}), label = el("label", {});
        var input = el("input", {type: multiple ? "checkbox" : "radio", value: option.value,
                                 name: multiple ? "" : id + "-pick", form: "_picker_none"});
        input.checked = option.selected;
        input.addEventListener("change", function () {
          if (multiple) option.selected = input.checked; else select.value = option.value;
          renderChosen();
        });
        label.appendChild(input);
        label.appendChild(document.createTextNode(" "));
        label.appendChild(optionLine(option));
        li.appendChild(label);
        results.appendChild(li);
      });
    }

    search.addEventListener("input", renderResults);
    // Enter in the search box searches; it must not submit the whole form.
    search.addEventListener("keydown", function (event) { if (event.key === "Enter") event.preventDefault(); });
    select.hidden = true;
    select.removeAttribute("required");
    select.setAttribute("tabindex", "-1");
    var wrap = el("div", {"class": "picker", "data-enhanced": "1"});
    var chosenTitle = el("p", {"class": "label", id: id + "-chosen-title"}, labels.chosen);
    chosen.setAttribute("aria-labelledby", id + "-chosen-title");
    wrap.appendChild(chosenTitle); wrap.appendChild(chosen);
    wrap.appendChild(search); wrap.appendChild(status); wrap.appendChild(results);
    select.parentNode.insertBefore(wrap, select.nextSibling);
    renderChosen();
  }

  function init(root) {
    (root || document).querySelectorAll("select[data-picker]:not([hidden])").forEach(enhance);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { init(); });
  else init();
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
