package preview

import (
	"bytes"
	"encoding/binary"
	"image"
	"math/bits"
	"slices"
	"strconv"
	"unsafe"

	"github.com/mattn/go-sixel"

	"wxacode/hugebuf"
)

// encodeSixel encodes an image from Prepare as a DECSIXEL string. Paletted
// images (codes) use the encoder below: exact colour registers, one pass per
// colour and band, and the most common colour of each band painted as a solid
// run first so only the others carry data, which roughly halves a code. Other
// images go through go-sixel (median cut). Prepare's colour indexes are all
// within the palette, so they are not checked again.
func encodeSixel(img image.Image) (string, error) {
	if p, ok := img.(*image.Paletted); ok && len(p.Palette) <= 256 && paletteOpaque(p) {
		// The bytes are never touched again: a string over them saves
		// copying (and first touching) another 100 KB of a big sixel.
		b := encodePaletted(p)
		return unsafe.String(unsafe.SliceData(b), len(b)), nil
	}
	var buf bytes.Buffer
	enc := sixel.NewEncoder(&buf)
	// Alpha is only left in for BackgroundNone; P2=1 then lets the screen
	// show through instead of painting transparent pixels black.
	enc.Transparent = true
	if err := enc.Encode(img); err != nil {
		return "", err
	}
	return buf.String(), nil
}

func paletteOpaque(p *image.Paletted) bool {
	for _, c := range p.Palette {
		if _, _, _, a := c.RGBA(); a != 0xffff {
			return false
		}
	}
	return true
}

// encodePaletted writes ESC P 0;1;0 q "1;1;W;H, the colour registers, the
// bands and ST. P2=1 so nothing unpainted is filled (every pixel is painted
// anyway); "1;1 declares square pixels.
func encodePaletted(p *image.Paletted) []byte {
	w, h := p.Rect.Dx(), p.Rect.Dy()
	n := len(p.Palette)
	// A code is long runs (about a byte per 12 pixels); a photo-like
	// image of many colours carries several colours in every band.
	est := w * h / 12
	if n > 16 {
		est = w * h * 2 / 3
	}
	out := hugebuf.Bytes(64 + n*20 + est)[:0]
	out = append(out, "\x1bP0;1;0q\"1;1;"...)
	out = strconv.AppendInt(out, int64(w), 10)
	out = append(out, ';')
	out = strconv.AppendInt(out, int64(h), 10)
	for i, c := range p.Palette {
		r, g, b, _ := c.RGBA()
		out = append(out, '#')
		out = strconv.AppendInt(out, int64(i), 10)
		out = append(out, ";2;"...)
		out = strconv.AppendInt(out, int64(pct(r)), 10)
		out = append(out, ';')
		out = strconv.AppendInt(out, int64(pct(g)), 10)
		out = append(out, ';')
		out = strconv.AppendInt(out, int64(pct(b)), 10)
	}
	planes := bits.Len(uint(n - 1)) // bits of an index
	// bits[c*w+x]: the six-pixel column of colour c (up to 1<<planes
	// colours when few, for bandPlanes)
	bits := hugebuf.Bytes(w * max(n, 1<<planes))
	count := make([]int, max(n, 8))
	// span[c] is the columns [lo, hi) where colour c has pixels in the band
	// (bandBits keeps it; the fast paths leave the whole width): a colour
	// of a photo logo spans a few columns, and only those are scanned.
	span := make([][2]int, max(n, 8))
	for top := 0; top < h; top += 6 {
		if top > 0 {
			out = append(out, '-')
		}
		clear(count)
		rows := min(6, h-top)
		switch {
		case n == 2 && twoColourBand(p, top, rows, bits[w:], count):
			// bits of colour 0 are those of colour 1 flipped
			full := byte(1<<rows - 1)
			for x, b := range bits[w : 2*w] {
				bits[x] = ^b & full
			}
		case (planes == 2 || planes == 3) && bandPlanes(p, top, rows, planes, bits, count):
			for c := range span {
				span[c] = [2]int{0, w}
			}
		default:
			// Every row of bits is cleared once written out (below), so
			// only a fast path that gave up leaves anything to clear:
			// clearing all of bits for each band of a 255-colour image
			// was 100 KB a band.
			if n == 2 || planes == 2 || planes == 3 {
				clear(bits)
				clear(count)
			}
			bandBits(p, top, rows, bits, count, span)
		}
		if n == 2 {
			span[0], span[1] = [2]int{0, w}, [2]int{0, w}
		}
		base := 0
		for c := 1; c < n; c++ {
			if count[c] > count[base] {
				base = c
			}
		}
		// The base colour as one solid run over the band's rows; the other
		// colours are painted over it.
		out = appendSelect(out, base)
		out = appendRun(out, byte(1<<rows-1), w)
		row := bits[base*w : base*w+w]
		clear(row)
		for c := 0; c < n; c++ {
			if c == base || count[c] == 0 {
				continue
			}
			out = append(out, '$')
			out = appendSelect(out, c)
			row := bits[c*w : c*w+w]
			lo, end := span[c][0], span[c][1]
			for end > lo && row[end-1] == 0 {
				end--
			}
			if lo > 0 {
				out = appendRun(out, 0, lo) // nothing of c left of its span
			}
			for x := lo; x < end; {
				v, s := row[x], x
				x++
				// Long runs (a code's modules) a word at a time.
				for vv := uint64(v) * 0x0101010101010101; x+8 <= end && binary.LittleEndian.Uint64(row[x:]) == vv; {
					x += 8
				}
				for x < end && row[x] == v {
					x++
				}
				out = appendRun(out, v, x-s)
			}
			clear(row[lo:span[c][1]])
		}
	}
	return append(out, "\x1b\\"...)
}

