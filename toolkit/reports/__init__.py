"""Reports: one module per output, rendered through one Jinja2 environment."""
