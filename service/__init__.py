"""The reviewers' web service (FastAPI). It calls `extractor`; nothing in `extractor` knows HTTP."""
