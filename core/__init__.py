"""The platform's lowest layer: base model, one error, shared form fields and helpers. Imports no app."""
