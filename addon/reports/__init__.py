"""The report's formats: JSON, CSV, Markdown and a self-contained HTML page, each from the report model."""

FORMATS = ("json", "csv", "md", "html")
