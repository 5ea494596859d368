"""Publishing: the 1+8+5 deliverables from a project's content and layers as versioned,
deterministic PDFs — policy set, release edition, bilingual public reader, one-map poster —
and the server's registry of published editions.

content (app.content) and layers → maps (maps.py: matplotlib Figure → PNG) → story
(compose.py, outputs.py, onemap.py, annex.py) → PDF (document.py, contents.py, cjk.py:
reportlab Platypus) as a job with progress (build.py) → registry (client.py ⇄ routes.py,
registry.py). The CJK font comes from fonts.py.
"""
