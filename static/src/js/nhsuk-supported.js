// The NHS.UK page template's first script, from a file (the Content-Security-Policy allows no
// inline script, ADR 0030; config/jinja2.py swaps it in). Loaded at the start of <body>, not
// deferred, so components are styled for JavaScript before the page is first drawn.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
