package preview

import (
	"image"
	"image/color"
)

// exactPalette sets out (of the same size) to the opaque RGBA pixels pix
// with their exact colours; false when they have more than limit (at most
// 255: one sixel register is kept spare).
func exactPalette(pix []uint8, out *image.Paletted, limit int) bool {
	const size = 1024 // open addressing, load ≤ 25%
	var keys [size]uint32
	var idx [size]uint8
	var used [size]bool
	var pal color.Palette
	last, lastIdx := uint32(0), uint8(0)
	haveLast := false
	op := out.Pix[:len(pix)/4]
	for j := range op {
		i := j * 4
		k := uint32(pix[i])<<16 | uint32(pix[i+1])<<8 | uint32(pix[i+2])
		if haveLast && k == last {
			op[j] = lastIdx
			continue
		}
		h := (k * 2654435761) >> 22 // top 10 bits
		for used[h] && keys[h] != k {
			h = (h + 1) & (size - 1)
		}
		if !used[h] {
			if len(pal) == limit {
				return false
			}
			used[h], keys[h], idx[h] = true, k, uint8(len(pal))
			pal = append(pal, color.RGBA{pix[i], pix[i+1], pix[i+2], 0xff})
		}
		last, lastIdx, haveLast = k, idx[h], true
		op[j] = lastIdx
	}
	out.Palette = pal
	return true
}

// exactPaletteGrey is exactPalette for an opaque grey plane and its histogram.
func exactPaletteGrey(grey []uint8, hist *[256]int, out *image.Paletted, limit int) bool {
	distinct := 0
	for _, c := range hist {
		if c > 0 {
			distinct++
		}
	}
	if distinct > limit {
		return false
	}
	var idx [256]int16
	for i := range idx {
		idx[i] = -1
	}
	var pal color.Palette
	op := out.Pix[:len(grey)]
	for j, v := range grey {
		i := idx[v]
		if i < 0 {
			i = int16(len(pal))
			idx[v] = i
			pal = append(pal, color.RGBA{v, v, v, 0xff})
		}
		op[j] = uint8(i)
	}
	out.Palette = pal
	return true
}
