#!/usr/bin/env python3
"""Exercise illustrations for Limber Up: one parametric figure rig -> SVG.

Every illustration is the same 3-D stick figure (fixed segment lengths and
widths) posed with joint directions or two-bone IK, seen through a simple
orthographic camera (yaw / pitch) and drawn with the painter's algorithm.
The SVGs this writes are the kept sources; re-run this script after editing a
pose (render.sh does it for you).

Sides: the rig's working side is called "W" and the other "O". The final
image is mirrored horizontally, so the W side is always the figure's LEFT side
(side views face left, with the left side nearest the viewer). The app mirrors
an illustration when the right side is worked.

Usage:
    python3 figures.py [OUTDIR]      write every <name>.svg into OUTDIR
                                     (default: this script's folder)
    python3 figures.py --list        print "<name><TAB><label>" per frame
Standard library only.
"""

import math
import os
import sys

# ---------------------------------------------------------------- style ----
W, H = 800, 600
MARGIN_X, MARGIN_Y = 40, 30
SCALE_MAX = 1.5

BG = '#F6F3EC'
FLOOR = '#CDC4B3'
FLOOR_PATCH = '#ECE6D9'
BODY = '#2E3440'
BODY_FAR = '#7D8698'
ACC = '#1F7AE0'
ACC_FAR = '#8CBAF0'
PROP = '#E8833A'
PROP_DARK = '#B9621F'
PROP_LIGHT = '#F4B27C'
MAT = '#C3D0C8'
MAT_EDGE = '#AABBB1'
POST = '#C9BCA6'
POST_DARK = '#A99A80'
IRON = '#4C566A'

# --------------------------------------------------------- proportions ----
# Units are pixels of a standing figure at scale 1 (about 510 tall).
TH, SH, FOOT = 125.0, 125.0, 48.0          # thigh, shin, foot
UA, FA, HAND = 95.0, 78.0, 30.0            # upper arm, forearm, hand
TOR, NECK, HR = 148.0, 56.0, 33.0          # hip-to-shoulder, shoulder-to-head, head radius
HIPW, SHW = 22.0, 44.0                     # half distance between hip / shoulder joints
ANK = 14.0                                 # ankle height, foot flat
# stroke widths
WID = {'thigh': 27, 'shin': 24, 'foot': 17, 'upper': 23, 'fore': 20, 'hand': 17}
NECK_W = 22
TORSO_STROKE = 36
# torso cross-sections: (half width, half depth) at pelvis, waist, shoulders
TORSO_LEVELS = ((26, 7), (29, 9), (40, 8))


# ------------------------------------------------------------- vectors ----
def add(a, b):
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def sub(a, b):
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def mul(a, k):
    return (a[0] * k, a[1] * k, a[2] * k)


def dot(a, b):
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def cross(a, b):
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def length(a):
    return math.sqrt(dot(a, a))


def unit(a):
    n = length(a)
    return (a[0] / n, a[1] / n, a[2] / n) if n > 1e-9 else (1.0, 0.0, 0.0)


def orth(a, axis):
    """Component of a perpendicular to the unit vector axis."""
    return sub(a, mul(axis, dot(a, axis)))


def lerp(a, b, t):
    return add(a, mul(sub(b, a), t))


def ang(deg, z=0.0):
    """Unit vector in the side-view plane: 0 = forward, 90 = up, -90 = down."""
    r = math.radians(deg)
    return unit((math.cos(r), math.sin(r), z))


def V(x, y, z):
    return unit((x, y, z))


def ik(a, b, l1, l2, pole):
    """Two-bone IK: returns (middle joint, end) with the bend toward pole."""
    d = sub(b, a)
    dist = length(d)
    u = unit(d)
    dist = max(min(dist, l1 + l2 - 0.01), abs(l1 - l2) + 0.01)
    b = add(a, mul(u, dist))
    x = (l1 * l1 - l2 * l2 + dist * dist) / (2 * dist)
    h = math.sqrt(max(0.0, l1 * l1 - x * x))
    p = orth(pole, u)
    if length(p) < 1e-6:
        p = orth((0.0, 1.0, 0.0), u)
    p = unit(p)
    return add(add(a, mul(u, x)), mul(p, h)), b


# -------------------------------------------------------------- figure ----
class Figure:
    SIDES = ('W', 'O')

    def __init__(self):
        self.j = {}
        self.accent = set()
        self.hands_on_body = set()   # e.g. {'armW'}: hands resting on the hips
        self.face = None
        self.levels = []

    # torso and head
    def torso(self, pelvis, lo, hi=None, right=(0, 0, 1), right_hi=None):
        lo = unit(lo)
        hi = unit(hi if hi is not None else lo)
        r_lo = unit(orth(right, lo))
        r_hi = unit(orth(right_hi if right_hi is not None else right, hi))
        mid = add(pelvis, mul(lo, TOR / 2))
        neck = add(mid, mul(hi, TOR / 2))
        r_mid = unit(add(r_lo, r_hi))
        f_lo, f_hi = unit(cross(lo, r_lo)), unit(cross(hi, r_hi))
        f_mid = unit(add(f_lo, f_hi))
        self.j.update(pelvis=pelvis, mid=mid, neck=neck,
                      hipW=add(pelvis, mul(r_lo, HIPW)), hipO=sub(pelvis, mul(r_lo, HIPW)),
                      shW=add(neck, mul(r_hi, SHW)), shO=sub(neck, mul(r_hi, SHW)))
        self.frames = dict(lo=(lo, r_lo, f_lo), mid=(unit(add(lo, hi)), r_mid, f_mid), hi=(hi, r_hi, f_hi))
        self.head(hi)

    def head(self, d, face=None):
        d = unit(d)
        self.j['head'] = add(self.j['neck'], mul(d, NECK))
        if face is None:
            face = orth(self.frames['hi'][2], d)
        self.face = unit(face)

    # legs
    def _foot(self, s, foot):
        if foot is None:
            foot = orth(self.frames['lo'][2], unit(sub(self.j['ankle' + s], self.j['knee' + s])))
        self.j['toe' + s] = add(self.j['ankle' + s], mul(unit(foot), FOOT))

    def leg(self, s, thigh, shin=None, foot=None):
        knee = add(self.j['hip' + s], mul(unit(thigh), TH))
        self.j['knee' + s] = knee
        self.j['ankle' + s] = add(knee, mul(unit(shin if shin is not None else thigh), SH))
        self._foot(s, foot)

    def leg_ik(self, s, ankle, pole, foot=None):
        self.j['knee' + s], self.j['ankle' + s] = ik(self.j['hip' + s], ankle, TH, SH, pole)
        self._foot(s, foot)

    # arms
    def _hand(self, s, hand):
        if hand is None:
            hand = sub(self.j['wrist' + s], self.j['elbow' + s])
        self.j['tip' + s] = add(self.j['wrist' + s], mul(unit(hand), HAND))

    def arm(self, s, upper, fore=None, hand=None):
        elbow = add(self.j['sh' + s], mul(unit(upper), UA))
        self.j['elbow' + s] = elbow
        self.j['wrist' + s] = add(elbow, mul(unit(fore if fore is not None else upper), FA))
        self._hand(s, hand)

    def arm_ik(self, s, target, pole, hand=None):
        """Put the middle of the hand on target (hand continues the forearm
        unless a hand direction is given)."""
        sh = self.j['sh' + s]
        if hand is None:
            elbow, grip = ik(sh, target, UA, FA + HAND / 2, pole)
            self.j['elbow' + s] = elbow
            self.j['wrist' + s] = add(elbow, mul(unit(sub(grip, elbow)), FA))
        else:
            wrist = sub(target, mul(unit(hand), HAND / 2))
            self.j['elbow' + s], self.j['wrist' + s] = ik(sh, wrist, UA, FA, pole)
        self._hand(s, hand)

    # whole-body helpers
    def move(self, d):
        for k in self.j:
            self.j[k] = add(self.j[k], d)

    def extents(self):
        """(point, radius) pairs covering the drawn body."""
        out = [(self.j['head'], HR)]
        for p in self.torso_points():
            out.append((p, TORSO_STROKE / 2))
        for s in self.SIDES:
            for a, b, w in (('hip', 'knee', 'thigh'), ('knee', 'ankle', 'shin'), ('ankle', 'toe', 'foot'),
                            ('sh', 'elbow', 'upper'), ('elbow', 'wrist', 'fore'), ('wrist', 'tip', 'hand')):
                if a + s in self.j and b + s in self.j:
                    out.append((self.j[a + s], WID[w] / 2))
                    out.append((self.j[b + s], WID[w] / 2))
        return out

    def ground(self, level=0.0, legs_only=False):
        """Drop (or lift) the figure so that its lowest point rests on level."""
        ext = self.extents()
        if legs_only:
            ext = [e for e in ext if e[0] is not self.j['head']]
        low = min(p[1] - r for p, r in ext)
        self.move((0.0, level - low, 0.0))

    def torso_points(self):
        pts = []
        for (center, key), (hw, hd) in zip((('pelvis', 'lo'), ('mid', 'mid'), ('neck', 'hi')), TORSO_LEVELS):
            _, r, f = self.frames[key]
            c = self.j[center]
            lvl = []
            for sr in (-1, 1):
                for sf in (-1, 1):
                    lvl.append(add(c, add(mul(r, sr * hw), mul(f, sf * hd))))
            pts.append(lvl)
        self.levels = pts
        return [p for lvl in pts for p in lvl]


# --------------------------------------------------------------- scene ----
def hull(points):
    pts = sorted(set((round(x, 3), round(y, 3)) for x, y in points))
    if len(pts) <= 2:
        return pts

    def half(seq):
        h = []
        for p in seq:
            while len(h) >= 2 and ((h[-1][0] - h[-2][0]) * (p[1] - h[-2][1]) -
                                   (h[-1][1] - h[-2][1]) * (p[0] - h[-2][0])) <= 0:
                h.pop()
            h.append(p)
        return h
    lower, upper = half(pts), half(reversed(pts))
    return lower[:-1] + upper[:-1]


def circle3(center, axis, r, n=28):
    axis = unit(axis)
    a = unit(orth((0.0, 1.0, 0.0), axis)) if abs(axis[1]) < 0.9 else unit(orth((1.0, 0.0, 0.0), axis))
    b = cross(axis, a)
    return [add(center, add(mul(a, r * math.cos(2 * math.pi * i / n)), mul(b, r * math.sin(2 * math.pi * i / n))))
            for i in range(n)]


