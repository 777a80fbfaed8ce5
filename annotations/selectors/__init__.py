"""Reads shared by views and the API."""
