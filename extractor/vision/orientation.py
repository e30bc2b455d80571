"""Page orientation (0/90/180/270) and skew from text boxes, and the image turns that fix them.

The geometry is pure: it reads the quadrilaterals a text detector gives. Only `rotate_*`
touch pixels.
"""

import math
import statistics

import cv2
import numpy as np

Quad = list[list[float]]


def _edges(quad: Quad) -> tuple[float, float, float]:
    """Length of the top edge, of the left edge, and the top edge's angle in degrees."""
    (x0, y0), (x1, y1), _, (x3, y3) = quad[:4]
    top = math.hypot(x1 - x0, y1 - y0)
    left = math.hypot(x3 - x0, y3 - y0)
    angle = math.degrees(math.atan2(y1 - y0, x1 - x0))
    return top, left, angle


def is_sideways(quads: list[Quad], min_aspect: float = 2.0) -> bool:
    """True when most elongated text boxes stand upright: the page is turned 90° or 270°."""
    wide = tall = 0
    for quad in quads:
        xs = [p[0] for p in quad]
        ys = [p[1] for p in quad]
        w, h = max(xs) - min(xs), max(ys) - min(ys)
        if w >= min_aspect * h:
            wide += 1
        elif h >= min_aspect * w:
            tall += 1
    return tall > wide and tall >= 3


def skew_degrees(quads: list[Quad], min_length: float = 40.0) -> float:
    """Median angle of the long text boxes (positive: text rises to the left, i.e. turned clockwise)."""
    angles = []
    for quad in quads:
        top, left, angle = _edges(quad)
        if top >= min_length and top >= 2 * left:
            # detector quads start top-left; fold into -45..45
            while angle > 45:
                angle -= 90
            while angle < -45:
                angle += 90
            angles.append(angle)
    if len(angles) < 3:
        return 0.0
    return float(statistics.median(angles))


def longest_boxes(quads: list[Quad], n: int = 6) -> list[Quad]:
    return sorted(quads, key=lambda q: -_edges(q)[0])[:n]


def crop_quad(image: np.ndarray, quad: Quad) -> np.ndarray:
    xs = [int(p[0]) for p in quad]
    ys = [int(p[1]) for p in quad]
    h, w = image.shape[:2]
    x0, x1 = max(min(xs), 0), min(max(xs), w)
    y0, y1 = max(min(ys), 0), min(max(ys), h)
    return image[y0:y1, x0:x1]


def rotate_quarter(image: np.ndarray, degrees_clockwise: int) -> np.ndarray:
    turns = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    degrees = degrees_clockwise % 360
    return image if degrees == 0 else cv2.rotate(image, turns[degrees])


def rotate_quads_quarter(quads: list[Quad], width: int, height: int, degrees_clockwise: int) -> list[Quad]:
    """Where the points of an image `width` x `height` land after `rotate_quarter`."""
    degrees = degrees_clockwise % 360
    out: list[Quad] = []
    for quad in quads:
        pts = []
        for x, y in quad:
            if degrees == 90:
                pts.append([height - 1 - y, x])
            elif degrees == 180:
                pts.append([width - 1 - x, height - 1 - y])
            elif degrees == 270:
                pts.append([y, width - 1 - x])
            else:
                pts.append([x, y])
        # restore a top-left-first order: the point with the smallest x + y first, then clockwise
        start = min(range(4), key=lambda i: pts[i][0] + pts[i][1])
        out.append(pts[start:] + pts[:start])
    return out


def deskew(image: np.ndarray, angle: float) -> np.ndarray:
    """Turn the image by `angle` degrees about its centre (straightening text tilted by it).

    The size is kept: pages of one scan batch then share one shape, which keeps the OCR
    runtime's memory flat over a long bundle; only the page corners (margins) are cut.
    """
    h, w = image.shape[:2]
    border = (255, 255, 255) if image.ndim == 3 else 255
    return cv2.warpAffine(image, deskew_matrix(w, h, angle), (w, h), flags=cv2.INTER_LINEAR, borderValue=border)


def deskew_matrix(width: int, height: int, angle: float) -> np.ndarray:
    """The 2 x 3 affine map `deskew` applies to an image of this size (source point to straightened)."""
    return cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)


def transform_quads(quads: list[Quad], matrix: np.ndarray) -> list[Quad]:
    """Where the points land under a 2 x 3 affine map (the quads follow the page `deskew` turns)."""
    out: list[Quad] = []
    for quad in quads:
        pts = np.asarray(quad, dtype=np.float64) @ matrix[:, :2].T + matrix[:, 2]
        out.append([[float(x), float(y)] for x, y in pts])
    return out


def scale_quads(quads: list[Quad], factor: float) -> list[Quad]:
    return [[[x * factor, y * factor] for x, y in quad] for quad in quads]


def crop_line(image: np.ndarray, quad: Quad) -> np.ndarray:
    """A text line's quadrilateral cut out and warped to an upright rectangle (a tilted box comes out
    level; a box taller than twice its width, a vertical line, is turned to read left to right)."""
    pts = np.asarray(quad, dtype=np.float32)
    width = int(max(np.linalg.norm(pts[0] - pts[1]), np.linalg.norm(pts[2] - pts[3])))
    height = int(max(np.linalg.norm(pts[0] - pts[3]), np.linalg.norm(pts[1] - pts[2])))
    if width < 1 or height < 1:
        return np.zeros((0, 0, 3), dtype=image.dtype)
    target = np.asarray([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    warp = cv2.getPerspectiveTransform(pts, target)
    crop = cv2.warpPerspective(image, warp, (width, height), borderMode=cv2.BORDER_REPLICATE,
                               flags=cv2.INTER_CUBIC)
    return np.rot90(crop) if height >= 2 * width else crop


def downscale(image: np.ndarray, max_side: int) -> tuple[np.ndarray, float]:
    h, w = image.shape[:2]
    scale = min(1.0, max_side / max(h, w))
    if scale >= 1.0:
        return image, 1.0
    small = cv2.resize(image, (max(1, int(w * scale)), max(1, int(h * scale))), interpolation=cv2.INTER_AREA)
    return small, scale
