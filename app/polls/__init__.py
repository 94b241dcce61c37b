"""Polls and elections: the educator prepares, opens, closes, counts and publishes; the board shows them."""
