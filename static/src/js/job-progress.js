// The shared progress component (templates/_progress.jinja). The block that shows a job's
// progress polls its status URL with htmx every second. While the job is still going, the
// answer has the same bar: update its percentage and sentence in place and skip the swap, so
// the live region around it reads out only the new number. Once the answer is different (the
// outcome, a download, "Try again") htmx swaps it in as usual, inside the same live region.
// A file, not an inline script: the Content-Security-Policy allows scripts from this site only.
const WIDTH = /\bapp-width-\d+\b/;

document.body.addEventListener("htmx:beforeSwap", function (event) {
  const target = event.detail.target;
  const oldBar = target && target.querySelector("[data-progress-bar]");
  const oldText = target && target.querySelector("[data-progress-text]");
  if (!oldBar || !oldText || !event.detail.serverResponse) { return; }
  const answer = new DOMParser().parseFromString(event.detail.serverResponse, "text/html");
  const fresh = answer.getElementById(target.id);
  const newBar = fresh && fresh.querySelector("[data-progress-bar]");
  const newText = fresh && fresh.querySelector("[data-progress-text]");
  if (!newBar || !newText) { return; }
  const width = newBar.className.match(WIDTH);
  if (width) { oldBar.className = oldBar.className.replace(WIDTH, width[0]); }
  if (oldText.textContent !== newText.textContent) { oldText.innerHTML = newText.innerHTML; }
  event.detail.shouldSwap = false;
});
