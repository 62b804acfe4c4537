package preview

import (
	"image"
	"image/color"
	"slices"
)

// medianCut sets out (of the same size) to opaque RGBA pixels pix reduced to
// at most limit colours: median cut over a 15-bit colour histogram (each box
// split at its pixel median along its widest channel, the box with the most
// pixels first), each box's colour the mean of its pixels. Much faster than
// go-sixel's cut on the pixels themselves, and each pixel's register is one
// table lookup.
func medianCut(pix []uint8, out *image.Paletted, limit int) {
	type cell struct {
		n   int
		sum [3]int
	}
	hist := make([]cell, 1<<15)
	n := len(pix) / 4
	for j := 0; j < n; j++ {
		i := j * 4
		c := &hist[cell15(pix[i:i+3:i+3])]
		c.n++
		c.sum[0] += int(pix[i])
		c.sum[1] += int(pix[i+1])
		c.sum[2] += int(pix[i+2])
	}
	var used []int32
	for k := range hist {
		if hist[k].n > 0 {
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
			acc += hist[k].n
			cut = i + 1
			if acc >= half {
				break
			}
		}
		boxes[bi] = box{b.cells[:cut], acc}
		boxes = append(boxes, box{b.cells[cut:], b.n - acc})
	}
	pal := make(color.Palette, len(boxes))
	index := make([]uint8, 1<<15)
	for i, b := range boxes {
		var s [3]int
		for _, k := range b.cells {
			s[0] += hist[k].sum[0]
			s[1] += hist[k].sum[1]
			s[2] += hist[k].sum[2]
			index[k] = uint8(i)
		}
		pal[i] = color.RGBA{uint8(s[0] / b.n), uint8(s[1] / b.n), uint8(s[2] / b.n), 0xff}
	}
	op := out.Pix[:n]
	for j := range op {
		i := j * 4
		op[j] = index[cell15(pix[i:i+3:i+3])]
	}
	out.Palette = pal
}

// cell15 is the 15-bit histogram cell (5 bits of R, G, B) of an RGB pixel.
func cell15(p []uint8) int { return int(p[0]>>3)<<10 | int(p[1]>>3)<<5 | int(p[2]>>3) }
