package preview

import (
	"bytes"
	"encoding/binary"
	"image"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"wxacode/hugebuf"
)

// weightBits is the fixed-point precision of resampling weights: each output
// pixel's weights along one axis sum to 1<<weightBits.
const weightBits = 10

// axis lists, for every output index, the source indices it covers and how
// much of it (area averaging). Integer factors give equal weights; integer
// upscales give one source pixel per output (pure replication), so modules
// stay square and sharp.
type axis struct {
	start []int32 // first source index of output i
	off   []int32 // index into w of output i's first weight; off[i+1]-off[i] weights
	w     []int32
}

func newAxis(sn, dn int) axis { return newAxisSpan(sn, float64(sn), dn) }

// newAxisSpan is newAxis for outputs spanning the first span (≤ sn) source
// indices: a chroma plane of an odd-sized image has a half sample past
// the picture's edge.
func newAxisSpan(sn int, span float64, dn int) axis {
	a := axis{start: make([]int32, dn), off: make([]int32, dn+1)}
	r := span / float64(dn)
	for o := 0; o < dn; o++ {
		lo, hi := float64(o)*r, float64(o+1)*r
		i0 := int(math.Floor(lo + 1e-9))
		i1 := int(math.Ceil(hi - 1e-9))
		if i1 > sn {
			i1 = sn
		}
		if i1 <= i0 {
			i1 = i0 + 1
		}
		a.start[o] = int32(i0)
		a.off[o] = int32(len(a.w))
		sum, big, bigAt := int32(0), int32(-1), 0
		for i := i0; i < i1; i++ {
			ov := math.Min(hi, float64(i+1)) - math.Max(lo, float64(i))
			w := int32(math.Round(ov / (hi - lo) * (1 << weightBits)))
			if w > big {
				big, bigAt = w, len(a.w)
			}
			a.w = append(a.w, w)
			sum += w
		}
		a.w[bigAt] += 1<<weightBits - sum // rounding leftovers go to the largest share
	}
	a.off[dn] = int32(len(a.w))
	return a
}

// taps4 lays out the weights of an axis of at most four source indices per
// output as exactly four from start4[o] (zero weights padding either side),
// so that the grey loops are straight-line; ok false when an output covers
// more, or the source is narrower than four.
func (a axis) taps4(sn int) (start4 []int32, w4 [][4]uint32, ok bool) {
	dn := len(a.start)
	if sn < 4 {
		return nil, nil, false
	}
	start4, w4 = make([]int32, dn), make([][4]uint32, dn)
	for o := 0; o < dn; o++ {
		ws := a.w[a.off[o]:a.off[o+1]]
		if len(ws) > 4 {
			return nil, nil, false
		}
		s, pad := int(a.start[o]), 0
		if s+4 > sn {
			pad = s + 4 - sn
		}
		start4[o] = int32(s - pad)
		for i, w := range ws {
			w4[o][pad+i] = uint32(w)
		}
	}
	return start4, w4, true
}

// resample scales src to dw×dh by area averaging and returns premultiplied RGBA.
func resample(src image.Image, dw, dh int) *image.RGBA {
	m, grey := resampleGrey(src, dw, dh, false)
	if grey != nil {
		m = expandGrey(grey, dw, dh)
		putBytes(grey)
	}
	return m
}

// resampleGrey is resample, except that an opaque grey result comes back as
// one byte per pixel (grey, from getBytes) instead of RGBA (m is then nil).
// Codes are grey: averaging one channel instead of four is what makes a
// 1280 px code cheap. Every channel is averaged on its own with the same
// weights, so a grey channel comes out exactly as each of R, G and B would.
// white flattens a transparent grey result onto white (as flatten does),
// which makes it an opaque grey one.
func resampleGrey(src image.Image, dw, dh int, white bool) (m *image.RGBA, grey []uint8) {
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	conv := newRowReader(src)
	ch := conv.chans
	if s, ok := src.(*image.YCbCr); ok && ch == 4 {
		if m := resampleYCbCr(s, dw, dh); m != nil {
			return m, nil
		}
	}
	for {
		toGrey := ch == 1 || ch == 2 && white
		var out []uint8
		if toGrey {
			out = getBytes(dw * dh)
		} else {
			m = newScratchRGBA(dw, dh)
			out = m.Pix
		}
		need := resampleInto(conv, out, ch, toGrey, sw, sh, dw, dh)
		if need == 0 {
			if toGrey {
				return nil, out
			}
			return m, nil
		}
		// A row was not as grey (or opaque) as hoped: again with the
		// channels it needs. At most twice: 1 → 2 → 4.
		if toGrey {
			putBytes(out)
		} else {
			release(m)
		}
		if need <= ch {
			need = 4 // cannot happen; never loop
		}
		ch = need
	}
}

