"""Box, pouch and header-bag mockups (perspective faces with shading), from panel rasters."""
from __future__ import annotations

import math

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from .catalogue import Pack
from .mockup_canvas import Artwork, blend, canvas as new_canvas, shadow as cast_shadow


def _project(points3d: np.ndarray, yaw_deg: float, pitch_deg: float, dist: float) -> np.ndarray:
    """Perspective projection (x right, y up, z towards the viewer) after turning the object by
    ``yaw`` about the vertical and tilting the view down by ``pitch``. Returns (x, y) with y down."""
    a, b = math.radians(yaw_deg), math.radians(pitch_deg)
    ry = np.array([[math.cos(a), 0, math.sin(a)], [0, 1, 0], [-math.sin(a), 0, math.cos(a)]])
    rx = np.array([[1, 0, 0], [0, math.cos(b), -math.sin(b)], [0, math.sin(b), math.cos(b)]])
    p = points3d @ ry.T @ rx.T
    f = dist / (dist - p[:, 2])
    return np.stack([p[:, 0] * f, -p[:, 1] * f], axis=1)


def _face(canvas: np.ndarray, img: Image.Image, quad: np.ndarray, shade: float) -> None:
    """Warp ``img`` onto the screen quadrilateral ``quad`` (tl, tr, br, bl) and shade it."""
    size = canvas.shape[0]
    src = np.array([[0, 0], [img.width, 0], [img.width, img.height], [0, img.height]], np.float32)
    m = cv2.getPerspectiveTransform(src, quad.astype(np.float32))
    rgb = cv2.warpPerspective(np.asarray(img.convert("RGB"), np.float32), m, (size, size),
                              flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    mask = cv2.warpPerspective(np.ones((img.height, img.width), np.float32), m, (size, size),
                               flags=cv2.INTER_LINEAR)
    blend(canvas, np.clip(rgb * shade, 0, 255), mask)


def _box(canvas: np.ndarray, dims: tuple[float, float, float], faces: dict[str, Image.Image],
         scale: float, origin: tuple[float, float], *, yaw: float = -32, pitch: float = 27,
         base_z: float = 0.0) -> np.ndarray:
    """A box L (x) × W (z, depth) × H (y) standing on y = base_z, front face towards the viewer
    turned by ``yaw``; paints the front, right and top faces. Returns the projected corners."""
    L, W, H = dims
    x0, x1, y0, y1, z0, z1 = -L / 2, L / 2, base_z, base_z + H, -W / 2, W / 2
    pts = np.array([[x0, y1, z1], [x1, y1, z1], [x1, y0, z1], [x0, y0, z1],      # front tl tr br bl
                    [x1, y1, z1], [x1, y1, z0], [x1, y0, z0], [x1, y0, z1],      # right
                    [x0, y1, z0], [x1, y1, z0], [x1, y1, z1], [x0, y1, z1]])     # top (back edge first)
    scr = _project(pts, yaw, pitch, dist=max(L, W, H) * 4.5) * scale + np.array(origin)
    if "front" in faces:
        _face(canvas, faces["front"], scr[0:4], 1.0)
    if "right" in faces:
        _face(canvas, faces["right"], scr[4:8], 0.78)
    if "top" in faces:
        _face(canvas, faces["top"], scr[8:12], 1.07)
    img = Image.fromarray(np.clip(canvas, 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(img)
    for a, b in ((0, 1), (1, 2), (1, 5)):          # soft light on the edges facing the light
        d.line([tuple(scr[a]), tuple(scr[b])], fill=(255, 255, 255), width=1)
    canvas[:] = np.asarray(img, np.float32)
    return scr


def tuck_box(art: Artwork, pack: Pack, size: int) -> np.ndarray:
    """Front, right side and top of a tuck-end box in perspective."""
    d = pack.dims
    t = d["board_mm"]
    L, W, H = d["length_mm"] + 2 * t, d["width_mm"] + 2 * t, d["depth_mm"] + 4 * t
    canvas = new_canvas(size)
    scale = size * 0.62 / max(H * 1.1, L + W * 0.7)
    origin = (size * 0.48, size * 0.5 + H * scale * 0.45)
    cast_shadow(canvas, origin[0] + W * scale * 0.25, origin[1] + 4, (L + W) * scale * 0.55, W * scale * 0.35)
    faces = {"front": art.panel("front"), "right": art.panel("right"), "top": art.panel("top")}
    _box(canvas, (L, W, H), faces, scale, origin)
    return canvas


def tray_box(art: Artwork, pack: Pack, size: int) -> np.ndarray:
    """A closed tray-and-lid box seen from above: the lid's top (principal panel), front and
    right walls, with the tray showing below a shallow lid."""
    d = pack.dims
    t, c = d["board_mm"], d["clearance_mm"]
    Lt, Wt, Dt = d["length_mm"] + 4 * t, d["width_mm"] + 2 * t, d["depth_mm"] + t
    Ll, Wl, Dl = Lt + c + 2 * t, Wt + c + 2 * t, d["lid_depth_mm"] + t
    canvas = new_canvas(size)
    scale = size * 0.74 / (Ll + Wl * 0.5)
    origin = (size * 0.48, size * 0.5 + Dt * scale * 0.3)
    cast_shadow(canvas, origin[0] + Wl * scale * 0.2, origin[1] + 4, (Ll + Wl) * scale * 0.5, Wl * scale * 0.3)
    colour = art.colour()
    plain = Image.new("RGB", (64, 64), colour)
    _box(canvas, (Lt, Wt, Dt), {"front": plain, "right": plain}, scale, origin, pitch=38)
    faces = {"front": art.panel("lid_near"), "right": art.panel("lid_right"), "top": art.panel("front")}
    _box(canvas, (Ll, Wl, Dl), faces, scale, origin, pitch=38, base_z=Dt - Dl)
    return canvas


def _highlight(canvas: np.ndarray, mask: np.ndarray, x_centre: float, width: float, strength: float) -> None:
    size = canvas.shape[0]
    xx = np.arange(size, dtype=np.float32)[None, :]
    glow = np.exp(-((xx - x_centre) / width) ** 2) * strength
    canvas += (255 - canvas) * (glow * mask)[:, :, None]


def pouch(art: Artwork, pack: Pack, size: int) -> np.ndarray:
    """A kraft stand-up pouch with its front sticker, slight perspective and a soft highlight."""
    d = pack.dims
    W, H = d["width_mm"], d["height_mm"]
    s = size * 0.78 / max(H, W * 1.3)
    pw, ph = W * s, H * s
    flat = Image.new("RGBA", (int(pw) + 2, int(ph) + 2), (0, 0, 0, 0))
    dr = ImageDraw.Draw(flat)
    kraft = (196, 160, 110, 255)
    dr.rounded_rectangle((0, 0, pw, ph), radius=int(s * 6), fill=kraft)
    seal = d["top_seal_mm"] * s
    dr.rectangle((0, 0, pw, seal * 0.45), fill=(186, 150, 100, 255))
    dr.line((0, seal * 0.62, pw, seal * 0.62), fill=(160, 125, 80, 255), width=max(2, int(s * 1.2)))
    for x in (0, pw):
        dr.polygon([(x, seal * 0.3), (x + (5 if x == 0 else -5) * s / 2, seal * 0.36), (x, seal * 0.42)],
                   fill=(0, 0, 0, 0))
    fibres = np.random.default_rng(7).normal(0, 6, (flat.height, flat.width, 1))
    arr = np.asarray(flat, np.float32).copy()
    arr[:, :, :3] = np.clip(arr[:, :, :3] + fibres, 0, 255)
    flat = Image.fromarray(arr.astype(np.uint8), "RGBA")
    sticker = art.panel("front").convert("RGBA")
    sw, sh = art.net.panel("front").w_mm * s, art.net.panel("front").h_mm * s
    sticker = sticker.resize((int(sw), int(sh)), Image.LANCZOS)
    m = Image.new("L", sticker.size, 0)
    ImageDraw.Draw(m).rounded_rectangle((0, 0, sticker.width - 1, sticker.height - 1), radius=int(3 * s), fill=255)
    flat.paste(sticker, (int((pw - sw) / 2), int(seal + d["label_gap_mm"] * s)), m)
    gusset = d["gusset_mm"] * s
    g = ImageDraw.Draw(flat)
    g.arc((pw * 0.05, ph - gusset * 0.9, pw * 0.95, ph + gusset * 0.4), 180, 360, fill=(150, 118, 78, 255),
          width=max(2, int(s)))
    # slight perspective: the top is a little narrower and further away
    src = np.float32([[0, 0], [flat.width, 0], [flat.width, flat.height], [0, flat.height]])
    ox, oy = (size - flat.width) / 2, (size - flat.height) / 2 - size * 0.02
    dst = np.float32([[ox + pw * 0.04, oy], [ox + pw * 0.97, oy + ph * 0.01], [ox + pw, oy + ph],
                      [ox, oy + ph * 0.99]])
    mtx = cv2.getPerspectiveTransform(src, dst)
    rgba = cv2.warpPerspective(np.asarray(flat, np.float32), mtx, (size, size), flags=cv2.INTER_LINEAR)
    canvas = new_canvas(size)
    cast_shadow(canvas, size / 2, oy + ph, pw * 0.55, gusset * 0.45, 0.4)
    alpha = rgba[:, :, 3] / 255.0
    xx = np.arange(size, dtype=np.float32)[None, :]
    edge = 1 - 0.22 * (np.abs(xx - size / 2) / (pw / 2)) ** 4
    rgb = rgba[:, :, :3] * np.clip(edge, 0.6, 1)[:, :, None]
    blend(canvas, rgb, alpha)
    _highlight(canvas, alpha, ox + pw * 0.3, pw * 0.09, 0.22)
    return canvas


def header_bag(art: Artwork, pack: Pack, size: int) -> np.ndarray:
    """A clear plastic bag hanging from its folded header card (front face), staples and all."""
    d = pack.dims
    W, Hb, D = d["bag_width_mm"], d["bag_height_mm"], d["card_depth_mm"]
    s = size * 0.8 / (Hb + D * 0.2)
    pw = W * s
    canvas = new_canvas(size)
    x0 = (size - pw) / 2
    y_card = (size - (Hb * s)) / 2
    bag_top = y_card + D * s * 0.35
    bag = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    bd = ImageDraw.Draw(bag)
    bd.rectangle((x0 + 2, bag_top, x0 + pw - 2, bag_top + Hb * s), fill=(236, 240, 244, 110),
                 outline=(200, 206, 214, 200), width=2)
    rng = np.random.default_rng(3)
    for _ in range(38):       # the product inside: a loose pile of crisps in the design's colour
        cx, cy = x0 + pw * rng.uniform(0.12, 0.88), bag_top + Hb * s * rng.uniform(0.45, 0.93)
        rx, ry = pw * rng.uniform(0.06, 0.12), pw * rng.uniform(0.04, 0.07)
        bd.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=(214, 170, 90, 235), outline=(170, 120, 60, 255))
    arr = np.asarray(bag, np.float32)
    blend(canvas, arr[:, :, :3], arr[:, :, 3] / 255.0)
    mask = (arr[:, :, 3] > 0).astype(np.float32)
    _highlight(canvas, mask, x0 + pw * 0.25, pw * 0.06, 0.45)
    card = art.piece("front_face").resize((int(pw), int(D * s)), Image.LANCZOS)
    cy0 = int(y_card)
    shadow = np.zeros(canvas.shape[:2], np.float32)
    shadow[cy0 + 6: cy0 + card.height + 6, int(x0) + 4: int(x0) + card.width + 4] = 0.25
    shadow = cv2.GaussianBlur(shadow, (0, 0), 6)
    canvas *= (1 - shadow)[:, :, None]
    canvas[cy0: cy0 + card.height, int(x0): int(x0) + card.width] = np.asarray(card, np.float32)
    staple_y = cy0 + card.height - d["staple_zone_mm"] * s / 2
    img = Image.fromarray(np.clip(canvas, 0, 255).astype(np.uint8))
    dr = ImageDraw.Draw(img)
    for fx in (0.22, 0.78):
        sx = x0 + pw * fx
        dr.rounded_rectangle((sx - 6 * s / 2, staple_y - s * 0.5, sx + 6 * s / 2, staple_y + s * 0.5), radius=2,
                             fill=(150, 150, 155), outline=(110, 110, 115))
    fold_y = cy0 + 1
    dr.line((x0, fold_y, x0 + pw, fold_y), fill=(255, 255, 255), width=2)
    img = img.filter(ImageFilter.SMOOTH_MORE) if size < 500 else img
    return np.asarray(img, np.float32).copy()
