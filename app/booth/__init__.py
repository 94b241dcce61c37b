"""The voting booth on the class tablet."""