class Scene:
    def __init__(self, yaw=0.0, pitch=0.0, floor='line'):
        self.fig = Figure()
        self.yaw, self.pitch = yaw, pitch
        self.floor = floor
        self.shade_far = True   # draw the far side's limbs lighter
        self.props = []     # (kind, data)
        self.arrows = []    # lists of 3-D points

    # props
    def mat(self, x0, x1, z0=-75, z1=75, h=8.0, soft=False):
        self.props.append(('mat', (x0, x1, z0, z1, h, soft)))

    def roller(self, center, r=30.0, half=60.0, axis=(0, 0, 1)):
        self.props.append(('roller', (center, r, half, axis)))

    def ball(self, center, r=17.0):
        self.props.append(('ball', (center, r)))

    def post(self, base, top, w=20.0):
        self.props.append(('post', (base, top, w)))

    def barbell(self, center, plate_r=62.0):
        self.props.append(('barbell', (center, plate_r)))

    def band(self, a, b):
        """A resistance band stretched between two points (around the legs)."""
        self.props.append(('band', (a, b)))

    def arrow(self, pts):
        self.arrows.append(pts)

    def arc(self, center, u, v, r, a0, a1, n=16):
        u, v = unit(u), unit(v)
        pts = []
        for i in range(n + 1):
            t = math.radians(a0 + (a1 - a0) * i / n)
            pts.append(add(center, add(mul(u, r * math.cos(t)), mul(v, r * math.sin(t)))))
        self.arrow(pts)

    # camera
    def project(self, p):
        cy, sy = math.cos(math.radians(self.yaw)), math.sin(math.radians(self.yaw))
        cp, sp = math.cos(math.radians(self.pitch)), math.sin(math.radians(self.pitch))
        x1 = p[0] * cy - p[2] * sy
        z1 = p[0] * sy + p[2] * cy
        y2 = p[1] * cp - z1 * sp
        z2 = p[1] * sp + z1 * cp
        return (x1, y2, z2)

    # drawing
    def build(self):
        """Return drawable items in world-projected units:
        (layer, depth, seq, kind, data)."""
        f = self.fig
        items = []
        seq = [0]

        def put(layer, depth, kind, data):
            seq[0] += 1
            items.append((layer, depth, seq[0], kind, data))

        P = self.project
        # which side is farther from the viewer
        def side_depth(prefix, s):
            return P(f.j[prefix + s])[2]
        far = {}
        for limb, joint in (('leg', 'hip'), ('arm', 'sh')):
            dw, do = side_depth(joint, 'W'), side_depth(joint, 'O')
            far[limb + 'W'] = self.shade_far and dw < do - 12
            far[limb + 'O'] = self.shade_far and do < dw - 12

        # torso
        f.torso_points()
        lv = [[P(p) for p in lvl] for lvl in f.levels]
        tdepth = sum(p[2] for lvl in lv for p in lvl) / 12.0
        polys = [hull([(p[0], p[1]) for p in lv[0] + lv[1]]), hull([(p[0], p[1]) for p in lv[1] + lv[2]])]
        put(1, tdepth, 'torso', polys)
        # neck and head
        n0, hc = P(f.j['neck']), P(f.j['head'])
        put(1, (n0[2] + hc[2]) / 2 + 1, 'seg', (n0, hc, NECK_W, BODY, None))
        facep = P(add(f.j['head'], mul(f.face, HR)))
        put(1, hc[2] + 6, 'head', (hc, facep))
        # limbs
        chains = {'leg': (('hip', 'knee', 'thigh'), ('knee', 'ankle', 'shin'), ('ankle', 'toe', 'foot')),
                  'arm': (('sh', 'elbow', 'upper'), ('elbow', 'wrist', 'fore'), ('wrist', 'tip', 'hand'))}
        for limb, chain in chains.items():
            for s in Figure.SIDES:
                name = limb + s
                if chain[0][1] + s not in f.j:
                    continue
                acc = name in f.accent
                if far[name]:
                    col = ACC_FAR if acc else BODY_FAR
                else:
                    col = ACC if acc else BODY
                for i, (a, b, w) in enumerate(chain):
                    pa, pb = P(f.j[a + s]), P(f.j[b + s])
                    trim0 = (40 if limb == 'leg' else 30) if i == 0 else 18
                    if chain[i][2] == 'hand' and name in f.hands_on_body:
                        trim0 = 99      # no halo: the hand rests on the body
                    trim1 = 12 if i < 2 else 0
                    put(1, (pa[2] + pb[2]) / 2, 'seg', (pa, pb, WID[w], col, (trim0, trim1)))
        # props
        for kind, d in self.props:
            if kind == 'mat':
                x0, x1, z0, z1, h, soft = d
                corners = [P((x, y, z)) for x in (x0, x1) for y in (0, h) for z in (z0, z1)]
                put(0, 0, 'mat', (hull([(p[0], p[1]) for p in corners]), soft))
            elif kind == 'roller':
                c, r, half, axis = d
                axis = unit(axis)
                e1, e2 = add(c, mul(axis, half)), sub(c, mul(axis, half))
                ring1 = [P(p) for p in circle3(e1, axis, r)]
                ring2 = [P(p) for p in circle3(e2, axis, r)]
                near_end = ring1 if P(e1)[2] >= P(e2)[2] else ring2
                near_c = P(e1) if near_end is ring1 else P(e2)
                body = hull([(p[0], p[1]) for p in ring1 + ring2])
                inner = [P(p) for p in circle3(e1 if near_end is ring1 else e2, axis, r * 0.38)]
                put(1, P(c)[2], 'roller', (body, [(p[0], p[1]) for p in near_end], [(p[0], p[1]) for p in inner], near_c))
            elif kind == 'ball':
                c, r = d
                pc = P(c)
                put(1, pc[2], 'ball', (pc, r))
            elif kind == 'post':
                a, b, w = d
                pa, pb = P(a), P(b)
                put(1, (pa[2] + pb[2]) / 2, 'post', (pa, pb, w))
            elif kind == 'band':
                a, b = d
                pa, pb = P(a), P(b)
                put(1, max(pa[2], pb[2]) + 20, 'seg', (pa, pb, 9, PROP, None))
            elif kind == 'barbell':
                c, pr = d
                za, zb = add(c, (0, 0, 135)), add(c, (0, 0, -135))
                pa, pb = P(za), P(zb)
                put(1, P(c)[2] - 0.5, 'seg', (pa, pb, 9, IRON, None))
                for zz in (100, -100):
                    pc = add(c, (0, 0, zz))
                    ring = [P(p) for p in circle3(pc, (0, 0, 1), pr)]
                    put(1, P(pc)[2], 'plate', ([(p[0], p[1]) for p in ring], P(pc)))
        for pts in self.arrows:
            put(2, 0, 'arrow', [P(p) for p in pts])
        return items

    def svg(self):
        items = self.build()
        # bounding box in projected units
        xs, ys = [], []

        def grow(x, y, r=0.0):
            xs.extend((x - r, x + r))
            ys.extend((y - r, y + r))
        for layer, depth, seq, kind, d in items:
            if kind == 'seg':
                grow(d[0][0], d[0][1], d[2] / 2)
                grow(d[1][0], d[1][1], d[2] / 2)
            elif kind == 'torso':
                for poly in d:
                    for x, y in poly:
                        grow(x, y, TORSO_STROKE / 2)
            elif kind == 'head':
                grow(d[0][0], d[0][1], HR)
            elif kind in ('mat', 'roller'):
                for x, y in d[0]:
                    grow(x, y, 4)
            elif kind == 'ball':
                grow(d[0][0], d[0][1], d[1])
            elif kind == 'post':
                grow(d[0][0], d[0][1], d[2] / 2)
                grow(d[1][0], d[1][1], d[2] / 2)
            elif kind == 'plate':
                for x, y in d[0]:
                    grow(x, y, 5)
            elif kind == 'arrow':
                for p in d:
                    grow(p[0], p[1], 12)
        if self.floor == 'line':
            grow(xs[0], 0.0)
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        s = min((W - 2 * MARGIN_X) / (x1 - x0), (H - 2 * MARGIN_Y) / (y1 - y0), SCALE_MAX)
        xc, yc = (x0 + x1) / 2, (y0 + y1) / 2
        ws = s ** 0.5   # strokes grow more slowly than the figure when zoomed in

        def T(p):   # projected units -> SVG pixels, mirrored horizontally
            return (W / 2 - s * (p[0] - xc), H / 2 - s * (p[1] - yc))

        def fmt(v):
            return ('%.1f' % v).rstrip('0').rstrip('.')

        def pts(seq):
            return ' '.join('%s,%s' % (fmt(x), fmt(y)) for x, y in (T(p) for p in seq))

        out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d">' % (W, H, W, H),
               '<rect width="%d" height="%d" fill="%s"/>' % (W, H, BG)]
        if self.floor == 'line':
            fy = T((0, 0))[1]
            out.append('<line x1="16" y1="%s" x2="%d" y2="%s" stroke="%s" stroke-width="4" stroke-linecap="round"/>'
                       % (fmt(fy), W - 16, fmt(fy), FLOOR))
        elif self.floor == 'patch':
            wx = [p[0] for p in self.fig.j.values()]
            box = [self.project((x, 0.0, z)) for x in (min(wx) - 70, max(wx) + 70) for z in (-150, 150)]
            poly = hull([(p[0], p[1]) for p in box])
            out.append('<polygon points="%s" fill="%s" stroke="%s" stroke-width="%s" stroke-linejoin="round"/>'
                       % (pts(poly), FLOOR_PATCH, FLOOR_PATCH, fmt(40 * s)))

        for layer, depth, seq, kind, d in sorted(items, key=lambda it: (it[0], it[1], it[2])):
            if kind == 'seg':
                pa, pb, w, col, trim = d
                a2, b2 = T(pa), T(pb)
                if trim is not None and trim[0] < 99:
                    L = math.hypot(b2[0] - a2[0], b2[1] - a2[1])
                    t0, t1 = trim[0] * s / L if L else 1, 1 - trim[1] * s / L if L else 0
                    if t1 - t0 > 0.05:
                        ha = (a2[0] + (b2[0] - a2[0]) * t0, a2[1] + (b2[1] - a2[1]) * t0)
                        hb = (a2[0] + (b2[0] - a2[0]) * t1, a2[1] + (b2[1] - a2[1]) * t1)
                        out.append('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s" stroke-linecap="round"/>'
                                   % (fmt(ha[0]), fmt(ha[1]), fmt(hb[0]), fmt(hb[1]), BG, fmt((w + 8) * ws)))
                out.append('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s" stroke-linecap="round"/>'
                           % (fmt(a2[0]), fmt(a2[1]), fmt(b2[0]), fmt(b2[1]), col, fmt(w * ws)))
            elif kind == 'torso':
                for poly in d:
                    out.append('<polygon points="%s" fill="%s" stroke="%s" stroke-width="%s" stroke-linejoin="round"/>'
                               % (pts(poly), BODY, BODY, fmt(TORSO_STROKE * ws)))
            elif kind == 'head':
                hc, fp = d
                c = T(hc)
                out.append('<circle cx="%s" cy="%s" r="%s" fill="%s"/>' % (fmt(c[0]), fmt(c[1]), fmt(HR * s), BODY))
                fx, fy = T(fp)
                dx, dy = fx - c[0], fy - c[1]
                L = math.hypot(dx, dy) / (HR * s)
                if L > 0.55:
                    ux, uy = dx / math.hypot(dx, dy), dy / math.hypot(dx, dy)
                    nx, ny = c[0] + ux * (HR - 2) * s, c[1] + uy * (HR - 2) * s
                    out.append('<circle cx="%s" cy="%s" r="%s" fill="%s"/>' % (fmt(nx), fmt(ny), fmt(7.5 * s), BODY))
            elif kind == 'mat':
                poly, soft = d
                out.append('<polygon points="%s" fill="%s" stroke="%s" stroke-width="%s" stroke-linejoin="round"/>'
                           % (pts(poly), MAT, MAT_EDGE if not soft else MAT, fmt((14 if soft else 5) * s)))
            elif kind == 'roller':
                body, end, inner, c = d
                out.append('<polygon points="%s" fill="%s" stroke="%s" stroke-width="%s" stroke-linejoin="round"/>'
                           % (pts(body), PROP, PROP_DARK, fmt(3 * s)))
                out.append('<polygon points="%s" fill="%s" stroke="%s" stroke-width="%s" stroke-linejoin="round"/>'
                           % (pts(end), PROP_LIGHT, PROP_DARK, fmt(3 * s)))
                out.append('<polygon points="%s" fill="%s"/>' % (pts(inner), PROP_DARK))
            elif kind == 'ball':
                c, r = d
                x, y = T(c)
                out.append('<circle cx="%s" cy="%s" r="%s" fill="%s" stroke="%s" stroke-width="%s"/>'
                           % (fmt(x), fmt(y), fmt(r * s), PROP, PROP_DARK, fmt(3 * s)))
                out.append('<circle cx="%s" cy="%s" r="%s" fill="%s"/>'
                           % (fmt(x - r * s * 0.35), fmt(y - r * s * 0.35), fmt(r * s * 0.28), PROP_LIGHT))
            elif kind == 'post':
                pa, pb, w = d
                a2, b2 = T(pa), T(pb)
                out.append('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s" stroke-linecap="round"/>'
                           % (fmt(a2[0]), fmt(a2[1]), fmt(b2[0]), fmt(b2[1]), POST, fmt(w * ws)))
            elif kind == 'plate':
                ring, c = d
                out.append('<polygon points="%s" fill="%s" fill-opacity="0.22" stroke="%s" stroke-width="%s" stroke-linejoin="round"/>'
                           % (pts(ring), IRON, IRON, fmt(11 * ws)))
                x, y = T(c)
                out.append('<circle cx="%s" cy="%s" r="%s" fill="%s"/>' % (fmt(x), fmt(y), fmt(11 * s), IRON))
            elif kind == 'arrow':
                p2 = [T(p) for p in d]
                sw = 9
                # stop the line short of the tip so the head stays sharp
                (ax, ay), (bx, by) = p2[-2], p2[-1]
                L = math.hypot(bx - ax, by - ay)
                ux, uy = (bx - ax) / L, (by - ay) / L
                hl, hw = 30, 17
                line = p2[:-1] + [(bx - ux * hl * 0.6, by - uy * hl * 0.6)]
                out.append('<polyline points="%s" fill="none" stroke="%s" stroke-opacity="0.6" stroke-width="%d" stroke-linecap="round" stroke-linejoin="round"/>'
                           % (' '.join('%s,%s' % (fmt(x), fmt(y)) for x, y in line), ACC, sw))
                tip = (bx + ux * 4, by + uy * 4)
                l = (bx - ux * hl - uy * hw, by - uy * hl + ux * hw)
                r = (bx - ux * hl + uy * hw, by - uy * hl - ux * hw)
                out.append('<polygon points="%s" fill="%s" fill-opacity="0.6" stroke="%s" stroke-opacity="0.6" stroke-width="4" stroke-linejoin="round"/>'
                           % (' '.join('%s,%s' % (fmt(x), fmt(y)) for x, y in (tip, l, r)), ACC, ACC))
        out.append('</svg>')
        return '\n'.join(out) + '\n'


