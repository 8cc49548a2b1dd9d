// Starts the NHS.UK frontend components (header menu, skip link, ...). A file, not an inline
// script: the Content-Security-Policy allows scripts from this site only (ADR 0030).
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

initAll();
