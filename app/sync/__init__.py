"""Sync: the change-set wire format, the merge, the server and the client."""