# --------------------------------------------------------------- poses ----
# World: x = the figure's forward (for standing poses), y = up, z = toward
# the viewer in the default side view. Floor at y = 0. W (+z) is drawn as the
# figure's left side after the final mirror.
SUPINE = (-1.0, 0.0, 0.0)    # spine direction lying on the back, head toward -x


def standing(f, pelvis=(0.0, 2 * TH + ANK, 0.0), torso=90, head=90):
    f.torso(pelvis, ang(torso))
    f.head(ang(head))


def run_frame(f, lean, legs, arms, head=88):
    """legs / arms: {side: (a1, a2, a3)} side-view angles in degrees."""
    standing(f, torso=lean, head=head)
    for s, (t, sh, ft) in legs.items():
        f.leg(s, ang(t), ang(sh), ang(ft))
    for s, (u, fo) in arms.items():
        f.arm(s, ang(u), ang(fo))
    f.ground()


def swap(d):
    return {('O' if k == 'W' else 'W'): v for k, v in d.items()}


def p_slow_jog(phase):
    sc = Scene()
    legs = {'W': (-62, -100, -8), 'O': (-113, -158, -95)}
    arms = {'W': (-122, -38), 'O': (-70, 12)}
    if phase == 2:
        legs, arms = swap(legs), swap(arms)
    run_frame(sc.fig, 85, legs, arms)
    return sc


def p_high_knees(phase):
    sc = Scene()
    legs = {'W': (2, -88, -35), 'O': (-90, -92, -40)}
    arms = {'O': (-55, 35), 'W': (-128, -45)}
    if phase == 2:
        legs, arms = swap(legs), swap(arms)
    run_frame(sc.fig, 90, legs, arms, head=90)
    sc.fig.accent = {'legW' if phase == 1 else 'legO'}
    return sc


def p_butt_kicks(phase):
    sc = Scene()
    legs = {'W': (-94, 104, 165), 'O': (-89, -92, -38)}
    arms = {'O': (-62, 25), 'W': (-122, -40)}
    if phase == 2:
        legs, arms = swap(legs), swap(arms)
    run_frame(sc.fig, 87, legs, arms, head=90)
    sc.fig.accent = {'legW' if phase == 1 else 'legO'}
    return sc


def p_strides(phase):
    sc = Scene()
    legs = {'W': (-36, -98, -12), 'O': (-127, -127, -78)}
    arms = {'W': (-140, -62), 'O': (-48, 42)}
    if phase == 2:
        legs, arms = swap(legs), swap(arms)
    run_frame(sc.fig, 86, legs, arms, head=90)
    return sc


def p_interval_run(phase):
    sc = Scene()
    legs = {'W': (-48, -108, -14), 'O': (-120, -150, -88)}
    arms = {'W': (-135, -55), 'O': (-52, 35)}
    if phase == 2:
        legs, arms = swap(legs), swap(arms)
    run_frame(sc.fig, 83, legs, arms, head=86)
    return sc


def p_recovery_walk(phase):
    sc = Scene()
    f = sc.fig
    standing(f, pelvis=(0.0, 250.0, 0.0), torso=90, head=89)
    front, back = ('W', 'O') if phase == 1 else ('O', 'W')
    z = {'W': HIPW, 'O': -HIPW}
    f.leg_ik(front, (70.0, 20.0, z[front]), (1, 0, 0), ang(18))
    toe = (-72.0, 8.0, z[back])
    f.leg_ik(back, sub(toe, mul(ang(-38), FOOT)), (1, 0, 0), ang(-38))
    f.arm(back, ang(-76), ang(-62))     # arm opposite the front leg swings forward
    f.arm(front, ang(-106), ang(-98))
    f.ground()
    return sc


def p_leg_swing_forward(phase):
    sc = Scene()
    f = sc.fig
    standing(f)
    f.leg('O', ang(-90), ang(-90), ang(-4))
    if phase == 1:
        f.leg('W', ang(-38), ang(-42), ang(35))
    else:
        f.leg('W', ang(-128), ang(-134), ang(-60))
    f.ground()
    hp = f.j['pelvis']
    top = (62.0, hp[1] - 12, -100.0)
    sc.post((62.0, 0.0, -100.0), top)
    f.arm_ik('O', add(top, (0, 10, 0)), (-0.4, -1, 0), hand=(1, -0.2, 0))
    f.arm('W', ang(-100), ang(-82))
    f.accent = {'legW'}
    hip = f.j['hipW']
    if phase == 1:
        sc.arc(hip, (1, 0, 0), (0, 1, 0), 300, -78, -46)
    else:
        sc.arc(hip, (1, 0, 0), (0, 1, 0), 300, -102, -136)
    return sc


def p_leg_swing_sideways(phase):
    sc = Scene(yaw=90, pitch=6)
    f = sc.fig
    f.torso((0.0, 2 * TH + ANK, 0.0), (0, 1, 0))
    f.leg('O', V(0, -1, -0.03), V(0, -1, -0.03), V(1, -0.15, -0.1))
    if phase == 1:     # across the body
        d = V(0.22, -math.cos(math.radians(28)), -math.sin(math.radians(28)))
    else:              # out to the side
        d = V(0.05, -math.cos(math.radians(36)), math.sin(math.radians(36)))
    f.leg('W', d, d, V(1, -0.2, 0.1))
    f.ground()
    y = f.j['pelvis'][1] + 40
    x = 75.0
    sc.post((x, 0.0, 200.0), (x, y, 200.0))
    sc.post((x, 0.0, -200.0), (x, y, -200.0))
    sc.props.append(('post', ((x + 1, y, 205.0), (x + 1, y, -205.0), 16.0)))
    f.arm_ik('W', (x + 4, y + 6, 95.0), V(-0.3, -0.4, 1), hand=V(0.5, -1, 0))
    f.arm_ik('O', (x + 4, y + 6, -95.0), V(-0.3, -0.4, -1), hand=V(0.5, -1, 0))
    f.accent = {'legW'}
    hip = f.j['hipW']
    if phase == 1:
        sc.arc(hip, (0, -1, 0), (0, 0, 1), 300, 12, -32)
    else:
        sc.arc(hip, (0, -1, 0), (0, 0, 1), 300, 14, 46)
    return sc


def lunge(sc, pad_h, rear_thigh, rear_shin, front_dist=190.0):
    f = sc.fig
    knee = (0.0, pad_h + WID['thigh'] / 2, HIPW)
    hip = sub(knee, mul(ang(rear_thigh), TH))
    pelvis = (hip[0], hip[1], 0.0)
    f.torso(pelvis, ang(91))
    f.head(ang(90))
    f.j['kneeW'] = knee
    f.j['ankleW'] = add(knee, mul(ang(rear_shin), SH))
    hipO = f.j['hipO']
    dy = hipO[1] - ANK
    dx = math.sqrt(max(front_dist ** 2 - dy ** 2, 0.0))
    f.leg_ik('O', (hipO[0] + dx, ANK, -HIPW), (0.3, 1, 0), ang(-4))
    return f


def p_kneeling_hip_flexor():
    sc = Scene()
    pad = 12.0
    sc.mat(-210, 70, h=pad)
    f = lunge(sc, pad, -114, 180)
    f._foot('W', ang(182))
    pel = f.j['pelvis']
    for s, z in (('W', 40.0), ('O', -40.0)):
        f.arm_ik(s, (pel[0] - 2, pel[1] + 44, z), (-1, 0.1, 0), hand=V(0.35, -1, 0))
    f.hands_on_body = {'armW', 'armO'}
    f.accent = {'legW'}
    sc.arrow([add(pel, (52, 62, 60)), add(pel, (118, 62, 60))])
    return sc


def p_rectus_femoris():
    sc = Scene()
    pad = 26.0
    sc.mat(-60, 60, z0=-30, z1=70, h=pad, soft=True)
    f = lunge(sc, pad, -118, 90, front_dist=185.0)
    kW, p = f.j['kneeW'], f.j['pelvis']
    f.j['ankleW'] = add(kW, mul(unit(sub((p[0] - 62, p[1] - 4, kW[2]), kW)), SH))
    f._foot('W', ang(168))
    grip = add(f.j['ankleW'], mul(ang(168), 18))
    f.arm_ik('W', add(grip, (0, 0, 8)), (-1, 0.1, 0.35))
    kO = f.j['kneeO']
    f.arm_ik('O', add(kO, (4, 20, -4)), (-0.5, -1, -0.2), hand=V(1, -0.6, 0))
    f.accent = {'legW'}
    return sc


def p_side_bend(phase):
    sc = Scene(yaw=90, pitch=12)
    f = sc.fig
    sg = 1 if phase == 1 else -1     # +1 bends toward the W (left) side
    pelvis = (-6.0, 2 * TH + ANK - 4, -12.0 * sg)
    f.torso(pelvis, V(0, 1, 0.16 * sg), V(0, 1, 0.6 * sg))
    f.head(V(0, 1, 0.85 * sg), face=(1, 0, 0))
    for s, z, fz in (('W', 44.0, -1), ('O', -44.0, 1)):
        f.leg_ik(s, (0.0, ANK, z), (1, 0, 0), V(0.8, -0.1, 0.65 * fz))
    f.ground(legs_only=True)
    hands = add(f.j['neck'], mul(V(0, 1, 1.0 * sg), 168))
    hands = add(hands, (10, 0, 0))
    f.arm_ik('W', add(hands, (0, 0, 4)), V(-0.2, 0.1, 1), hand=V(0, 1, 0.9 * sg))
    f.arm_ik('O', add(hands, (0, 0, -4)), V(-0.2, 0.1, -1), hand=V(0, 1, 0.9 * sg))
    f.accent = {'armO', 'legO'} if sg > 0 else {'armW', 'legW'}
    c = f.j['pelvis']
    sc.arc(c, (0, 1, 0), (0, 0, sg), 430, 22, 44)
    return sc


def supine(f, pelvis_x=150.0, mat=8.0, right=(0, 0, 1), hi=None):
    f.torso((pelvis_x, mat + 25, 0.0), SUPINE, hi, right=right, right_hi=(0, 0, 1))
    f.head(V(-1, 0.15, 0), face=(0, 1, 0))


def p_lying_psoas_twist():
    sc = Scene(pitch=90, floor='none')
    f = sc.fig
    sc.mat(-260, 420, -215, 215)
    supine(f, right=V(0, 0.5, 0.87), hi=V(-1, 0, -0.1))
    f.head(V(-1, 0.1, -0.15), face=(0, 1, 0))
    # W leg pulled across toward the O side, W knee high on top
    f.leg_ik('W', (335.0, 16.0, 20.0), V(0.2, 0.3, -1), V(0.9, 0.2, 0.3))
    # O leg: thigh on the floor out to the O side, ankle hooked over the W knee
    kW = f.j['kneeW']
    f.leg_ik('O', add(kW, (8, 26, -4)), V(0.4, -0.3, -1), V(0.3, 0.2, 1))
    f.arm('W', V(-1, 0.02, 0.28), V(-1, 0.02, 0.22), V(-1, 0, 0.2))
    f.arm('O', V(0.35, -0.02, -1), V(0.45, -0.02, -1))
    f.accent = {'legW', 'armW'}
    return sc