// bandRows is the pixel rows top … top+rows-1 of p (rows ≤ 6, a sixel band).
func bandRows(p *image.Paletted, top, rows int) [6][]uint8 {
	var r [6][]uint8
	w := p.Rect.Dx()
	for k := range rows {
		o := p.PixOffset(p.Rect.Min.X, p.Rect.Min.Y+top+k)
		r[k] = p.Pix[o : o+w]
	}
	return r
}

// bandBits sets, in bits[c*w+x], bit k where row top+k has colour c at x,
// counts each colour's pixels, and sets span[c] to the columns [lo, hi)
// where it has any (colours with none are left as they were).
func bandBits(p *image.Paletted, top, rows int, bits []byte, count []int, span [][2]int) {
	w := p.Rect.Dx()
	band := bandRows(p, top, rows)
	for c := range span {
		span[c] = [2]int{w, 0}
	}
	for k, row := range band[:rows] {
		mask := byte(1) << k
		// By runs of one colour: a code is mostly long runs.
		for x := 0; x < len(row); {
			c, s := row[x], x
			col := bits[int(c)*w : int(c)*w+w]
			for ; x < len(row) && row[x] == c; x++ {
				col[x] |= mask
			}
			count[c] += x - s
			sp := &span[c]
			sp[0], sp[1] = min(sp[0], s), max(sp[1], x)
		}
	}
}

// twoColourBand is bandBits for colour 1 of a two-colour image, eight
// columns at a time: with indices 0 and 1, row k shifted left by k is its
// bit. false (bits1 and count garbage) when an index is neither.
func twoColourBand(p *image.Paletted, top, rows int, bits1 []byte, count []int) bool {
	w := p.Rect.Dx()
	rowPix := bandRows(p, top, rows)
	var bad uint64
	ones := 0
	x := 0
	for ; x+8 <= w; x += 8 {
		var acc uint64
		for k, r := range rowPix[:rows] {
			v := binary.LittleEndian.Uint64(r[x:])
			bad |= v
			acc |= v << k
		}
		binary.LittleEndian.PutUint64(bits1[x:], acc)
		ones += bits.OnesCount64(acc)
	}
	for ; x < w; x++ {
		var acc uint8
		for k, r := range rowPix[:rows] {
			bad |= uint64(r[x])
			acc |= r[x] << k
		}
		bits1[x] = acc
		ones += bits.OnesCount8(acc)
	}
	if bad&^0x0101010101010101 != 0 {
		return false
	}
	count[0], count[1] = rows*w-ones, ones
	return true
}

// bandPlanes is bandBits for images of 3 to 8 colours, eight columns at a
// time: each colour's bytes are picked out of eight indices by their bit
// planes. false (bits and count garbage) when an index is past the palette.
func bandPlanes(p *image.Paletted, top, rows, planes int, cols []byte, count []int) bool {
	const lo = 0x0101010101010101
	w := p.Rect.Dx()
	colours := 1 << planes
	rowPix := bandRows(p, top, rows)
	clear(count[:colours])
	var bad uint64
	x := 0
	for ; x+8 <= w; x += 8 {
		var a0, a1, a2, a3, a4, a5, a6, a7 uint64
		for k, r := range rowPix[:rows] {
			v := binary.LittleEndian.Uint64(r[x:])
			bad |= v
			p0, p1 := v&lo, v>>1&lo
			n0, n1 := p0^lo, p1^lo
			q0, q1, q2, q3 := n0&n1, p0&n1, n0&p1, p0&p1
			if planes == 2 {
				a0, a1, a2, a3 = a0|q0<<k, a1|q1<<k, a2|q2<<k, a3|q3<<k
				continue
			}
			p2 := v >> 2 & lo
			a0, a1, a2, a3 = a0|(q0&^p2)<<k, a1|(q1&^p2)<<k, a2|(q2&^p2)<<k, a3|(q3&^p2)<<k
			a4, a5, a6, a7 = a4|(q0&p2)<<k, a5|(q1&p2)<<k, a6|(q2&p2)<<k, a7|(q3&p2)<<k
		}
		acc := [8]uint64{a0, a1, a2, a3, a4, a5, a6, a7}
		for c, a := range acc[:colours] {
			binary.LittleEndian.PutUint64(cols[c*w+x:], a)
			count[c] += bits.OnesCount64(a)
		}
	}
	for ; x < w; x++ {
		for c := 0; c < colours; c++ {
			cols[c*w+x] = 0
		}
		for k, r := range rowPix[:rows] {
			c := int(r[x]) & (colours - 1)
			bad |= uint64(r[x])
			cols[c*w+x] |= 1 << k
			count[c]++
		}
	}
	n := len(p.Palette)
	if bad&^(lo*uint64(colours-1)) != 0 || slices.ContainsFunc(count[n:colours], func(c int) bool { return c > 0 }) {
		return false
	}
	return true
}

// pct converts a 16-bit channel to the 0–100 scale of sixel colour registers, rounded.
func pct(v uint32) uint32 { return (v*100 + 0x7fff) / 0xffff }

func appendSelect(out []byte, c int) []byte {
	out = append(out, '#')
	return strconv.AppendInt(out, int64(c), 10)
}

// appendRun writes n copies of the sixel for bits, with a repeat introducer
// (!n) when that is shorter.
func appendRun(out []byte, bits byte, n int) []byte {
	ch := 0x3f + bits
	if n <= 3 {
		for ; n > 0; n-- {
			out = append(out, ch)
		}
		return out
	}
	out = append(out, '!')
	out = strconv.AppendInt(out, int64(n), 10)
	return append(out, ch)
}
