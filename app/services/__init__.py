"""Use cases of Agora: they change the session (flush), the request commits once."""