def p_cobra():
    sc = Scene()
    m = 8.0
    sc.mat(-330, 300, h=m)
    f = sc.fig
    f.torso((0.0, 40.0, 0.0), ang(44), ang(66))
    f.head(ang(80), face=ang(18))
    for s in 'WO':
        f.leg(s, ang(184), ang(180), ang(186))
    f.ground(m)
    n = f.j['neck']
    for s, z in (('W', SHW), ('O', -SHW)):
        f.arm_ik(s, (n[0] + 40, m + 9, z), V(-0.5, 0, z), hand=(1, 0, 0))
    return sc


def p_constructive_rest():
    sc = Scene()
    m = 8.0
    sc.mat(-130, 380, h=m)
    f = sc.fig
    supine(f)
    for s, z in (('W', 30.0), ('O', -30.0)):
        f.leg_ik(s, (150.0 + 168, m + ANK, z), (0, 1, 0), ang(-4))
    p = f.j['pelvis']
    for s, z in (('W', 24.0), ('O', -24.0)):
        f.arm_ik(s, (p[0] - 38, p[1] + 30, z), (0.2, -1, 0.3), hand=ang(-10))
    return sc


def p_double_knee_to_chest():
    sc = Scene()
    m = 8.0
    sc.mat(-130, 290, h=m)
    f = sc.fig
    supine(f)
    for s in 'WO':
        f.leg(s, ang(122), ang(-28), ang(48))
    for s, z in (('W', 34.0), ('O', -34.0)):
        k = f.j['knee' + s]
        f.arm_ik(s, add(add(k, mul(ang(-28), 42)), (0, 0, z - k[2])), (0.4, -1, 0))
    return sc


def p_leg_cross_over():
    sc = Scene(pitch=90, floor='none')
    sc.shade_far = False
    f = sc.fig
    sc.mat(-150, 440, -255, 255)
    supine(f, right=V(0, 0.45, 0.89))
    f.leg('O', V(1, -0.02, -0.06), V(1, 0, -0.03), V(0.25, 1, 0))
    f.leg('W', V(0.3, -0.12, -1), V(0.95, -0.05, -0.25), V(0.9, 0.3, -0.3))
    f.arm('W', V(-0.12, 0, 1), V(-0.12, 0, 1))
    f.arm('O', V(-0.12, 0, -1), V(-0.12, 0, -1))
    f.accent = {'legW'}
    hip = f.j['hipW']
    sc.arc(hip, (1, 0, 0), (0, 0, -1), 280, 8, 48)
    return sc


def figure_four_seated(sc, seat_y, tilt, lean, hands_back=100.0):
    """Sitting leaning back on the hands, W ankle over the O knee."""
    f = sc.fig
    f.torso((0.0, seat_y, 0.0), lean, right=V(0, tilt, 1))
    f.head(V(0.1, 1, lean[2]))
    f.leg_ik('O', (165.0, ANK, -34.0), (0.3, 1, 0), ang(-4))
    kO = f.j['kneeO']
    f.leg_ik('W', add(kO, (-14, 24, 6)), V(0.3, 0.05, 1), V(0.25, -0.2, -1))
    p = f.j['pelvis']
    for s, z in (('W', 62.0), ('O', -62.0)):
        f.arm_ik(s, (p[0] - hands_back, 9.0, z), (-1, 0, 0), hand=V(-1, 0, 0.15 * (1 if z > 0 else -1)))
    f.accent = {'legW'}
    return f


def p_foam_roll_piriformis():
    sc = Scene(yaw=66)
    sc.roller((0.0, 30.0, 0.0), half=62)
    figure_four_seated(sc, 88.0, -0.25, V(-0.42, 0.9, 0.2), hands_back=105)
    return sc


def p_glute_ball_release():
    sc = Scene(yaw=66)
    sc.ball((-4.0, 17.0, 24.0))
    figure_four_seated(sc, 50.0, 0.28, V(-0.5, 0.87, 0.0), hands_back=92)
    return sc


def p_piriformis_stretch():
    sc = Scene()
    m = 8.0
    sc.mat(-130, 330, h=m)
    f = sc.fig
    supine(f)
    # supporting (O) thigh pulled up to vertical, shin level: the "4"
    f.leg('O', ang(96), ang(4), ang(60))
    hO, kO = f.j['hipO'], f.j['kneeO']
    # W ankle rests across the O thigh just below the knee, W knee out to the side
    f.leg_ik('W', add(lerp(hO, kO, 0.8), (-12, 0, 4)), V(1, 0.3, 1.1), V(-0.6, 0.15, -1))
    th = lerp(hO, kO, 0.66)
    f.arm_ik('W', add(th, (-16, 0, 0)), V(0, 0.3, 1))
    f.arm_ik('O', add(th, (-16, 0, -40)), V(0, 0.3, -1))
    f.accent = {'legW'}
    return sc


def p_foam_roll_hip_flexors():
    sc = Scene()
    sc.roller((14.0, 30.0, 0.0), half=62)
    f = sc.fig
    f.torso((0.0, 85.0, 0.0), ang(8.2))
    f.head(ang(14), face=V(0.55, -1, 0))
    f.leg('W', ang(189), ang(188), ang(-100))
    f.leg('O', ang(190.5), ang(187), ang(-100))
    n = f.j['neck']
    for s, z in (('W', SHW), ('O', -SHW)):
        f.arm_ik(s, (n[0] + 96, 9.0, z), (-0.3, -1, 0), hand=(1, 0, 0))
    f.accent = {'legW'}
    return sc


def p_foam_roll_hamstrings():
    sc = Scene()
    sc.roller((92.0, 30.0, 0.0), half=62)
    f = sc.fig
    f.torso((0.0, 82.0, 0.0), ang(138))
    f.head(ang(100), face=ang(-5))
    f.leg('W', ang(-6), ang(-6), ang(78))
    f.leg('O', ang(-5), ang(-6), ang(80))
    p = f.j['pelvis']
    for s, z in (('W', 46.0), ('O', -46.0)):
        f.arm_ik(s, (p[0] - 150, 9.0, z), (1, 0, 0), hand=(-1, 0, 0))
    f.accent = {'legW'}
    sc.arrow([(150.0, 6.0, 90.0), (222.0, 6.0, 90.0)])
    return sc


def p_foam_roll_adductors():
    sc = Scene(yaw=-20, pitch=58, floor='patch')
    f = sc.fig
    f.torso((0.0, 25.0, 0.0), ang(30), right=V(0, 0.3, 1))
    f.head(ang(30), face=V(0.5, -1, 0))
    f.leg('W', V(0.12, 0.45, 1), V(-1, -0.55, 0.08), V(-1, -0.3, 0))
    f.leg('O', ang(182), ang(180), ang(188))
    hW, kW = f.j['hipW'], f.j['kneeW']
    mid = lerp(hW, kW, 0.58)
    sc.roller((mid[0], 28.0, mid[2]), r=28, half=70, axis=(1, 0, 0))
    f.ground()
    n = f.j['neck']
    for s, z in (('W', SHW + 6), ('O', -SHW - 6)):
        f.arm_ik(s, (n[0] + 96, 9.0, z), (-0.3, -1, 0), hand=(1, 0, 0))
    f.accent = {'legW'}
    return sc


def p_foam_roll_it_band():
    sc = Scene(yaw=30, pitch=25, floor='patch')
    sc.shade_far = False
    f = sc.fig
    sc.roller((62.0, 30.0, 0.0), half=62)
    # lying on the W side: W hip down, face toward the viewer, head toward -x
    f.torso((0.0, 98.0, 0.0), ang(163), right=(0, -1, 0))
    f.head(ang(168), face=(0, 0.1, 1))
    f.leg('W', ang(-6), ang(-8), V(0.15, -0.2, 1))
    sW = f.j['shW']
    f.arm_ik('W', (sW[0] - 40, 9.0, 50.0), (0.3, -0.3, -1), hand=V(-1, 0, 0.5))
    f.leg_ik('O', (66.0, ANK, 92.0), V(0.1, 1, 0.1), V(1, -0.1, 0.3))
    p = f.j['pelvis']
    f.arm_ik('O', add(f.j['hipO'], (-14, 10, 10)), V(-0.6, 0.8, 0.2), hand=V(0.8, -0.4, 0))
    f.accent = {'legW'}
    return sc


def p_standing_hamstring():
    sc = Scene()
    f = sc.fig
    f.torso((-22.0, 205.0, 0.0), ang(42))
    f.head(ang(34))
    f.leg_ik('O', (0.0, ANK, -HIPW), (1, 0, 0), ang(-4))
    hW = f.j['hipW']
    dy = hW[1] - 16.0
    dx = math.sqrt(max((TH + SH - 1) ** 2 - dy * dy, 0))
    d = unit((dx, -dy, 0.0))
    f.leg('W', d, d, ang(72))
    hO, kO = f.j['hipO'], f.j['kneeO']
    on = lerp(hO, kO, 0.8)
    f.arm_ik('W', add(on, (2, 16, 30)), V(-0.2, 0, 1))
    f.arm_ik('O', add(on, (2, 16, -14)), V(-0.2, 0, -1))
    f.ground(legs_only=True)
    f.accent = {'legW'}
    return sc


def p_adductor_stretch():
    sc = Scene(yaw=90, pitch=6)
    f = sc.fig
    f.torso((0.0, 150.0, -62.0), V(0.22, 1, 0))
    f.head(V(0.1, 1, 0), face=(1, 0, 0))
    f.leg_ik('O', (12.0, ANK, -168.0), V(0.6, 0.2, -0.8), V(0.8, -0.1, -0.6))
    hW = f.j['hipW']
    dy = hW[1] - ANK
    dz = math.sqrt(max((TH + SH - 1) ** 2 - dy * dy, 0))
    d = unit((0.0, -dy, dz))
    f.leg('W', d, d, V(0.9, -0.1, 0.3))
    f.ground(legs_only=True)
    hW, kW, kO = f.j['hipW'], f.j['kneeW'], f.j['kneeO']
    f.arm_ik('W', add(lerp(hW, kW, 0.55), (16, 0, 0)), V(-0.3, -0.2, 1))
    f.arm_ik('O', add(kO, (16, 14, 6)), V(-0.3, 0, -1))
    f.accent = {'legW'}
    return sc


def p_deep_squat():
    sc = Scene(yaw=90, pitch=14)
    f = sc.fig
    f.torso((-30.0, 88.0, 0.0), V(0.55, 1, 0))
    f.head(V(0.25, 1, 0))
    for s, z in (('W', 1), ('O', -1)):
        f.leg_ik(s, (18.0, ANK, 66.0 * z), V(0.7, 0.2, 0.7 * z), V(0.8, -0.08, 0.5 * z))
    f.ground(legs_only=True)
    for s, z in (('W', 1), ('O', -1)):
        sh, k = f.j['sh' + s], f.j['knee' + s]
        elbow_at = add(k, (4, 14, -30 * z))
        e = add(sh, mul(unit(sub(elbow_at, sh)), UA))
        f.j['elbow' + s] = e
        wrist_at = (e[0] + 22, e[1] + 40, 8.0 * z)
        f.j['wrist' + s] = add(e, mul(unit(sub(wrist_at, e)), FA))
        f._hand(s, V(0.3, 1, -0.1 * z))
    return sc


def p_standing_forward_bend():
    sc = Scene()
    f = sc.fig
    f.torso((-44.0, 248.0, 0.0), ang(-22), ang(-56))
    f.head(ang(-74))
    for s, z in (('W', HIPW), ('O', -HIPW)):
        f.leg_ik(s, (0.0, ANK, z), (1, 0, 0), ang(-4))
    f.ground(legs_only=True)
    for s, z in (('W', 1), ('O', -1)):
        f.arm_ik(s, (64.0, 22.0, 34.0 * z), V(-0.1, 0, z), hand=V(0.5, -1, 0))
    return sc


