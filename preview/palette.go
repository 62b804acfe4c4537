package preview

import (
	"encoding/binary"
	"image"
	"image/color"
	"slices"
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

// snapPeaks maps a JPEG of a few flat colours (a code on a grey badge, with
// a ring and a label) back to those colours: the peaks of a 15-bit colour
// histogram, merged when close, must cover 85 % of the pixels; each pixel
// then takes the nearest peak. nil when the image is not like that (a photo
// avatar), and go-sixel's median cut takes over.
func snapPeaks(pix []uint8, out *image.Paletted) bool {
	t := peakTables.Get().(*peakTable)
	defer t.done()
	n := len(pix) / 4
	// Counted per run of one colour: JPEG codes are mostly long runs.
	var last uint32
	run := int32(0)
	for j := 0; j < n; j++ {
		u := binary.LittleEndian.Uint32(pix[j*4:]) & 0xffffff
		if run > 0 && u == last {
			run++
			continue
		}
		if run > 0 {
			t.add(last, run)
		}
		last, run = u, 1
	}
	if run > 0 {
		t.add(last, run)
	}
	pal := t.peaks(n)
	if pal == nil {
		return false
	}
	op := out.Pix[:n]
	var idx uint8
	have := false
	for j := range op {
		u := binary.LittleEndian.Uint32(pix[j*4:]) & 0xffffff
		if !have || u != last {
			last, idx, have = u, t.b[bucketOf(u)].peak, true
		}
		op[j] = idx
	}
	out.Palette = pal
	return true
}

// snapPeaksGrey is snapPeaks for an opaque grey plane and its histogram.
func snapPeaksGrey(grey []uint8, hist *[256]int, out *image.Paletted) bool {
	t := peakTables.Get().(*peakTable)
	defer t.done()
	for v, c := range hist {
		if c > 0 {
			t.add(uint32(v)*0x010101, int32(c))
		}
	}
	pal := t.peaks(len(grey))
	if pal == nil {
		return false
	}
	var lut [256]uint8
	for v, c := range hist {
		if c > 0 {
			lut[v] = t.b[bucketOf(uint32(v)*0x010101)].peak
		}
	}
	op := out.Pix[:len(grey)]
	for j, v := range grey {
		op[j] = lut[v]
	}
	out.Palette = pal
	return true
}

// add counts run pixels of the RGB word u.
func (t *peakTable) add(u uint32, run int32) {
	k := bucketOf(u)
	b := &t.b[k]
	if b.n == 0 {
		t.used = append(t.used, k)
	}
	b.n += run
	b.sum[0] += int32(u&0xff) * run
	b.sum[1] += int32(u>>8&0xff) * run
	b.sum[2] += int32(u>>16&0xff) * run
}

// peaks finds the palette of snapPeaks among the n pixels counted, and the
// peak of every bucket in use; nil when the image is not a few flat colours.
func (t *peakTable) peaks(n int) color.Palette {
	slices.Sort(t.used) // the peaks are found in bucket order
	type peak struct {
		c [3]int
		n int
	}
	var peaks []peak
	covered := 0
	for _, k := range t.used {
		b := &t.b[k]
		c := b.n
		if int(c) < n/200+1 {
			continue
		}
		covered += int(c)
		p := peak{[3]int{int(b.sum[0] / c), int(b.sum[1] / c), int(b.sum[2] / c)}, int(c)}
		merged := false
		for i := range peaks {
			q := &peaks[i]
			if abs(q.c[0]-p.c[0])+abs(q.c[1]-p.c[1])+abs(q.c[2]-p.c[2]) <= 24 {
				if p.n > q.n {
					q.c = p.c // the bigger bucket's colour wins: it is the flat area's
				}
				q.n += p.n
				merged = true
				break
			}
		}
		if !merged {
			peaks = append(peaks, p)
			if len(peaks) > 32 {
				return nil
			}
		}
	}
	if covered < n*85/100 {
		return nil
	}
	pal := make(color.Palette, len(peaks))
	for i, p := range peaks {
		pal[i] = color.RGBA{uint8(p.c[0]), uint8(p.c[1]), uint8(p.c[2]), 0xff}
	}
	// Each bucket in use goes to the peak nearest its centre.
	for _, k := range t.used {
		r, g, b := int(k>>10)<<3+4, int(k>>5&31)<<3+4, int(k&31)<<3+4
		best, bestD := 0, 1<<30
		for pi, p := range peaks {
			d := (p.c[0]-r)*(p.c[0]-r) + (p.c[1]-g)*(p.c[1]-g) + (p.c[2]-b)*(p.c[2]-b)
			if d < bestD {
				best, bestD = pi, d
			}
		}
		t.b[k].peak = uint8(best)
	}
	return pal
}

// done clears the buckets in use (a code uses a few hundred of the 32768)
// and puts t back in the pool.
func (t *peakTable) done() {
	for _, k := range t.used {
		t.b[k] = bucket{}
	}
	t.used = t.used[:0]
	peakTables.Put(t)
}

// bucketOf is the 15-bit colour (5 bits of R, G, B) of an RGB word.
func bucketOf(u uint32) int32 {
	return int32(u&0xf8)<<7 | int32(u>>8&0xf8)<<2 | int32(u>>19&0x1f)
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
