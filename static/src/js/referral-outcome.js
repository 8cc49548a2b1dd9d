// Ask whether a meeting happened only when a C(E)TR or LAEP was requested. Without
// JavaScript the question shows with a hint, and the server drops an answer that does
// not apply.
(function () {
  var form = document.querySelector(".app-outcome-form");
  var meeting = document.getElementById("outcome-meeting");
  if (!form || !meeting) { return; }
  function update() {
    var requested = ["cetr_requested", "laep_requested"].some(function (name) {
      var checked = form.querySelector("input[name='" + name + "']:checked");
      return checked && checked.value === "yes";
    });
    meeting.hidden = !requested;
  }
  form.addEventListener("change", update);
  update();
})();
