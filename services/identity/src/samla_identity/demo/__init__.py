"""A deterministic demo municipality (Exempelstad) for development, demos and load tests."""
