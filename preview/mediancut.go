package preview

import (
	"image"
	"image/color"
	"slices"

	"wxacode/hugebuf"
)

// medianCut sets out (of the same size) to opaque RGBA pixels pix reduced to
// at most limit colours: median cut over a 15-bit colour histogram (each box
// split at its pixel median along its widest channel, the box with the most
// pixels first), each box's colour the mean of its pixels. Much faster than
// go-sixel's cut on the pixels themselves, and each pixel's register is one
// table lookup.
func medianCut(pix []uint8, out *image.Paletted, limit int) {
	// Counts only: the boxes' mean colours are summed from the pixels in
	// the pass that indexes them, so the histogram is 128 KB, not the 1 MB
	// that sums per cell would take (fresh memory is a page fault a 4 KB,
	// much of a one-shot preview's time).
	hist := hugebuf.Uint32s(1 << 15)
	n := len(pix) / 4
	for j := 0; j < n; j++ {
		i := j * 4
		hist[cell15(pix[i:i+3:i+3])]++
	}
	var used []int32
	for k, c := range hist {
		if c > 0 {
			used = append(used, int32(k))
		}
	}
	channel := func(k int32, c int) int32 { return k >> (10 - 5*c) & 31 }
	type box struct {
		cells []int32
		n     int
	}
	boxes := []box{{used, n}}
	for len(boxes) < limit {
		// The splittable box with the most pixels.
		bi := -1
		for i, b := range boxes {
			if len(b.cells) > 1 && (bi < 0 || b.n > boxes[bi].n) {
				bi = i
			}
		}
		if bi < 0 {
			break
		}
		b := boxes[bi]
		widest, span := 0, int32(-1)
		for c := 0; c < 3; c++ {
			lo, hi := int32(31), int32(0)
			for _, k := range b.cells {
				v := channel(k, c)
				lo, hi = min(lo, v), max(hi, v)
			}
			if hi-lo > span {
				widest, span = c, hi-lo
			}
		}
		slices.SortFunc(b.cells, func(x, y int32) int { return int(channel(x, widest) - channel(y, widest)) })
		half, acc, cut := b.n/2, 0, 1
		for i, k := range b.cells[:len(b.cells)-1] {
			acc += int(hist[k])
			cut = i + 1
			if acc >= half {
				break
			}
		}
		boxes[bi] = box{b.cells[:cut], acc}
		boxes = append(boxes, box{b.cells[cut:], b.n - acc})
	}
	index := hugebuf.Bytes(1 << 15)
	for i, b := range boxes {
		for _, k := range b.cells {
			index[k] = uint8(i)
		}
	}
	sums := make([][3]uint64, len(boxes))
	op := out.Pix[:n]
	for j := range op {
		i := j * 4
		p := pix[i : i+3 : i+3]
		bi := index[cell15(p)]
		op[j] = bi
		s := &sums[bi]
		s[0] += uint64(p[0])
		s[1] += uint64(p[1])
		s[2] += uint64(p[2])
	}
	pal := make(color.Palette, len(boxes))
	for i, b := range boxes {
		n, s := uint64(b.n), sums[i]
		pal[i] = color.RGBA{uint8(s[0] / n), uint8(s[1] / n), uint8(s[2] / n), 0xff}
	}
	out.Palette = pal
}

// cell15 is the 15-bit histogram cell (5 bits of R, G, B) of an RGB pixel.
func cell15(p []uint8) int { return int(p[0]>>3)<<10 | int(p[1]>>3)<<5 | int(p[2]>>3) }
