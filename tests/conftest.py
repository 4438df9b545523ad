"""Shared fixtures: people of every kind, a small register, API clients."""
import os

os.environ.setdefault("SECASSURE_DATA_DIR", os.path.join(os.path.dirname(__file__), "..", "var"))
