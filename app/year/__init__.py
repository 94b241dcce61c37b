"""The class's year in pictures: council roles, speaking turns, messages and decisions, for its educators."""
