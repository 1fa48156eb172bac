"""MSSanté: the secure health mail."""
