"""Camera geometry: where the meter's face lands in the photo.

A pinhole camera looks at the (flat) meter face: the face is rotated in 3-D by ``yaw``
(about the vertical axis) and ``pitch`` (about the horizontal axis), projected with focal
length ``focal`` [px], then rolled by ``roll`` in the image plane. The result is the
homography face pixels → photo pixels; PIL warps with its inverse.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

# One solver for the reader and the generator: the reader's (4-point DLT).
from linkytool.ocr.rectify import homography

__all__ = ["Pose", "apply_homography", "homography", "pil_perspective_data", "project"]

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Pose:
    """Where and how the camera sees the face.

    Angles in [°]; ``anchor`` = the face point [face px] that lands on ``target`` [photo
    px] (the LCD centre); ``focal`` [px].
    """

    yaw: float
    pitch: float
    roll: float
    focal: float
    anchor: tuple[float, float]
    target: tuple[float, float]


def project(points: Matrix, pose: Pose) -> Matrix:
    """Face pixel coordinates (N, 2) → photo pixel coordinates (N, 2)."""
    yaw, pitch, roll = (math.radians(a) for a in (pose.yaw, pose.pitch, pose.roll))
    rot_y = np.array(
        [[math.cos(yaw), 0, math.sin(yaw)], [0, 1, 0], [-math.sin(yaw), 0, math.cos(yaw)]]
    )
    rot_x = np.array(
        [[1, 0, 0], [0, math.cos(pitch), -math.sin(pitch)], [0, math.sin(pitch), math.cos(pitch)]]
    )
    relative = np.asarray(points, dtype=np.float64) - np.array(pose.anchor)
    space = np.column_stack([relative, np.zeros(len(relative))]) @ (rot_x @ rot_y).T
    depth = space[:, 2] + pose.focal
    flat = pose.focal * space[:, :2] / depth[:, None]
    cos_r, sin_r = math.cos(roll), math.sin(roll)
    rolled = flat @ np.array([[cos_r, sin_r], [-sin_r, cos_r]])
    result: Matrix = rolled + np.array(pose.target)
    return result


def apply_homography(matrix: Matrix, points: Matrix) -> Matrix:
    """Map (N, 2) points through a 3×3 homography."""
    pts = np.column_stack([np.asarray(points, dtype=np.float64), np.ones(len(points))])
    mapped = pts @ matrix.T
    return mapped[:, :2] / mapped[:, 2:3]


def pil_perspective_data(
    face_to_photo: Matrix, offset: tuple[int, int]
) -> tuple[float, float, float, float, float, float, float, float]:
    """PIL ``Transform.PERSPECTIVE`` data for an output tile whose origin is ``offset``.

    PIL maps each output pixel back to the source, so this is the inverse homography,
    composed with the tile's translation and normalised so that its last entry is 1.
    """
    shift = np.array([[1, 0, offset[0]], [0, 1, offset[1]], [0, 0, 1]], dtype=np.float64)
    inverse = np.linalg.inv(face_to_photo) @ shift
    inverse /= inverse[2, 2]
    a, b, c, d, e, f, g, h = (float(v) for v in inverse.flatten()[:8])
    return (a, b, c, d, e, f, g, h)
