"""A minimal PNG reader (standard library only) for checking screenshots.

Decodes 8-bit greyscale, RGB and RGBA non-interlaced PNGs (what Chromium's
--screenshot writes) into rows of pixels, to tell a rendered page from an
empty or broken one.
"""
import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}     # PNG colour type -> samples per pixel


def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def decode(data):
    """-> (width, height, channels, [bytes per row]); ValueError if not a PNG we read."""
    if data[:8] != SIGNATURE:
        raise ValueError("not a PNG")
    pos, idat, ihdr = 8, [], None
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if len(body) != length:
            raise ValueError("truncated chunk")
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    if not ihdr:
        raise ValueError("no IHDR")
    width, height, depth, ctype, _, _, interlace = ihdr
    if depth != 8 or ctype not in CHANNELS or interlace:
        raise ValueError(f"unsupported PNG: depth {depth} colour {ctype} interlace {interlace}")
    bpp = CHANNELS[ctype]
    stride = width * bpp
    raw = zlib.decompress(b"".join(idat))
    if len(raw) != height * (stride + 1):
        raise ValueError("image data size does not match the header")
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif f == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, prev))
        elif f == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif f == 4:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                upleft = prev[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + _paeth(left, prev[i], upleft)) & 0xFF
        elif f != 0:
            raise ValueError(f"bad filter {f} in row {y}")
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def stats(data, step=3):
    """-> (width, height, distinct colours, fraction of non-white pixels), sampling
    every step-th pixel of every step-th row."""
    width, height, bpp, rows = decode(data)
    colours, nonwhite, seen = set(), 0, 0
    for row in rows[::step]:
        for x in range(0, width * bpp, bpp * step):
            px = row[x:x + min(bpp, 3)]
            colours.add(px)
            seen += 1
            if min(px) < 240:
                nonwhite += 1
    return width, height, len(colours), nonwhite / max(seen, 1)
