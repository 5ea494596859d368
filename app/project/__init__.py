"""The local planning project: one SpatiaLite file per party."""
