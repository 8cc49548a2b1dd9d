// htmx keeps a copy of the page for the back button, but a copy keeps the search box and
// page size as the server drew them, not as typed or chosen: write them into the page first.
document.body.addEventListener("htmx:beforeHistorySave", function () {
  var search = document.getElementById("referral-search");
  if (search) { search.setAttribute("value", search.value); }
  document.querySelectorAll("#referral-per-page option").forEach(function (option) {
    option.toggleAttribute("selected", option.selected);
  });
});
