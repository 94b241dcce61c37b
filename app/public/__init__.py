"""The public blueprint."""
