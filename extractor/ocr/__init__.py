"""OCR: one engine interface, engines loaded lazily once per process, results cached by page image."""
