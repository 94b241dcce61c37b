"""The federation blueprint."""