// resampleInto scales into out (grey when toGrey, RGBA otherwise) reading
// ch-channel rows; it returns 0, or the channels a row turned out to need.
// Grey from two channels is flattened onto white.
func resampleInto(conv *rowReader, out []uint8, ch int, toGrey bool, sw, sh, dw, dh int) int {
	return resampleSpan(conv, out, ch, toGrey, sw, sh, float64(sw), float64(sh), dw, dh)
}

// resampleSpan is resampleInto with the outputs spanning the first spanW×spanH
// source pixels (see newAxisSpan).
func resampleSpan(conv *rowReader, out []uint8, ch int, toGrey bool, sw, sh int, spanW, spanH float64, dw, dh int) int {
	if sw == dw && sh == dh && spanW == float64(sw) && spanH == float64(sh) {
		row := make([]uint8, sw*2)
		for y := 0; y < dh; y++ {
			dst := row
			if ch != 2 {
				dst = out[y*dw*ch : (y+1)*dw*ch]
			}
			if !conv.readN(y, dst, ch) {
				return conv.need(y)
			}
			if ch == 2 && toGrey {
				flattenGreyAlpha(row, out[y*dw:(y+1)*dw])
			} else if ch == 2 {
				expandGreyAlpha(row, out[y*dw*4:(y+1)*dw*4])
			}
		}
		return 0
	}
	ax, ay := newAxisSpan(sw, spanW, dw), newAxisSpan(sh, spanH, dh)
	// Big images (a 1280 px code) are split into bands of output rows, one
	// per core: the passes over the source dominate the whole pipeline.
	parts := 1
	if sw*sh >= 1<<19 {
		parts = min(runtime.GOMAXPROCS(0), 4, dh)
	}
	if parts == 1 {
		var stop atomic.Bool
		return resampleRows(conv, out, ch, toGrey, ax, ay, sw, dw, 0, dh, &stop)
	}
	var wg sync.WaitGroup
	var stop atomic.Bool
	needs := make([]int, parts)
	for p := 0; p < parts; p++ {
		wg.Add(1)
		go func(y0, y1 int) {
			defer wg.Done()
			needs[p] = resampleRows(conv, out, ch, toGrey, ax, ay, sw, dw, y0, y1, &stop)
		}(dh*p/parts, dh*(p+1)/parts)
	}
	wg.Wait()
	return slices.Max(needs)
}

