"""Understanding: pure functions from a parsed document to its type and fields."""