def p_cook_hip_lift(phase):
    sc = Scene(yaw=180)   # seen from the hugged leg's side
    m = 8.0
    sc.mat(-130, 380, h=m)
    f = sc.fig
    neck = (0.0, m + 25, 0.0)
    lift = 0.0 if phase == 1 else 30.0
    d = ang(180 + lift)
    f.torso(sub(neck, mul(d, TOR)), d)
    f.head(V(-1, 0.15, 0), face=(0, 1, 0))
    f.leg_ik('W', (318.0, m + ANK, HIPW), (0, 1, 0), ang(-4))
    th = 136 + 0.3 * lift          # the hugged thigh stays against the chest
    f.leg('O', ang(th), ang(th - 140), ang(th - 140 + 45))
    k = f.j['kneeO']
    grip = add(k, mul(unit(sub(f.j['ankleO'], k)), 30))
    f.arm_ik('W', (grip[0], grip[1], -4.0), V(0, 0.2, 1))
    f.arm_ik('O', (grip[0], grip[1], -40.0), V(0, 0.2, -1))
    f.accent = {'legW'}
    if phase == 1:
        p = f.j['pelvis']
        sc.arrow([add(p, (62, 34, 60)), add(p, (62, 108, 60))])
    return sc


def p_bird_dog(phase):
    sc = Scene()
    m = 8.0
    sc.mat(-250, 430, h=m)
    f = sc.fig
    pelvis = (0.0, m + WID['shin'] / 2 + TH, 0.0)
    sh_y = m + WID['hand'] / 2 + UA + FA - 2
    a = math.degrees(math.asin((sh_y - pelvis[1]) / TOR))
    f.torso(pelvis, ang(a))
    f.head(ang(a + 10))
    n = f.j['neck']
    f.leg('O', ang(-90), ang(180), ang(184))
    if phase == 1:
        f.leg('W', ang(-90), ang(180), ang(184))
        f.arm_ik('O', (n[0] + 12, m + 9, -SHW), (-1, 0, 0), hand=(1, 0, 0))
    else:
        f.leg('W', ang(180), ang(180), ang(-125))
        f.arm('O', ang(1), ang(1), ang(1))
    f.arm_ik('W', (n[0] + 12, m + 9, SHW), (-1, 0, 0), hand=(1, 0, 0))
    f.accent = {'legW', 'armO'}
    return sc


def deadlift(sc, pelvis, lean, bar, knee_pole=(1, 0, 0)):
    f = sc.fig
    f.torso(pelvis, ang(lean))
    f.head(ang(lean + 4 if lean < 60 else 90))
    for s, z in (('W', HIPW), ('O', -HIPW)):
        f.leg_ik(s, (0.0, ANK, z), knee_pole, ang(-4))
    for s, z in (('W', 42.0), ('O', -42.0)):
        f.arm_ik(s, (bar[0], bar[1], z), (-1, 0, 0), hand=V(0.25, -1, 0))
    sc.barbell((bar[0], bar[1], 0.0))
    return f


def p_sldl(phase):
    sc = Scene()
    if phase == 1:
        deadlift(sc, (0.0, 2 * TH + ANK, 0.0), 90, (26.0, 226.0))
    else:
        deadlift(sc, (-76.0, ANK + math.sqrt((TH + SH - 0.5) ** 2 - 76 ** 2), 0.0), 5, (38.0, 90.0))
    return sc


def p_rdl(phase):
    sc = Scene()
    if phase == 1:
        deadlift(sc, (-6.0, ANK + 244.0, 0.0), 90, (26.0, 224.0))
    else:
        deadlift(sc, (-82.0, ANK + 231.0, 0.0), 24, (30.0, 126.0))
    return sc


def p_dead_bug(phase):
    sc = Scene()
    m = 8.0
    sc.mat(-260, 420, h=m)
    f = sc.fig
    supine(f)
    f.leg('O', ang(90), ang(0))
    f.arm('W', ang(90), ang(90), ang(90))
    if phase == 1:
        f.leg('W', ang(90), ang(0))
        f.arm('O', ang(90), ang(90), ang(90))
    else:
        f.leg('W', ang(14), ang(14))
        f.arm('O', ang(172), ang(172), ang(172))
    f.accent = {'legW', 'armO'}
    return sc


def p_plank():
    sc = Scene()
    m = 8.0
    sc.mat(-40, 470, h=m)
    f = sc.fig
    sh_y = m + WID['fore'] / 2 + UA
    ankle_y = m + WID['foot'] / 2 + FOOT * math.sin(math.radians(75))
    a = math.degrees(math.asin((sh_y - ankle_y) / (TH + SH + TOR)))
    u = ang(a)
    hip = add((0.0, ankle_y, 0.0), mul(u, TH + SH))
    f.torso(hip, u)
    f.head(ang(a + 4))
    for s in 'WO':
        f.leg(s, ang(180 + a), ang(180 + a), ang(-75))
    for s in 'WO':
        f.arm(s, ang(-90), ang(0), ang(0))
    return sc


# --------------------------------------------------- lunges and drills ----
def lunge_legs(f, front, back, drop=30.0, front_thigh=-6.0, toe_tilt=40.0):
    """A deep lunge in the side-view plane (the figure faces +x): the front
    knee at about 90 degrees straight over the ankle, the back knee hanging
    drop above the floor, the back foot on its ball. Call after the torso."""
    fz = {'W': HIPW, 'O': -HIPW}
    f.leg(front, ang(front_thigh), ang(-90), ang(-4))
    toe_y = f.j['toe' + front][1]
    hip = f.j['hip' + back]
    dy = hip[1] - drop
    knee = (hip[0] - math.sqrt(max(TH * TH - dy * dy, 0.0)), drop, fz[back])
    ankle_y = toe_y + FOOT * math.sin(math.radians(toe_tilt))
    sdy = ankle_y - drop
    ankle = (knee[0] - math.sqrt(max(SH * SH - sdy * sdy, 0.0)), ankle_y, fz[back])
    f.j['knee' + back], f.j['ankle' + back] = knee, ankle
    f._foot(back, ang(-toe_tilt))


def lunge_upright(f, front, back, lean=91, front_thigh=-6.0):
    """Torso upright over a side-view lunge (arms are left to the caller)."""
    pelvis_y = ANK + SH - TH * math.sin(math.radians(front_thigh))
    f.torso((0.0, pelvis_y, 0.0), ang(lean))
    f.head(ang(90))
    lunge_legs(f, front, back, front_thigh=front_thigh)
    f.ground()


def p_forward_lunge():
    sc = Scene()
    f = sc.fig
    lunge_upright(f, 'W', 'O')
    for s in 'WO':
        f.arm(s, ang(4), ang(4), ang(4))
    f.accent = {'legW'}
    a = f.j['ankleW']      # the step: forward
    sc.arrow([(a[0] + 46, 44.0, 60.0), (a[0] + 126, 44.0, 60.0)])
    return sc


def p_reverse_lunge():
    sc = Scene()
    f = sc.fig
    lunge_upright(f, 'O', 'W')
    for s in 'WO':
        f.arm(s, ang(76), ang(82), ang(84))
    f.accent = {'legW'}
    a = f.j['ankleW']      # the step: back
    sc.arrow([(a[0] - 36, 44.0, 60.0), (a[0] - 116, 44.0, 60.0)])
    return sc


def p_a_skip(phase):
    sc = Scene()
    f = sc.fig
    if phase == 1:      # W knee up to hip height, toe up; up on the ball of the O foot
        legs = {'W': (0, -90, 6), 'O': (-90, -91, -58)}
        arms = {'O': (-40, 62), 'W': (-128, -62)}
    else:               # W foot strikes down under the hip, O knee starts to rise
        legs = {'W': (-88, -93, -12), 'O': (-52, -122, -84)}
        arms = {'O': (-100, -40), 'W': (-62, 36)}
    run_frame(f, 90, legs, arms, head=90)
    f.accent = {'legW'}
    if phase == 2:
        a = f.j['ankleW']
        sc.arrow([add(a, (-62, 120, 60)), add(a, (-62, 26, 60))])
    return sc


def p_bounding(phase):
    sc = Scene()
    f = sc.fig
    if phase == 1:      # in flight: W knee high in front, O leg long behind
        legs = {'W': (-4, -82, -20), 'O': (-138, -146, -158)}
        arms = {'O': (-22, 70), 'W': (-150, -118)}
        run_frame(f, 84, legs, arms, head=86)
        f.ground(70.0)
    else:               # landing on the W foot under the hip, O knee driving through
        legs = {'W': (-82, -97, -6), 'O': (-42, -162, -125)}
        arms = {'W': (-50, 40), 'O': (-122, -70)}
        run_frame(f, 84, legs, arms, head=86)
    f.accent = {'legW'}
    return sc


def p_lateral_lunge():
    sc = Scene(yaw=120)     # from the front and the O side: the lean shows
    sc.shade_far = False
    f = sc.fig
    # hips sat back and low over the W foot, chest leaning forward
    f.torso((-36.0, 140.0, 0.0), V(0.55, 1, -0.06))
    f.head(V(0.3, 1, 0))
    # W leg stepped wide and bent, the knee out over the toes
    hW = f.j['hipW']
    f.leg_ik('W', (0.0, ANK, hW[2] + 100.0), V(0.8, 0.2, 0.6), V(1, -0.08, 0))
    # O leg long and straight out to the other side
    hO = f.j['hipO']
    dx, dy = -hO[0], hO[1] - ANK
    dz = math.sqrt(max((TH + SH - 1) ** 2 - dx * dx - dy * dy, 0.0))
    d = unit((dx, -dy, -dz))
    f.leg('O', d, d, V(1, -0.08, 0))
    f.ground(legs_only=True)
    for s, z in (('W', 1), ('O', -1)):
        f.arm(s, V(1, -0.1, -0.2 * z), V(1, -0.05, -0.12 * z), V(1, -0.05, -0.05 * z))
    f.accent = {'legW'}
    return sc


def p_carioca(phase):
    sc = Scene(yaw=90)
    f = sc.fig
    turn = math.radians(28 if phase == 1 else -28)     # + turns the W hip forward
    r_lo = (math.sin(turn), 0.0, math.cos(turn))
    r_hi = (-0.5 * math.sin(turn), 0.0, math.cos(turn))
    f.torso((0.0, 2 * TH + ANK - 30, 0.0), V(0.08, 1, 0), right=r_lo, right_hi=r_hi)
    f.head((0, 1, 0), face=(1, 0, 0))
    # O (lead) leg planted, a little bent
    f.leg_ik('O', (0.0, ANK, -40.0), V(1, 0, -0.1), V(1, -0.08, -0.25))
    if phase == 1:   # W crosses in front of the O leg
        f.leg_ik('W', (44.0, ANK + 6, -100.0), V(1, 0.1, -0.5), V(1, -0.25, -0.5))
    else:            # W crosses behind the O leg, up on its ball
        f.leg_ik('W', (-46.0, 41.0, -92.0), V(1, -0.2, 0.2), V(0.7, -0.6, -0.2))
    f.ground(legs_only=True)
    for s, z in (('W', 1), ('O', -1)):
        f.arm(s, V(0, -0.35, z), V(0.1, -0.15, z), V(0.1, -0.2, z))
    f.accent = {'legW'}
    p = f.j['pelvis']      # travelling toward the O (lead) side
    sc.arrow([(0.0, p[1] + 170, -80.0), (0.0, p[1] + 170, -190.0)])
    return sc


