"""ApCV: the app version of the carte Vitale."""
