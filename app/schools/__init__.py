"""The schools blueprint."""
