package preview

import (
	"image"
	"math"
	"sort"
)

// grid is where a QR's modules are: the module size, the top-left corner of
// the top-left finder (relative to the bounds) and, when both top finders
// were seen, the symbol's width in modules (0 otherwise).
type grid struct {
	module float64
	origin image.Point
	symbol int
}

// moduleGrid finds a QR's module grid from the finder pattern in the top-left
// corner: a row crossing it reads dark, light, dark, light, dark in the ratio
// 1:1:3:1:1. ok is false when no such pattern is found (the round mini
// program code has none).
func moduleGrid(img image.Image) (g grid, ok bool) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w < 21 || h < 21 {
		return g, false
	}
	rr := newRowReader(img)
	row := make([]uint8, w*4)
	dark := make([]bool, w)
	// Luma over white; threshold halfway between the extremes seen on a few rows.
	lumaAt := func(p []uint8) int {
		k := 255 - int(p[3])
		return luma(uint8(min(int(p[0])+k, 255)), uint8(min(int(p[1])+k, 255)), uint8(min(int(p[2])+k, 255)))
	}
	lo, hi := 255, 0
	for y := 0; y < h; y += max(1, h/16) {
		rr.read(y, row)
		for x := 0; x < w; x++ {
			l := lumaAt(row[x*4:])
			lo, hi = min(lo, l), max(hi, l)
		}
	}
	if hi-lo < 48 {
		return g, false
	}
	thr := (lo + hi) / 2
	var found []float64
	firstY, left := -1, 0
	var spans []float64   // left edge of the left finder to right edge of the right one
	limit := h * 45 / 100 // the finder sits in the top part
	for y := 0; y < limit; y++ {
		rr.read(y, row)
		for x := 0; x < w; x++ {
			dark[x] = lumaAt(row[x*4:]) < thr
		}
		if m, ok := finderInRow(dark[:w*45/100]); ok {
			if firstY < 0 {
				firstY = y
				for left < w && !dark[left] {
					left++
				}
			}
			found = append(found, m)
			if l, r, ok := finderSpan(dark); ok {
				spans = append(spans, float64(r-l))
			}
		} else if len(found) > 0 {
			break // past the finder
		}
	}
	if len(found) < 3 {
		return g, false
	}
	sort.Float64s(found)
	m := found[len(found)/2]
	// Run lengths are off by a pixel when modules are uneven; the distance
	// across both top finders spans the whole symbol, 21+4v modules, which
	// gives the module size to a fraction of a pixel.
	if len(spans) > 0 {
		sort.Float64s(spans)
		span := spans[len(spans)/2]
		v := math.Round((span/m - 21) / 4)
		if n := 21 + 4*v; v >= 0 && v <= 39 && math.Abs(span/m-n) < 2 {
			m = span / n
			g.symbol = int(n)
		}
	}
	// When the image is a whole number of modules wide (a quiet zone of whole
	// modules), that number is more precise than the finder's run lengths.
	if n := float64(w) / m; math.Abs(n-math.Round(n)) < 0.25 {
		m = float64(w) / math.Round(n)
	}
	// The finder's top edge: up from the first row through its middle while
	// the column half a module inside its left edge stays dark.
	top := firstY
	col := left + int(m/2)
	for top > 0 {
		rr.read(top-1, row)
		if col >= w || lumaAt(row[col*4:]) >= thr {
			break
		}
		top--
	}
	g.module, g.origin = m, image.Pt(left, top)
	return g, true
}

// finderInRow looks for the first 1:1:3:1:1 run pattern starting with the
// first dark run of the row and returns the module size.
func finderInRow(dark []bool) (float64, bool) {
	var runs []int
	x := 0
	for x < len(dark) && !dark[x] {
		x++
	}
	for x < len(dark) && len(runs) < 5 {
		s, v := x, dark[x]
		for x < len(dark) && dark[x] == v {
			x++
		}
		runs = append(runs, x-s)
	}
	if len(runs) < 5 {
		return 0, false
	}
	total := 0
	for _, r := range runs {
		total += r
	}
	m := float64(total) / 7
	if m < 1 {
		return 0, false
	}
	for i, want := range [5]float64{1, 1, 3, 1, 1} {
		d := float64(runs[i]) - want*m
		if d < -m*0.5 || d > m*0.5 {
			return 0, false
		}
	}
	return m, true
}

// finderSpan returns the left edge of the row's first dark run and the right
// edge of its last, when both start a 1:1:3:1:1 pattern (the two top finders).
func finderSpan(dark []bool) (l, r int, ok bool) {
	w := len(dark)
	rev := make([]bool, w*45/100)
	for i := range rev {
		rev[i] = dark[w-1-i]
	}
	if _, ok := finderInRow(rev); !ok {
		return 0, 0, false
	}
	for l < w && !dark[l] {
		l++
	}
	r = w
	for r > 0 && !dark[r-1] {
		r--
	}
	return l, r, r > l
}
