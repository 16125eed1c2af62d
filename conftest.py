# Shared fixtures for every test package in the workspace (broker, databases, OTLP receiver).
pytest_plugins = ["tests.support.fixtures"]
