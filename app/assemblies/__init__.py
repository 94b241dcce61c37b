"""Assemblies of the class council: agenda, roles, board, speakers queue and minutes."""
