#!/usr/bin/env python3
"""Count the pixels of a PNG screenshot near given colours (stdlib only: zlib + struct).

usage: png_colors.py FILE NAME=RRGGBB[/TOLERANCE] ...   prints {"width":..,"height":..,"NAME":count,...}
       png_colors.py FILE --rgb OUT                     writes OUT as a binary PPM (P6), for tests that
                                                        check pixels at given places themselves
"""
import json, struct, sys, zlib


def read_png(path):
    data = open(path, 'rb').read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise SystemExit(f"{path}: not a PNG")
    pos, idat, width, height, colour_type = 8, b'', 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b'IHDR':
            width, height, depth, colour_type = struct.unpack('>IIBB', body[:10])
            if depth != 8 or colour_type not in (2, 6):
                raise SystemExit(f"{path}: only 8-bit RGB/RGBA is handled")
        elif kind == b'IDAT':
            idat += body
    bpp = 3 if colour_type == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, previous, i = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):  # undo the PNG row filter
            a = line[x - bpp] if x >= bpp else 0
            b = previous[x]
            c = previous[x - bpp] if x >= bpp else 0
            if kind == 1: line[x] = (line[x] + a) & 255
            elif kind == 2: line[x] = (line[x] + b) & 255
            elif kind == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        previous = line
    return width, height, bpp, rows


def write_ppm(out, width, height, bpp, rows):
    with open(out, 'wb') as f:
        f.write(b'P6 %d %d 255\n' % (width, height))
        for row in rows:
            f.write(bytes(row) if bpp == 3 else bytes(b for i, b in enumerate(row) if i % 4 != 3))


def main():
    path, specs = sys.argv[1], sys.argv[2:]
    width, height, bpp, rows = read_png(path)
    if specs[:1] == ['--rgb']:
        write_ppm(specs[1], width, height, bpp, rows)
        return
    targets = []
    for spec in specs:
        name, colour = spec.split('=')
        hexcode, _, tolerance = colour.partition('/')
        rgb = tuple(int(hexcode[k:k + 2], 16) for k in (0, 2, 4))
        targets.append((name, rgb, int(tolerance or 12)))
    counts = {name: 0 for name, _, _ in targets}
    for row in rows:
        for x in range(0, width * bpp, bpp):
            r, g, b = row[x], row[x + 1], row[x + 2]
            for name, (tr, tg, tb), tol in targets:
                if abs(r - tr) <= tol and abs(g - tg) <= tol and abs(b - tb) <= tol:
                    counts[name] += 1
    print(json.dumps({"width": width, "height": height, **counts}))


main()