def p_rotational_lunge():
    """The W foot stepped back and out toward "7 o'clock", turned 90 degrees
    from the O foot (which still points to "12", -z): the W knee bends over
    the W foot, the O leg stays long; the hips and chest face +x (the way
    the W foot points), the arms reach across toward the W knee."""
    sc = Scene(yaw=120, pitch=14)   # both feet at the same depth
    sc.shade_far = False
    f = sc.fig
    wa = (0.0, ANK, 0.0)                                    # W ankle
    oa = add(wa, mul(V(-0.5, 0, -0.87), 290.0))             # O ankle
    f.torso((-50.0, 150.0, -56.0), V(0.7, 1, -0.05), V(0.9, 1, 0.05),
            right=V(-0.1, 0, 1), right_hi=V(-0.6, 0, 1))
    f.head(V(0.8, 1, 0.2), face=V(1, -0.5, 0.4))
    f.leg_ik('W', wa, V(1, 0.2, 0.4), V(1, -0.08, 0))
    hO = f.j['hipO']     # O leg straight, toward oa, its ankle at ANK
    h = unit((oa[0] - hO[0], 0.0, oa[2] - hO[2]))
    dn = (hO[1] - ANK) / (TH + SH)
    d = add(mul(h, math.sqrt(1 - dn * dn)), (0.0, -dn, 0.0))
    f.leg('O', d, d, V(0, -0.08, -1))
    f.ground(legs_only=True)
    k = f.j['kneeW']
    f.arm_ik('W', add(k, (30, 16, 54)), V(-0.4, 0.2, 1))
    f.arm_ik('O', add(k, (46, 30, 30)), V(0.3, -0.4, -1))
    f.accent = {'legW'}
    # the turn: from facing -z (where the O foot still points) to facing +x
    sc.arc(add(f.j['pelvis'], (0, -40, 0)), (0, 0, -1), (1, 0, 0), 190, 0, 80)
    return sc


# ------------------------------------------------- the exercise library ----
def squat_pose(f, depth):
    """Both feet flat at hip width, hips sat back and down by depth (0..1),
    arms reaching forward for balance. Side view, facing +x."""
    pelvis = (-78.0 * depth, 2 * TH + ANK - 2 - 150.0 * depth, 0.0)
    f.torso(pelvis, ang(90 - 36 * depth))
    f.head(ang(90 - 12 * depth))
    for s, z in (('W', HIPW), ('O', -HIPW)):
        f.leg_ik(s, (0.0, ANK, z), (1, 0, 0), ang(-4))
    f.ground(legs_only=True)


def p_squat(phase):
    sc = Scene()
    f = sc.fig
    squat_pose(f, 0.0 if phase == 1 else 1.0)
    if phase == 1:
        for s in 'WO':
            f.arm(s, ang(-90), ang(-86))
    else:
        for s in 'WO':
            f.arm(s, ang(2), ang(2), ang(2))
        p = f.j['pelvis']
        sc.arrow([add(p, (-60, 150, 60)), add(p, (-60, 40, 60))])
    return sc


def p_single_leg_squat(phase):
    sc = Scene()
    f = sc.fig
    if phase == 1:
        f.torso((0.0, 2 * TH + ANK - 4, 0.0), ang(88))
        f.head(ang(90))
        f.leg_ik('W', (0.0, ANK, HIPW), (1, 0, 0), ang(-4))
        f.leg('O', ang(-35), ang(-100), ang(-20))
        for s in 'WO':
            f.arm(s, ang(-60), ang(-20))
    else:
        f.torso((-62.0, 176.0, 0.0), ang(58))
        f.head(ang(78))
        f.leg_ik('W', (0.0, ANK, HIPW), (1, 0.1, 0), ang(-4))
        f.leg('O', ang(-22), ang(-14), ang(50))
        for s in 'WO':
            f.arm(s, ang(4), ang(4), ang(4))
    f.ground(legs_only=True)
    f.accent = {'legW'}
    return sc


def jump_pose(f, phase, lean=48):
    """Two-footed jump: 1 loaded (hips back, arms swung behind), 2 in the air
    (long body, arms reaching forward and up)."""
    if phase == 1:
        pelvis = (-66.0, 170.0, 0.0)
        f.torso(pelvis, ang(lean))
        f.head(ang(lean + 22))
        for s, z in (('W', HIPW), ('O', -HIPW)):
            f.leg_ik(s, (0.0, ANK, z), (1, 0, 0), ang(-4))
        for s in 'WO':
            f.arm(s, ang(-128), ang(-120))
        f.ground(legs_only=True)
    else:
        f.torso((0.0, 300.0, 0.0), ang(80))
        f.head(ang(84))
        for s in 'WO':
            f.leg(s, ang(-104), ang(-112), ang(-62))
        for s in 'WO':
            f.arm(s, ang(52), ang(62))
        f.ground(70.0)


def p_jumps_forward(phase):
    sc = Scene()
    f = sc.fig
    jump_pose(f, phase)
    if phase == 2:
        p = f.j['pelvis']
        sc.arc(add(p, (40, -250, 60)), (1, 0, 0), (0, 1, 0), 150, 160, 20)
    return sc


def p_jumps_backward(phase):
    sc = Scene()
    f = sc.fig
    if phase == 1:
        jump_pose(f, 1, lean=62)
    else:
        f.torso((0.0, 300.0, 0.0), ang(96))
        f.head(ang(90))
        for s in 'WO':
            f.leg(s, ang(-80), ang(-100), ang(-50))
        for s in 'WO':
            f.arm(s, ang(-70), ang(-40))
        f.ground(50.0)
        p = f.j['pelvis']
        sc.arc(add(p, (-40, -250, 60)), (1, 0, 0), (0, 1, 0), 150, 20, 160)
    return sc


def p_lateral_jumps(phase):
    sc = Scene(yaw=90, pitch=22)
    f = sc.fig
    if phase == 1:      # landed and loaded, just on the W side of the line
        f.torso((-40.0, 176.0, 70.0), V(0.5, 1, 0))
        f.head(V(0.2, 1, 0), face=(1, 0, 0))
        for s, z in (('W', 1), ('O', -1)):
            f.leg_ik(s, (0.0, ANK, 70.0 + 24 * z), V(1, 0, 0.2 * z), V(1, -0.08, 0.1 * z))
        f.ground(legs_only=True)
    else:               # in the air over the line, travelling to the O side
        f.torso((0.0, 300.0, -40.0), V(0.1, 1, 0.25))
        f.head(V(0, 1, 0.1), face=(1, 0, 0))
        for s, z in (('W', 1), ('O', -1)):
            f.leg(s, V(0.5, -1, 0.25), V(-0.1, -1, 0.25), V(1, -0.3, 0))
        f.ground(60.0)
    for s, z in (('W', 1), ('O', -1)):
        f.arm(s, V(0.3, -1, 0.15 * z), V(1, 0.2, 0.05 * z))
    sc.band((140.0, 2.0, 0.0), (-140.0, 2.0, 0.0))
    p = f.j['pelvis']
    sc.arc((0.0, p[1] - 120, 0.0), (0, 0, 1), (0, 1, 0), 150, 40, 140)
    return sc


def p_single_leg_hops(phase):
    sc = Scene()
    f = sc.fig
    if phase == 1:      # landing soft on the W foot
        f.torso((-30.0, 200.0, 0.0), ang(70))
        f.head(ang(84))
        f.leg_ik('W', (0.0, ANK, HIPW), (1, 0, 0), ang(-4))
        f.leg('O', ang(-60), ang(-150), ang(-110))
        arms = {'O': (-50, 30), 'W': (-125, -70)}
        for k, (u, fo) in arms.items():
            f.arm(k, ang(u), ang(fo))
        f.ground(legs_only=True)
    else:               # in the air off the W foot
        f.torso((0.0, 300.0, 0.0), ang(80))
        f.head(ang(86))
        f.leg('W', ang(-100), ang(-108), ang(-60))
        f.leg('O', ang(-40), ang(-130), ang(-100))
        arms = {'O': (-130, -60), 'W': (-40, 40)}
        for k, (u, fo) in arms.items():
            f.arm(k, ang(u), ang(fo))
        f.ground(60.0)
        p = f.j['pelvis']
        sc.arc(add(p, (40, -250, 60)), (1, 0, 0), (0, 1, 0), 130, 160, 20)
    f.accent = {'legW'}
    return sc


def p_pogo_jumps(phase):
    sc = Scene(yaw=30)
    f = sc.fig
    standing(f)
    foot = ang(-40) if phase == 1 else ang(-72)
    for s, z in (('W', 1), ('O', -1)):
        f.leg(s, V(0, -1, 0.04 * z), V(0, -1, 0.04 * z), foot)
        f.arm(s, V(-0.2, -1, 0.25 * z), V(1, -0.1, 0.1 * z))
    f.ground()
    p = f.j['pelvis']
    if phase == 1:      # the briefest touch on the balls of the feet
        sc.arrow([add(p, (-110, -110, 60)), add(p, (-110, -190, 60))])
    else:               # and straight back up off stiff ankles
        f.ground(44.0)
        p = f.j['pelvis']
        sc.arrow([add(p, (-110, -190, 60)), add(p, (-110, -100, 60))])
    return sc


def p_squat_jump(phase):
    if phase == 1:
        return p_squat(2)
    sc = Scene()
    f = sc.fig
    f.torso((0.0, 300.0, 0.0), ang(90))
    f.head(ang(90))
    for s in 'WO':
        f.leg(s, ang(-90), ang(-94), ang(-70))
    for s in 'WO':
        f.arm(s, ang(78), ang(84))
    f.ground(70.0)
    p = f.j['pelvis']
    sc.arrow([add(p, (-90, -210, 60)), add(p, (-90, -90, 60))])
    return sc


def p_b_skip(phase):
    sc = Scene()
    f = sc.fig
    if phase == 1:      # W leg reaches out long in front at hip height
        legs = {'W': (4, -8, 50), 'O': (-90, -91, -58)}
        arms = {'O': (-40, 62), 'W': (-128, -62)}
    else:               # and paws back down under the hip
        legs = {'W': (-84, -96, -12), 'O': (-52, -122, -84)}
        arms = {'O': (-100, -40), 'W': (-62, 36)}
    run_frame(f, 90, legs, arms, head=90)
    f.accent = {'legW'}
    if phase == 2:
        a = f.j['ankleW']
        sc.arc(f.j['hipW'], (1, 0, 0), (0, 1, 0), 300, -20, -80)
    return sc


def p_backward_run(phase):
    sc = Scene()
    legs = {'W': (-112, -96, -40), 'O': (-58, -128, -70)}
    arms = {'W': (-70, 10), 'O': (-115, -60)}
    if phase == 2:
        legs, arms = swap(legs), swap(arms)
    run_frame(sc.fig, 92, legs, arms, head=90)
    p = sc.fig.j['pelvis']
    sc.arrow([(p[0] + 40, p[1] + 290, 60.0), (p[0] - 90, p[1] + 290, 60.0)])
    return sc


def p_shuttle(phase):
    sc = Scene()
    f = sc.fig
    if phase == 1:      # running to the line
        legs = {'W': (-48, -108, -14), 'O': (-120, -150, -88)}
        arms = {'W': (-135, -55), 'O': (-52, 35)}
        run_frame(f, 80, legs, arms, head=84)
        p = f.j['pelvis']
        sc.arrow([(p[0] - 40, p[1] + 290, 60.0), (p[0] + 90, p[1] + 290, 60.0)])
    else:               # low at the line, a hand touching it, ready to turn
        pelvis_y = ANK + SH - TH * math.sin(math.radians(-10))
        f.torso((0.0, pelvis_y - 30, 0.0), ang(30))
        f.head(ang(30))
        lunge_legs(f, 'W', 'O', drop=60.0, front_thigh=-10.0)
        f.ground(legs_only=True)
        a = f.j['ankleW']
        f.arm_ik('W', (a[0] + 50, 10.0, 50.0), V(-0.3, 0, 1), hand=V(0.4, -1, 0))
        f.arm('O', ang(-150), ang(-120))
        sc.post((a[0] + 60, 0.0, -150.0), (a[0] + 60, 0.0, 150.0), w=6)
        p = f.j['pelvis']
        sc.arrow([(p[0] + 20, p[1] + 170, 60.0), (p[0] - 110, p[1] + 170, 60.0)])
    return sc