// resampleRows computes output rows [y0, y1). Vertical first: the source rows
// of one output row are summed into vacc, then one horizontal pass per output
// row (not per source row). It gives up (returning the channels needed) on a
// row that cannot be read with ch channels, or when another band did (stop).
func resampleRows(conv *rowReader, out []uint8, ch int, toGrey bool, ax, ay axis, sw, dw, y0, y1 int, stop *atomic.Bool) int {
	// cur holds the last source row read; a run of equal rows (a code's
	// module is many rows tall) is added once with the sum of its weights.
	cur, next, prev := make([]uint8, sw*ch), make([]uint8, sw*ch), make([]uint8, sw*ch)
	// A grey paletted image is summed straight from its indices, through
	// a table of the palette times the weight.
	indices := conv.greyIndices(ch)
	if indices {
		prev = make([]uint8, sw)
	}
	vacc := make([]uint32, sw*ch)
	var vacc4 []uint64 // four channels: two to a word (see addRow4)
	add := func(row []uint8, w uint32, first bool) { conv.addRow(vacc, row, w, first, indices) }
	if ch == 4 {
		vacc = nil
		vacc4 = make([]uint64, sw*2)
		add = func(row []uint8, w uint32, first bool) { addRow4(vacc4, row, w, first) }
	}
	var x4 []int32
	var w4 [][4]uint32
	if ch <= 2 || ch == 4 {
		if s, w, ok := ax.taps4(sw); ok {
			x4, w4 = s, w
		}
	}
	lastY := -1
	prevOne := false // the previous output row was made of one row, prev
	const round = 1 << (2*weightBits - 1)
	for oy := y0; oy < y1; oy++ {
		if stop.Load() {
			return 0
		}
		y := int(ay.start[oy])
		var curW uint32
		runs := 0 // runs of equal rows added to vacc so far
		for _, w := range ay.w[ay.off[oy]:ay.off[oy+1]] {
			if y != lastY {
				if lastY >= 0 && y == lastY+1 && conv.repeats(y) {
					// the same pixels as the row in cur
					lastY = y
					curW += uint32(w)
					y++
					continue
				}
				if indices {
					next = conv.indexRow(y)
				} else if !conv.readN(y, next, ch) {
					stop.Store(true)
					return conv.need(y)
				}
				lastY = y
				if curW == 0 || !bytes.Equal(next, cur) {
					if curW != 0 {
						add(cur, curW, runs == 0)
						runs++
					}
					cur, next = next, cur
					curW = 0
				}
			}
			curW += uint32(w)
			y++
		}
		// Made of the same one row as the previous output row: the same pixels.
		one := runs == 0
		if one && prevOne && oy > y0 && bytes.Equal(cur, prev) {
			n := dw
			if !toGrey {
				n = dw * 4
			}
			copy(out[oy*n:(oy+1)*n], out[(oy-1)*n:oy*n])
			continue
		}
		add(cur, curW, one)
		if prevOne = one; one {
			copy(prev, cur)
		}
		switch ch {
		case 1:
			dst := out[oy*dw : oy*dw+dw]
			if x4 != nil {
				for o := range dst {
					s := vacc[x4[o] : x4[o]+4 : x4[o]+4]
					w := &w4[o]
					g := w[0]*s[0] + w[1]*s[1] + w[2]*s[2] + w[3]*s[3]
					dst[o] = uint8((g + round) >> (2 * weightBits))
				}
				break
			}
			for o := range dst {
				ws := ax.w[ax.off[o]:ax.off[o+1]]
				src := vacc[int(ax.start[o]):]
				src = src[:len(ws)]
				var g uint32
				for i, w := range ws {
					g += uint32(w) * src[i]
				}
				dst[o] = uint8((g + round) >> (2 * weightBits))
			}
		case 2:
			var dst []uint8
			if toGrey {
				dst = out[oy*dw : oy*dw+dw]
			} else {
				dst = out[oy*dw*4 : oy*dw*4+dw*4]
			}
			for o := 0; o < dw; o++ {
				var g, al uint32
				if x4 != nil {
					s := vacc[x4[o]*2 : x4[o]*2+8 : x4[o]*2+8]
					w := &w4[o]
					g = w[0]*s[0] + w[1]*s[2] + w[2]*s[4] + w[3]*s[6]
					al = w[0]*s[1] + w[1]*s[3] + w[2]*s[5] + w[3]*s[7]
				} else {
					ws := ax.w[ax.off[o]:ax.off[o+1]]
					src := vacc[int(ax.start[o])*2:]
					src = src[:len(ws)*2]
					for i, w := range ws {
						p := src[i*2 : i*2+2 : i*2+2]
						uw := uint32(w)
						g += uw * p[0]
						al += uw * p[1]
					}
				}
				v, a := uint8((g+round)>>(2*weightBits)), uint8((al+round)>>(2*weightBits))
				if toGrey {
					dst[o] = overWhite(v, a)
					continue
				}
				d := dst[o*4 : o*4+4 : o*4+4]
				d[0], d[1], d[2], d[3] = v, v, v, a
			}
		default:
			dst := out[oy*dw*4 : oy*dw*4+dw*4]
			put := func(d []uint8, lo, hi uint64) {
				d[0] = uint8((uint32(lo) + round) >> (2 * weightBits))
				d[1] = uint8((uint32(lo>>32) + round) >> (2 * weightBits))
				d[2] = uint8((uint32(hi) + round) >> (2 * weightBits))
				d[3] = uint8((uint32(hi>>32) + round) >> (2 * weightBits))
			}
			if x4 != nil {
				for o := 0; o < dw; o++ {
					s := vacc4[x4[o]*2 : x4[o]*2+8 : x4[o]*2+8]
					w := &w4[o]
					w0, w1, w2, w3 := uint64(w[0]), uint64(w[1]), uint64(w[2]), uint64(w[3])
					put(dst[o*4:o*4+4:o*4+4], w0*s[0]+w1*s[2]+w2*s[4]+w3*s[6], w0*s[1]+w1*s[3]+w2*s[5]+w3*s[7])
				}
				break
			}
			for o := 0; o < dw; o++ {
				ws := ax.w[ax.off[o]:ax.off[o+1]]
				src := vacc4[int(ax.start[o])*2:]
				src = src[:len(ws)*2]
				var lo, hi uint64
				for i, w := range ws {
					lo += uint64(w) * src[i*2]
					hi += uint64(w) * src[i*2+1]
				}
				put(dst[o*4:o*4+4:o*4+4], lo, hi)
			}
		}
	}
	return 0
}

