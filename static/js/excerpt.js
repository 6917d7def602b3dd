/* Manual evidence link: the person selects the excerpt in the document body; this fills the
   character offsets (into the body text as stored) and shows the quote. No framework. */
(function () {
  function offsetIn(root, node, offset) {
    var range = document.createRange();
    range.selectNodeContents(root);
    range.setEnd(node, offset);
    return range.toString().length;
  }
  function update() {
    var body = document.getElementById("doc-body");
    var form = document.getElementById("manual-link");
    if (!body || !form) return;
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    var r = sel.getRangeAt(0);
    if (!body.contains(r.startContainer) || !body.contains(r.endContainer)) return;
    var start = offsetIn(body, r.startContainer, r.startOffset);
    var end = offsetIn(body, r.endContainer, r.endOffset);
    if (end <= start) return;
    form.querySelector("[name=excerpt_start]").value = start;
    form.querySelector("[name=excerpt_end]").value = end;
    var quote = document.getElementById("excerpt-preview");
    quote.textContent = body.textContent.slice(start, end);
  }
  document.addEventListener("mouseup", update);
  document.addEventListener("keyup", update);
})();
