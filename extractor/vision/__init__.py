"""Page-image work that is not text recognition: orientation, deskew (seals come later)."""
