"""Input shapes for the browser, one module per area."""
