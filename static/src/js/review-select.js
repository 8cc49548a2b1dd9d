// The review page's "Select all" links (issue 16 item 3). Without JavaScript each link reloads
// the page with the results ticked (?tick=all or ?tick=section-N); with it, the link ticks them
// in place, and a second click clears them. The links are links, so they keep working as such.
(function () {
  var form = document.querySelector(".app-review-form");
  if (!form) { return; }
  function boxes(scope) {
    var root = scope === "all" ? form : form.querySelector("[data-section='" + scope + "']");
    return root ? Array.prototype.slice.call(root.querySelectorAll("input[name='selected']")) : [];
  }
  function label(link) {
    if (!link.dataset.selectText) { link.dataset.selectText = link.innerHTML; }
    var all = boxes(link.dataset.select);
    var ticked = all.length && all.every(function (box) { return box.checked; });
    link.innerHTML = ticked ? link.dataset.selectText.replace("Select all", "Clear all") : link.dataset.selectText;
  }
  var links = Array.prototype.slice.call(form.querySelectorAll("a[data-select]"));
  links.forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var all = boxes(link.dataset.select);
      var tick = !all.every(function (box) { return box.checked; });
      all.forEach(function (box) { box.checked = tick; });
      links.forEach(label);
    });
  });
  form.addEventListener("change", function () { links.forEach(label); });
  links.forEach(label);
})();
