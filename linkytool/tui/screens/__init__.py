"""The application's panes, one module (or sub-package) per feature."""
