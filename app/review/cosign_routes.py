"""HTTP endpoints of the joint signature (会签) under /api/v1/projects/{project}/review: signer
keys, releases and signatures. Registered by app.review.routes.

No `from __future__ import annotations` here: FastAPI reads the annotations at run time."""

from fastapi import FastAPI


def register(app: FastAPI, store, member, review) -> None:
    """Add the joint-signature endpoints to the server's app (`review`: the ReviewServer)."""
