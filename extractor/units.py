"""Sizes as a reviewer reads them."""


def format_size(n_bytes: int) -> str:
    """Bytes in the unit that makes sense (B, KB, MB, GB): 300 KB, 1.5 MB, 2.0 GB — never "0 MB"."""
    size = float(n_bytes)
    for unit in ("B", "KB", "MB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" or size >= 10 else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.0f} GB" if size >= 10 else f"{size:.1f} GB"
