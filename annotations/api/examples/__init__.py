"""OpenAPI examples, out of the view modules: one module per part of the API."""
