"""Judging: profiles (one per notice) and rules that turn documents into findings. Never reads files."""
