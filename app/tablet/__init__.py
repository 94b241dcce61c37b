"""The tablet blueprint."""