def p_nordic(phase):
    sc = Scene()
    m = 8.0
    sc.mat(-260, 300, h=m)
    f = sc.fig
    lean = 88 if phase == 1 else 38
    d = ang(lean)
    knee_y = m + WID['shin'] / 2
    pelvis = add((0.0, knee_y, 0.0), mul(d, TH))
    f.torso(pelvis, d)
    f.head(ang(lean + 2))
    for s in 'WO':
        f.leg(s, mul(d, -1), ang(180), ang(-96))
    a = f.j['ankleW']
    # the anchor that holds the heels down (a partner's hands, a bar, a bench)
    sc.post((a[0] - 10, a[1] + 24, 120.0), (a[0] - 10, a[1] + 24, -120.0), w=20)
    if phase == 1:
        for s in 'WO':
            f.arm(s, ang(-94), ang(-80))
    else:
        for s, z in (('W', 40.0), ('O', -40.0)):
            f.arm(s, V(0.5, -1, 0.1 * z / 40), V(1, -0.4, 0))
        p = f.j['neck']
        sc.arc((0.0, knee_y, 60.0), (0, 1, 0), (1, 0, 0), 300, 10, 48)
    return sc


def p_calf_stretch(phase=0, bent=False):
    sc = Scene()
    f = sc.fig
    wall = 170.0
    sc.post((wall, 0.0, -100.0), (wall, 470.0, -100.0), w=34)
    if not bent:
        f.torso((-20.0, 232.0, 0.0), ang(66))
        f.head(ang(70))
        f.leg_ik('O', (70.0, ANK, -HIPW), (1, 0, 0), ang(-4))
        f.leg_ik('W', (-150.0, ANK, HIPW), (1, 0, 0), ang(-2))
    else:
        f.torso((0.0, 200.0, 0.0), ang(74))
        f.head(ang(76))
        f.leg_ik('O', (70.0, ANK, -HIPW), (1, 0, 0), ang(-4))
        f.leg_ik('W', (-70.0, ANK, HIPW), (1, 0, 0), ang(-2))
    f.ground(legs_only=True)
    n = f.j['neck']
    for s, z in (('W', 40.0), ('O', -40.0)):
        f.arm_ik(s, (wall - 22, n[1] + 20, z), V(-0.4, -1, 0), hand=V(0.2, 1, 0))
    f.accent = {'legW'}
    return sc


def p_soleus_stretch():
    return p_calf_stretch(bent=True)


def p_quad_stretch():
    sc = Scene(yaw=20)
    f = sc.fig
    standing(f)
    f.leg('O', ang(-90), ang(-90), ang(-4))
    f.leg('W', ang(-108), ang(84), ang(176))
    f.ground(legs_only=True)
    a = f.j['ankleW']
    f.arm_ik('W', add(a, (-2, 4, 26)), V(-0.3, -1, 0.4))
    f.arm('O', ang(-60), ang(-10))
    f.accent = {'legW'}
    return sc


def p_figure_four_seated():
    sc = Scene(yaw=66)
    m = 8.0
    sc.mat(-230, 280, -140, 140, h=m)
    figure_four_seated(sc, m + 38.0, 0.0, V(-0.28, 0.96, 0.0), hands_back=96)
    return sc


def p_side_plank():
    sc = Scene(yaw=12, pitch=18)
    m = 8.0
    sc.mat(-520, 90, -80, 120, h=m)
    f = sc.fig
    sh_y = m + WID['fore'] / 2 + UA
    ankle_y = m + ANK + 4
    a = math.asin((sh_y - ankle_y) / (TH + SH + TOR))
    u = (-math.cos(a), math.sin(a), 0.0)
    pelvis = add((0.0, ankle_y, 0.0), mul(u, TH + SH))
    f.torso(pelvis, u, right=(0, -1, 0))
    f.head(u, face=(0, 0, 1))
    for s in 'WO':
        f.leg(s, mul(u, -1), mul(u, -1), V(0, 0.1, 1))
    f.ground(m)
    sW = f.j['shW']
    f.arm('W', (0, -1, 0), V(0, 0, 1), V(0, 0, 1))
    f.arm('O', V(0, 1, 0.1), V(0, 1, 0.1), V(0, 1, 0.1))
    f.ground(m)
    f.accent = {'armW', 'legW'}
    return sc


def bridge(sc, lift, single=False):
    m = 8.0
    sc.mat(-120, 420, h=m)
    f = sc.fig
    neck = (0.0, m + 25, 0.0)
    d = ang(180 + lift)
    f.torso(sub(neck, mul(d, TOR)), d)
    f.head(V(-1, 0.15, 0), face=(0, 1, 0))
    foot_x = 318.0 - (0 if lift else 10)
    f.leg_ik('W', (foot_x, m + ANK, HIPW + 8), (0, 1, 0), ang(-4))
    if single:
        # the O leg long, in line with the W thigh (or raised when the hips are down)
        k = sub(f.j['kneeW'], f.j['hipW'])
        if lift:
            dirn = unit(k)
        else:
            dirn = ang(40)
        f.leg('O', dirn, dirn, ang(40 + 40))
    else:
        f.leg_ik('O', (foot_x, m + ANK, -HIPW - 8), (0, 1, 0), ang(-4))
    for s, z in (('W', 1), ('O', -1)):
        f.arm(s, V(1, -0.28, 0.12 * z), V(1, -0.02, 0.02 * z), V(1, 0, 0))
    return f


def p_glute_bridge(phase):
    sc = Scene()
    f = bridge(sc, 0.0 if phase == 1 else 28.0)
    if phase == 1:
        p = f.j['pelvis']
        sc.arrow([add(p, (0, 34, 60)), add(p, (0, 108, 60))])
    return sc


def p_single_leg_bridge(phase):
    sc = Scene()
    f = bridge(sc, 0.0 if phase == 1 else 28.0, single=True)
    f.accent = {'legW'}
    if phase == 1:
        p = f.j['pelvis']
        sc.arrow([add(p, (0, 34, 60)), add(p, (0, 108, 60))])
    return sc


def p_clamshell(phase):
    sc = Scene(yaw=0, pitch=32, floor='patch')
    sc.shade_far = False
    f = sc.fig
    y0 = 34.0
    # lying on the O side, head toward +x, facing the viewer (+z); W on top
    f.torso((0.0, y0, 0.0), (1, 0, 0), right=(0, 1, 0), right_hi=(0, 1, 0))
    f.head(V(1, 0.12, 0), face=(0, 0, 1))
    f.leg('O', V(-0.72, 0, 0.7), V(-0.7, 0, -0.72), V(-0.1, 0, -1))
    aO = f.j['ankleO']
    ankle = add(aO, (0, 2 * HIPW - 6, 0))
    if phase == 1:
        f.leg_ik('W', ankle, V(-0.3, 0.1, 1), V(-0.1, 0.2, -1))
    else:
        f.leg_ik('W', ankle, V(-0.3, 1, 0.6), V(-0.1, 0.2, -1))
    f.arm('O', V(1, -0.2, 0.2), V(0.2, 0.1, 1), V(0, 0.2, 1))
    hW = f.j['hipW']
    f.arm_ik('W', add(hW, (4, 14, 16)), V(0.2, 1, 0.4), hand=V(-1, 0, 0.1))
    f.hands_on_body = {'armW'}
    f.ground(0.0)
    f.accent = {'legW'}
    if phase == 2:
        k = f.j['kneeW']
        sc.arrow([add(k, (0, 34, 0)), add(k, (0, 120, 0))])
    return sc


def athletic_stance(f, width, depth=1.0, y=186.0):
    """Front view: a half squat with the feet width apart (centre at z=0)."""
    f.torso((-24.0 * depth, y, 0.0), V(0.32 * depth, 1, 0))
    f.head(V(0.1, 1, 0), face=(1, 0, 0))
    for s, z in (('W', 1), ('O', -1)):
        f.leg_ik(s, (10.0, ANK, z * width / 2), V(1, 0, 0.25 * z), V(1, -0.08, 0.2 * z))
    f.ground(legs_only=True)


def p_band_walk(phase):
    sc = Scene(yaw=90, pitch=8)
    f = sc.fig
    athletic_stance(f, 150.0 if phase == 1 else 240.0)
    for s, z in (('W', 1), ('O', -1)):
        f.arm_ik(s, add(f.j['hip' + s], (20, 18, 22 * z)), V(-0.3, 0, z), hand=V(0.3, -1, 0))
    f.hands_on_body = {'armW', 'armO'}
    kW, kO = f.j['kneeW'], f.j['kneeO']
    sc.band(lerp(kW, f.j['ankleW'], 0.25), lerp(kO, f.j['ankleO'], 0.25))
    f.accent = {'legW'}
    if phase == 2:
        aW = f.j['ankleW']
        sc.arrow([add(aW, (0, 90, -70)), add(aW, (0, 90, 40))])
    return sc


def p_lateral_shuffle(phase):
    sc = Scene(yaw=90, pitch=8)
    f = sc.fig
    athletic_stance(f, 260.0 if phase == 1 else 130.0, y=176.0)
    for s, z in (('W', 1), ('O', -1)):
        f.arm(s, V(0.25, -1, 0.25 * z), V(1, 0.1, 0.1 * z))
    p = f.j['pelvis']
    sc.arrow([(0.0, p[1] + 250, -60.0), (0.0, p[1] + 250, 80.0)])
    return sc


def p_inchworm(phase):
    sc = Scene()
    m = 8.0
    sc.mat(-120, 560, h=m)
    f = sc.fig
    if phase == 1:      # folded over, hands flat in front of the feet
        f.torso((-38.0, 252.0, 0.0), ang(-30), ang(-66))
        f.head(ang(-80))
        for s, z in (('W', HIPW), ('O', -HIPW)):
            f.leg_ik(s, (0.0, m + ANK, z), (1, 0, 0), ang(-4))
        f.ground(m, legs_only=True)
        for s, z in (('W', 1), ('O', -1)):
            f.arm_ik(s, (96.0, m + 9, 34.0 * z), V(-0.2, 0, z), hand=(1, 0, 0))
        sc.arrow([(120.0, 40.0, 90.0), (230.0, 40.0, 90.0)])
    else:               # walked out to a long-arm plank
        sh_y = m + WID['hand'] / 2 + UA + FA - 4
        ankle_y = m + WID['foot'] / 2 + FOOT * math.sin(math.radians(75))
        a = math.degrees(math.asin((sh_y - ankle_y) / (TH + SH + TOR)))
        u = ang(a)
        hip = add((0.0, ankle_y, 0.0), mul(u, TH + SH))
        f.torso(hip, u)
        f.head(ang(a + 4))
        for s in 'WO':
            f.leg(s, ang(180 + a), ang(180 + a), ang(-75))
        for s in 'WO':
            f.arm(s, ang(-90), ang(-90), ang(0))
    return sc


def p_worlds_greatest():
    sc = Scene(yaw=14, pitch=6)
    f = sc.fig
    pelvis_y = ANK + SH - TH * math.sin(math.radians(-10)) - 34
    f.torso((0.0, pelvis_y, 0.0), ang(24), ang(30), right=(0, 0, 1), right_hi=V(0, 1.2, 0.5))
    f.head(V(0.5, 0.6, 0.5), face=V(0, 1, 0.5))
    lunge_legs(f, 'W', 'O', drop=40.0, front_thigh=-10.0)
    f.ground(legs_only=True)
    a = f.j['ankleW']
    f.arm_ik('O', (a[0] - 16, 9.0, -10.0), V(-0.3, 0, -1), hand=V(0.4, -1, 0))
    f.arm('W', V(0.05, 1, 0.3), V(0.05, 1, 0.3), V(0.05, 1, 0.3))
    f.accent = {'legW', 'armW'}
    return sc


def p_hip_circles(phase):
    sc = Scene(yaw=45, pitch=24)
    sc.shade_far = False
    f = sc.fig
    standing(f)
    f.leg('O', ang(-90), ang(-90), ang(-4))
    if phase == 1:      # knee up in front
        f.leg('W', V(1, -0.05, 0.08), V(0.05, -1, 0), V(1, -0.2, 0))
    else:               # circled out to the side
        f.leg('W', V(0.2, -0.1, 1), V(0.1, -1, 0.1), V(1, -0.2, 0.2))
    f.ground(legs_only=True)
    for s, z in (('W', 1), ('O', -1)):
        f.arm_ik(s, add(f.j['hip' + s], (6, 20, 20 * z)), V(-0.4, 0, z), hand=V(0.3, -1, 0))
    f.hands_on_body = {'armW', 'armO'}
    f.accent = {'legW'}
    sc.arc(add(f.j['hipW'], (0, -10, 0)), (1, 0, 0), (0, 0, 1), TH + 50, -10, 100)
    return sc


