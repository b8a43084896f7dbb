"""Fixtures shared by every test of the backend."""
