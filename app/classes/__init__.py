"""The classes blueprint."""
