"""Performance scripts for SPEC §14 (not tests): run them from the repository root as `python -m bench.<name>`."""
