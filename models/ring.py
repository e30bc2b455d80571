"""What the recogniser saw along a seal's ring, kept compactly enough to ask later "does it say X?"."""

from pydantic import BaseModel


class RingProbs(BaseModel):
    """The recogniser's per-frame output on the ring's unwrapped strip (its name arcs joined in
    reading order), reduced to each frame's likeliest characters. `frames` is base64 of: one uint8
    count per frame (`steps` frames), then for all kept entries uint16 codes (0 the CTC blank, i the i-th character of
    `alphabet`), then their probabilities as float16. The mass a frame does not keep is spread evenly
    over the `classes` it does not list (a floor). Written and read by extractor/ocr/ctc.py."""

    alphabet: str = ""
    classes: int = 0  # the recogniser's output classes, the blank included
    steps: int = 0  # frames
    frames: str = ""