def p_arm_circles(phase):
    sc = Scene(yaw=70, pitch=6)
    sc.shade_far = False
    f = sc.fig
    standing(f)
    for s, z in (('W', 1), ('O', -1)):
        f.leg_ik(s, (0.0, ANK, 40.0 * z), (1, 0, 0), V(1, -0.08, 0.1 * z))
    f.ground(legs_only=True)
    up = 0.0 if phase == 1 else 0.35
    for s, z in (('W', 1), ('O', -1)):
        d = V(0.0, up, z)
        f.arm(s, d, d, d)
        tip = f.j['tip' + s]
        sc.arc(tip, (0, 1, 0), (1, 0, 0), 34, 0, 300)
    return sc


def p_toy_soldier():
    sc = Scene()
    f = sc.fig
    standing(f, torso=88)
    f.leg('O', ang(-90), ang(-90), ang(-4))
    f.leg('W', ang(-8), ang(-8), ang(70))
    f.ground(legs_only=True)
    t = f.j['toeW']
    f.arm_ik('O', add(t, (0, 12, -40)), V(0, 1, -0.3), hand=V(1, 0, 0))
    f.arm('W', ang(-120), ang(-110))
    f.accent = {'legW'}
    sc.arc(f.j['hipW'], (1, 0, 0), (0, 1, 0), 300, -70, -14)
    return sc


def p_knee_hug():
    sc = Scene()
    f = sc.fig
    standing(f, torso=90)
    f.leg('O', ang(-90), ang(-90), ang(-30))
    f.leg('W', ang(68), ang(-88), ang(-20))
    f.ground(legs_only=True)
    k, a = f.j['kneeW'], f.j['ankleW']
    shin = lerp(k, a, 0.32)
    f.arm_ik('W', add(shin, (14, 0, 28)), V(-0.3, -1, 0.4))
    f.arm_ik('O', add(shin, (14, 0, -24)), V(-0.3, -1, -0.4))
    f.accent = {'legW'}
    return sc


def p_calf_raise(phase):
    sc = Scene()
    f = sc.fig
    standing(f)
    foot = ang(-4) if phase == 1 else ang(-58)
    for s in 'WO':
        f.leg(s, ang(-90), ang(-90), foot)
    f.ground(legs_only=True)
    for s in 'WO':
        f.arm(s, ang(-90), ang(-86))
    if phase == 2:
        h = f.j['ankleW']
        sc.arrow([add(h, (-40, -4, 60)), add(h, (-40, 90, 60))])
    return sc


def p_wall_drill(phase):
    sc = Scene()
    f = sc.fig
    wall = 250.0
    sc.post((wall, 0.0, -100.0), (wall, 470.0, -100.0), w=34)
    lean = 54
    f.torso((0.0, 190.0, 0.0), ang(lean))
    f.head(ang(lean + 4))
    up, down = ('W', 'O') if phase == 1 else ('O', 'W')
    f.leg(up, ang(lean - 60), ang(-100), ang(-20))
    f.leg(down, ang(lean - 180), ang(lean - 180), ang(-60))
    f.ground(legs_only=True)
    n = f.j['neck']
    for s, z in (('W', 40.0), ('O', -40.0)):
        f.arm_ik(s, (wall - 22, n[1] + 30, z), V(-0.3, -1, 0), hand=V(0.4, 1, 0))
    f.accent = {'leg' + up}
    return sc


def p_skater_hops(phase):
    sc = Scene(yaw=60, pitch=8)
    sc.shade_far = False
    f = sc.fig
    land, trail = ('W', 'O') if phase == 1 else ('O', 'W')
    z = 1 if land == 'W' else -1
    f.torso((-40.0, 168.0, 90.0 * z), V(0.9, 1, 0.1 * z))
    f.head(V(0.7, 1, 0.05 * z), face=(1, 0, 0))
    f.leg_ik(land, (0.0, ANK, 100.0 * z), V(1, 0, 0.1 * z), V(1, -0.08, 0.1 * z))
    # the trailing leg swept behind and across the landing one, its foot off the floor
    f.leg_ik(trail, (-150.0, 50.0, 150.0 * z), V(1, 0, -0.3 * z), V(0.1, -0.6, 0.8 * z))
    f.ground(legs_only=True)
    f.arm(trail, V(0.9, -0.4, 0.6 * z), V(1, 0.1, 0.4 * z))
    f.arm(land, V(-0.8, -0.6, -0.3 * z), V(-0.7, -0.3, -0.3 * z))
    f.accent = {'leg' + land}
    sc.arc((0.0, 380.0, 0.0), (0, 0, -z), (0, 1, 0), 170, 40, 140)
    return sc


def p_power_skip(phase):
    sc = Scene()
    f = sc.fig
    if phase == 1:      # driving off the O foot, W knee and O arm swinging up
        legs = {'W': (-10, -96, -20), 'O': (-100, -104, -66)}
        arms = {'O': (40, 90), 'W': (-140, -110)}
        run_frame(f, 88, legs, arms, head=92)
        f.ground(90.0)
    else:               # landing on the O foot
        legs = {'W': (-70, -130, -70), 'O': (-90, -92, -20)}
        arms = {'O': (-60, 30), 'W': (-110, -60)}
        run_frame(f, 88, legs, arms, head=90)
    f.accent = {'legW'}
    return sc


# --------------------------------------------------------------- table ----
# (id, human name, pose function, frames); frames == 0 means a single image.
ILLUSTRATIONS = [
    ('foam-roll-hip-flexors', 'Foam roll: hip flexors', p_foam_roll_hip_flexors, 0),
    ('foam-roll-piriformis', 'Foam roll: piriformis', p_foam_roll_piriformis, 0),
    ('foam-roll-hamstrings', 'Foam roll: hamstrings', p_foam_roll_hamstrings, 0),
    ('foam-roll-adductors', 'Foam roll: adductors', p_foam_roll_adductors, 0),
    ('foam-roll-it-band', 'Foam roll: IT band', p_foam_roll_it_band, 0),
    ('slow-jog', 'Slow jog', p_slow_jog, 2),
    ('high-knees', 'High knees', p_high_knees, 2),
    ('butt-kicks', 'Butt kicks', p_butt_kicks, 2),
    ('leg-swing-forward', 'Leg swing forward', p_leg_swing_forward, 2),
    ('leg-swing-sideways', 'Leg swing sideways', p_leg_swing_sideways, 2),
    ('strides', 'Strides', p_strides, 2),
    ('interval-run', 'Interval run', p_interval_run, 2),
    ('recovery-walk', 'Recovery walk', p_recovery_walk, 2),
    ('kneeling-hip-flexor-stretch', 'Kneeling hip flexor stretch', p_kneeling_hip_flexor, 0),
    ('rectus-femoris-stretch', 'Rectus femoris stretch', p_rectus_femoris, 0),
    ('standing-psoas-side-bend', 'Standing psoas side bend', p_side_bend, 2),
    ('lying-psoas-twist', 'Lying psoas twist', p_lying_psoas_twist, 0),
    ('cobra', 'Cobra', p_cobra, 0),
    ('constructive-rest', 'Constructive rest', p_constructive_rest, 0),
    ('double-knee-to-chest', 'Double knee to chest', p_double_knee_to_chest, 0),
    ('leg-cross-over', 'Leg cross-over', p_leg_cross_over, 0),
    ('piriformis-stretch', 'Piriformis stretch', p_piriformis_stretch, 0),
    ('glute-ball-release', 'Glute ball release', p_glute_ball_release, 0),
    ('standing-hamstring-stretch', 'Standing hamstring stretch', p_standing_hamstring, 0),
    ('adductor-stretch', 'Adductor stretch', p_adductor_stretch, 0),
    ('deep-squat', 'Deep squat', p_deep_squat, 0),
    ('standing-forward-bend', 'Standing forward bend', p_standing_forward_bend, 0),
    ('cook-hip-lift', 'Cook hip lift', p_cook_hip_lift, 2),
    ('bird-dog', 'Bird dog', p_bird_dog, 2),
    ('straight-leg-deadlift', 'Straight-leg deadlift', p_sldl, 2),
    ('romanian-deadlift', 'Romanian deadlift', p_rdl, 2),
    ('dead-bug', 'Dead bug', p_dead_bug, 2),
    ('plank', 'Plank', p_plank, 0),
    ('forward-lunge', 'Forward lunge', p_forward_lunge, 0),
    ('lateral-lunge', 'Lateral lunge', p_lateral_lunge, 0),
    ('reverse-lunge', 'Reverse lunge', p_reverse_lunge, 0),
    ('rotational-lunge', 'Rotational lunge', p_rotational_lunge, 0),
    ('a-skip', 'A-skip', p_a_skip, 2),
    ('carioca', 'Carioca', p_carioca, 2),
    ('bounding', 'Bounding', p_bounding, 2),
    # the exercise library
    ('squat', 'Squat', p_squat, 2),
    ('single-leg-squat', 'Single-leg squat', p_single_leg_squat, 2),
    ('jumps-forward', 'Jumps forward', p_jumps_forward, 2),
    ('jumps-backward', 'Jumps backward', p_jumps_backward, 2),
    ('lateral-jumps', 'Lateral jumps', p_lateral_jumps, 2),
    ('single-leg-hops', 'Single-leg hops', p_single_leg_hops, 2),
    ('pogo-jumps', 'Pogo jumps', p_pogo_jumps, 2),
    ('squat-jump', 'Squat jump', p_squat_jump, 2),
    ('b-skip', 'B-skip', p_b_skip, 2),
    ('power-skip', 'Power skip', p_power_skip, 2),
    ('backward-run', 'Backward running', p_backward_run, 2),
    ('shuttle-run', 'Shuttle run', p_shuttle, 2),
    ('lateral-shuffle', 'Lateral shuffle', p_lateral_shuffle, 2),
    ('skater-hops', 'Skater hops', p_skater_hops, 2),
    ('wall-drill', 'Wall drill', p_wall_drill, 2),
    ('nordic-hamstring-lower', 'Nordic hamstring lower', p_nordic, 2),
    ('calf-stretch', 'Calf stretch', p_calf_stretch, 0),
    ('soleus-stretch', 'Bent-knee calf stretch', p_soleus_stretch, 0),
    ('quadriceps-stretch', 'Standing quadriceps stretch', p_quad_stretch, 0),
    ('figure-four-stretch', 'Seated figure-four stretch', p_figure_four_seated, 0),
    ('side-plank', 'Side plank', p_side_plank, 0),
    ('glute-bridge', 'Glute bridge', p_glute_bridge, 2),
    ('single-leg-glute-bridge', 'Single-leg glute bridge', p_single_leg_bridge, 2),
    ('clamshell', 'Clamshell', p_clamshell, 2),
    ('lateral-band-walk', 'Lateral band walk', p_band_walk, 2),
    ('inchworm', 'Inchworm', p_inchworm, 2),
    ('worlds-greatest-stretch', "World's greatest stretch", p_worlds_greatest, 0),
    ('hip-circles', 'Hip circles', p_hip_circles, 2),
    ('arm-circles', 'Arm circles', p_arm_circles, 2),
    ('toy-soldier', 'Toy soldier', p_toy_soldier, 0),
    ('knee-hug', 'Knee hug', p_knee_hug, 0),
    ('calf-raise', 'Calf raise', p_calf_raise, 2),
]


def frames():
    """Yield (file name without extension, label, scene factory)."""
    for ident, label, fn, n in ILLUSTRATIONS:
        if n == 0:
            yield ident, label, fn
        else:
            for i in range(1, n + 1):
                yield '%s-%d' % (ident, i), '%s (%d/%d)' % (label, i, n), (lambda fn=fn, i=i: fn(i))


def main(argv):
    if len(argv) > 1 and argv[1] == '--list':
        for name, label, _ in frames():
            print('%s\t%s' % (name, label))
        return 0
    outdir = argv[1] if len(argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    os.makedirs(outdir, exist_ok=True)
    for name, label, make in frames():
        with open(os.path.join(outdir, name + '.svg'), 'w', encoding='utf-8', newline='\n') as fh:
            fh.write(make().svg())
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
