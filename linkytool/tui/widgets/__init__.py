"""Small reusable widgets of the UI (image preview, file picker, charts, help)."""
