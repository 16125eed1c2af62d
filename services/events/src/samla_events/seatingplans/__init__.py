"""Seating plans stored per chefsdag: planning from the day's people and tables, late changes, swaps, publishing.

The algorithm itself is the pure `samla_events.seating` package; this feature feeds it and keeps its results.
"""
