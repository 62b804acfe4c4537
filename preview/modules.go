package preview

import (
	"image"
	"sort"
)

// ModuleSize estimates the size in pixels of one QR module from the finder
// pattern in the top-left corner: a row crossing it reads dark, light, dark,
// light, dark in the ratio 1:1:3:1:1. ok is false when no such pattern is
// found (the round mini program code has none).
func ModuleSize(img image.Image) (px float64, ok bool) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w < 21 || h < 21 {
		return 0, false
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
		return 0, false
	}
	thr := (lo + hi) / 2
	var found []float64
	limit := h * 45 / 100 // the finder sits in the top part
	for y := 0; y < limit; y++ {
		rr.read(y, row)
		for x := 0; x < w; x++ {
			dark[x] = lumaAt(row[x*4:]) < thr
		}
		if m, ok := finderInRow(dark[:w*45/100]); ok {
			found = append(found, m)
		} else if len(found) > 0 {
			break // past the finder
		}
	}
	if len(found) < 3 {
		return 0, false
	}
	sort.Float64s(found)
	return found[len(found)/2], true
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