// addRow4 is addRow for four channels, two to a 64-bit word (R|G<<32,
// B|A<<32): a channel's sum stays below 2^28 (255 times weights of 2^10
// per axis), so the lanes never carry into each other, and each multiply
// weighs two channels.
func addRow4(acc []uint64, row []uint8, w uint32, first bool) {
	acc = acc[:len(row)/2]
	ww := uint64(w)
	for x := 0; x+4 <= len(row); x += 4 {
		p := row[x : x+4 : x+4]
		lo := ww * (uint64(p[0]) | uint64(p[1])<<32)
		hi := ww * (uint64(p[2]) | uint64(p[3])<<32)
		a := acc[x/2 : x/2+2 : x/2+2]
		if first {
			a[0], a[1] = lo, hi
		} else {
			a[0] += lo
			a[1] += hi
		}
	}
}

// addRow adds w times row to vacc, or sets vacc to it when first; a row of
// indices (see greyIndices) as grey and alpha.
func (r *rowReader) addRow(vacc []uint32, row []uint8, w uint32, first, indices bool) {
	if indices {
		var tbl [256][2]uint32 // past the palette: transparent black
		for i, c := range r.pal[:r.npal] {
			tbl[i] = [2]uint32{w * uint32(c[0]), w * uint32(c[3])}
		}
		acc := vacc[:len(row)*2]
		if first {
			clear(acc)
		}
		for x, i := range row {
			t, a := &tbl[i], acc[x*2:x*2+2:x*2+2]
			a[0] += t[0]
			a[1] += t[1]
		}
		return
	}
	acc := vacc[:len(row)]
	switch {
	case first:
		for k, v := range row {
			acc[k] = w * uint32(v)
		}
	case w == 0:
	default:
		for k, v := range row {
			acc[k] += w * uint32(v)
		}
	}
}

// expandGrey makes the opaque RGBA image of a grey plane.
func expandGrey(grey []uint8, w, h int) *image.RGBA {
	m := newScratchRGBA(w, h)
	pix := m.Pix[:len(grey)*4]
	for i, v := range grey {
		binary.LittleEndian.PutUint32(pix[i*4:], uint32(v)*0x010101|0xff000000)
	}
	return m
}

// overWhite is what flatten makes of a premultiplied grey pixel on white.
func overWhite(v, a uint8) uint8 {
	return uint8(min(int(v)+(255-int(a)), 255)) // (255-a)*255/255, rounded, is 255-a
}

// flattenGreyAlpha flattens a row of (grey, alpha) pairs onto white.
func flattenGreyAlpha(src, dst []uint8) {
	dst = dst[:len(src)/2]
	for i := range dst {
		dst[i] = overWhite(src[i*2], src[i*2+1])
	}
}

// expandGreyAlpha turns a row of (grey, alpha) pairs into RGBA.
func expandGreyAlpha(src, dst []uint8) {
	dst = dst[:len(src)*2]
	for i := 0; i < len(src)/2; i++ {
		v, a := uint32(src[i*2]), uint32(src[i*2+1])
		binary.LittleEndian.PutUint32(dst[i*4:], v*0x010101|a<<24)
	}
}

// scratch recycles the full-size RGBA buffers of resample, which are garbage
// once Prepare has snapped the image to a palette.
var scratch = sync.Pool{New: func() any { return []uint8(nil) }}

func newScratchRGBA(w, h int) *image.RGBA {
	buf := scratch.Get().([]uint8)
	n := w * h * 4
	if cap(buf) < n {
		buf = hugebuf.Bytes(n)
	}
	return &image.RGBA{Pix: buf[:n], Stride: w * 4, Rect: image.Rect(0, 0, w, h)}
}

// release returns m's pixels to the pool; m must not be used afterwards.
func release(m *image.RGBA) { scratch.Put(m.Pix[:0]) } //nolint:staticcheck // a slice header is fine here
