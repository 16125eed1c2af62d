"""Spreadsheet imports of the directory (CSV, XLSX): upload and preview, then commit all or nothing (issue 3)."""
