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

func newAxis(sn, dn int) axis {
	a := axis{start: make([]int32, dn), off: make([]int32, dn+1)}
	r := float64(sn) / float64(dn)
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
	if sw == dw && sh == dh {
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
	ax, ay := newAxis(sw, dw), newAxis(sh, dh)
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
	vacc := make([]uint32, sw*ch)
	var x4 []int32
	var w4 [][4]uint32
	if ch <= 2 {
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
				if !conv.readN(y, next, ch) {
					stop.Store(true)
					return conv.need(y)
				}
				lastY = y
				if curW == 0 || !bytes.Equal(next, cur) {
					if curW != 0 {
						addRow(vacc, cur, curW, runs == 0)
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
		addRow(vacc, cur, curW, one)
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
			for o := 0; o < dw; o++ {
				ws := ax.w[ax.off[o]:ax.off[o+1]]
				src := vacc[int(ax.start[o])*4:]
				src = src[:len(ws)*4]
				var r, g, bl, al uint32
				for i, w := range ws {
					p := src[i*4 : i*4+4 : i*4+4]
					uw := uint32(w)
					r += uw * p[0]
					g += uw * p[1]
					bl += uw * p[2]
					al += uw * p[3]
				}
				d := dst[o*4 : o*4+4 : o*4+4]
				d[0] = uint8((r + round) >> (2 * weightBits))
				d[1] = uint8((g + round) >> (2 * weightBits))
				d[2] = uint8((bl + round) >> (2 * weightBits))
				d[3] = uint8((al + round) >> (2 * weightBits))
			}
		}
	}
	return 0
}

// addRow adds w times row to vacc, or sets vacc to it when first.
func addRow(vacc []uint32, row []uint8, w uint32, first bool) {
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
		buf = make([]uint8, n)
	}
	return &image.RGBA{Pix: buf[:n], Stride: w * 4, Rect: image.Rect(0, 0, w, h)}
}

// release returns m's pixels to the pool; m must not be used afterwards.
func release(m *image.RGBA) { scratch.Put(m.Pix[:0]) } //nolint:staticcheck // a slice header is fine here

// rowReader converts one source row to premultiplied 8-bit RGBA, with fast
// paths for the types the standard decoders return; readN also reads rows
// as grey (1 channel) or grey and alpha (2) when the image is grey.
type rowReader struct {
	src image.Image
	b   image.Rectangle
	pal [256][4]uint8
	// chans is the fewest channels the image may be read with: 1 or 2 are
	// a guess for RGBA and NRGBA (readN then checks every pixel), certain
	// for the other types.
	chans int
	// grey palette: value, alpha and the channels each index needs.
	palNeed [256]uint8
	pal2    [256]uint16 // grey | alpha<<8
}

func newRowReader(src image.Image) *rowReader {
	r := &rowReader{src: src, b: src.Bounds(), chans: 4}
	switch s := src.(type) {
	case *image.Paletted:
		for i := range r.palNeed {
			r.palNeed[i] = 2 // past the palette: transparent black
		}
		r.chans = 1
		for i, c := range s.Palette {
			if i >= 256 {
				break
			}
			cr, cg, cb, ca := c.RGBA()
			r.pal[i] = [4]uint8{uint8(cr >> 8), uint8(cg >> 8), uint8(cb >> 8), uint8(ca >> 8)}
			r.palNeed[i] = uint8(pixelNeed(r.pal[i]))
			r.pal2[i] = uint16(r.pal[i][0]) | uint16(r.pal[i][3])<<8
			r.chans = max(r.chans, int(r.palNeed[i]))
		}
	case *image.Gray, *image.RGBA, *image.NRGBA:
		r.chans = 1
	case *image.YCbCr:
		if flat128(s.Cb) && flat128(s.Cr) {
			r.chans = 1 // no chroma: the Y plane is the grey
		}
	}
	return r
}

// flat128 reports whether every byte of p is 128 (chroma of a grey JPEG).
func flat128(p []uint8) bool {
	const k = 0x8080808080808080
	i := 0
	for ; i+8 <= len(p); i += 8 {
		if binary.LittleEndian.Uint64(p[i:]) != k {
			return false
		}
	}
	for ; i < len(p); i++ {
		if p[i] != 128 {
			return false
		}
	}
	return true
}

// pixelNeed is how many channels a premultiplied pixel needs: 1 opaque grey,
// 2 grey, 4 colour.
func pixelNeed(p [4]uint8) int {
	switch {
	case p[0] != p[1] || p[1] != p[2]:
		return 4
	case p[3] != 0xff:
		return 2
	}
	return 1
}

// need is how many channels row y needs (see pixelNeed).
func (r *rowReader) need(y int) int {
	row := make([]uint8, r.b.Dx()*4)
	r.read(y, row)
	n := 1
	for x := 0; x < len(row); x += 4 {
		n = max(n, pixelNeed([4]uint8(row[x:x+4])))
	}
	return n
}

// readN reads row y with ch channels into dst (len width*ch): what read
// gives, as grey (ch 1) or grey and alpha (ch 2). false when a pixel does
// not fit in ch channels; dst is then garbage.
func (r *rowReader) readN(y int, dst []uint8, ch int) bool {
	if ch == 4 {
		r.read(y, dst)
		return true
	}
	b := r.b
	sy := b.Min.Y + y
	w := b.Dx()
	switch s := r.src.(type) {
	case *image.Gray:
		if ch != 1 {
			break
		}
		i := s.PixOffset(b.Min.X, sy)
		copy(dst, s.Pix[i:i+w])
		return true
	case *image.YCbCr:
		if ch != 1 || r.chans != 1 {
			break
		}
		i := s.YOffset(b.Min.X, sy)
		copy(dst, s.Y[i:i+w])
		return true
	case *image.Paletted:
		i := s.PixOffset(b.Min.X, sy)
		src := s.Pix[i : i+w]
		var bad uint8
		if ch == 1 {
			dst = dst[:len(src)]
			for x, idx := range src {
				dst[x] = r.pal[idx][0]
				bad |= r.palNeed[idx]
			}
			return bad == 1
		}
		if r.chans > 2 {
			break // a colour in the palette; need tells whether this row has it
		}
		// Every index (past the palette too) is grey: no check.
		dst = dst[:len(src)*2]
		for x, idx := range src {
			binary.LittleEndian.PutUint16(dst[x*2:], r.pal2[idx])
		}
		return true
	case *image.RGBA:
		i := s.PixOffset(b.Min.X, sy)
		return greyRow(s.Pix[i:i+w*4], dst, ch, false)
	case *image.NRGBA:
		i := s.PixOffset(b.Min.X, sy)
		return greyRow(s.Pix[i:i+w*4], dst, ch, true)
	}
	return false
}

// repeats reports whether source row y (y > 0) has the same pixel data as
// row y-1, compared before any conversion (false when unknown).
func (r *rowReader) repeats(y int) bool {
	b := r.b
	sy := b.Min.Y + y
	switch s := r.src.(type) {
	case *image.RGBA:
		i := s.PixOffset(b.Min.X, sy)
		return bytes.Equal(s.Pix[i:i+b.Dx()*4], s.Pix[i-s.Stride:i-s.Stride+b.Dx()*4])
	case *image.NRGBA:
		i := s.PixOffset(b.Min.X, sy)
		return bytes.Equal(s.Pix[i:i+b.Dx()*4], s.Pix[i-s.Stride:i-s.Stride+b.Dx()*4])
	case *image.Paletted:
		i := s.PixOffset(b.Min.X, sy)
		return bytes.Equal(s.Pix[i:i+b.Dx()], s.Pix[i-s.Stride:i-s.Stride+b.Dx()])
	case *image.Gray:
		i := s.PixOffset(b.Min.X, sy)
		return bytes.Equal(s.Pix[i:i+b.Dx()], s.Pix[i-s.Stride:i-s.Stride+b.Dx()])
	case *image.YCbCr:
		if r.chans == 1 { // no chroma: Y is all
			i := s.YOffset(b.Min.X, sy)
			return bytes.Equal(s.Y[i:i+b.Dx()], s.Y[i-s.YStride:i-s.YStride+b.Dx()])
		}
	}
	return false
}

// greyRow reads RGBA (premultiplied, or not when straight) pixels as grey
// (ch 1: opaque) or grey and alpha (ch 2), checking that they are.
func greyRow(src, dst []uint8, ch int, straight bool) bool {
	n := len(src) / 4
	var bad uint32
	if ch == 1 {
		// Opaque: straight and premultiplied are the same. Two pixels a step.
		const lo, op = 0x000000ff000000ff, 0xff000000ff000000
		var bad2 uint64
		dst = dst[:n]
		x := 0
		for ; x+2 <= n; x += 2 {
			u := binary.LittleEndian.Uint64(src[x*4:])
			v := u & lo
			bad2 |= u ^ (v*0x010101 | op)
			dst[x], dst[x+1] = uint8(v), uint8(v>>32)
		}
		for ; x < n; x++ {
			u := binary.LittleEndian.Uint32(src[x*4:])
			v := u & 0xff
			bad |= u ^ (v*0x010101 | 0xff000000)
			dst[x] = uint8(v)
		}
		return bad == 0 && bad2 == 0
	}
	dst = dst[:n*2]
	for x := 0; x < n; x++ {
		u := binary.LittleEndian.Uint32(src[x*4:])
		v, a := u&0xff, u>>24
		switch {
		case a == 0 && straight:
			v = 0 // what read gives for a transparent straight pixel
		case a == 0xff || !straight:
			bad |= (u ^ v*0x010101) & 0xffffff
		default:
			bad |= (u ^ v*0x010101) & 0xffffff
			v = uint32(mul255(uint8(v), a))
		}
		dst[x*2], dst[x*2+1] = uint8(v), uint8(a)
	}
	return bad == 0
}

// read fills dst (len = width*4) with row y (0-based within the bounds).
func (r *rowReader) read(y int, dst []uint8) {
	b := r.b
	sy := b.Min.Y + y
	w := b.Dx()
	switch s := r.src.(type) {
	case *image.RGBA:
		i := s.PixOffset(b.Min.X, sy)
		copy(dst, s.Pix[i:i+w*4])
	case *image.NRGBA:
		i := s.PixOffset(b.Min.X, sy)
		src := s.Pix[i : i+w*4]
		dst = dst[:len(src)]
		for x := 0; x < len(src); x += 4 {
			p := src[x : x+4 : x+4]
			d := dst[x : x+4 : x+4]
			switch a := uint32(p[3]); a {
			case 0xff:
				d[0], d[1], d[2], d[3] = p[0], p[1], p[2], 0xff
			case 0:
				d[0], d[1], d[2], d[3] = 0, 0, 0, 0
			default:
				d[0], d[1], d[2], d[3] = mul255(p[0], a), mul255(p[1], a), mul255(p[2], a), uint8(a)
			}
		}
	case *image.Paletted:
		i := s.PixOffset(b.Min.X, sy)
		for x, idx := range s.Pix[i : i+w] {
			c := &r.pal[idx]
			dst[x*4], dst[x*4+1], dst[x*4+2], dst[x*4+3] = c[0], c[1], c[2], c[3]
		}
	case *image.Gray:
		i := s.PixOffset(b.Min.X, sy)
		for x, g := range s.Pix[i : i+w] {
			dst[x*4], dst[x*4+1], dst[x*4+2], dst[x*4+3] = g, g, g, 0xff
		}
	case *image.YCbCr:
		readYCbCr(s, b.Min.X, sy, w, dst)
	default:
		for x := 0; x < w; x++ {
			cr, cg, cb, ca := r.src.At(b.Min.X+x, sy).RGBA()
			dst[x*4], dst[x*4+1], dst[x*4+2], dst[x*4+3] = uint8(cr>>8), uint8(cg>>8), uint8(cb>>8), uint8(ca>>8)
		}
	}
}

// readYCbCr converts one row of a JPEG's YCbCr image, with the chroma
// subsampling worked out once per row instead of per pixel.
func readYCbCr(s *image.YCbCr, x0, y, w int, dst []uint8) {
	var hs, vs int // log2 of the chroma subsampling
	switch s.SubsampleRatio {
	case image.YCbCrSubsampleRatio422:
		hs = 1
	case image.YCbCrSubsampleRatio420:
		hs, vs = 1, 1
	case image.YCbCrSubsampleRatio440:
		vs = 1
	case image.YCbCrSubsampleRatio411:
		hs = 2
	case image.YCbCrSubsampleRatio410:
		hs, vs = 2, 1
	}
	yrow := s.Y[(y-s.Rect.Min.Y)*s.YStride+x0-s.Rect.Min.X:][:w]
	crow := (y>>vs - s.Rect.Min.Y>>vs) * s.CStride
	cx0 := s.Rect.Min.X >> hs
	dst = dst[:w*4]
	// The JFIF conversion of color.YCbCrToRGB, inlined, with the chroma
	// terms computed once per chroma sample: the hot loop for JPEG codes.
	lastCi := -1
	var rc, gc, bc int32
	for i, yv := range yrow {
		ci := crow + ((x0 + i) >> hs) - cx0
		if ci != lastCi {
			lastCi = ci
			cb := int32(s.Cb[ci]) - 128
			cr := int32(s.Cr[ci]) - 128
			rc, gc, bc = 91881*cr, -22554*cb-46802*cr, 116130*cb
		}
		yy := int32(yv) * 0x10101
		d := dst[i*4 : i*4+4 : i*4+4]
		d[0] = clamp16(yy + rc)
		d[1] = clamp16(yy + gc)
		d[2] = clamp16(yy + bc)
		d[3] = 0xff
	}
}

// clamp16 takes the top byte of a 16.16 fixed-point value clamped to 0–255.
func clamp16(v int32) uint8 {
	if uint32(v)&0xff000000 == 0 {
		return uint8(v >> 16)
	}
	return uint8(^(v >> 31))
}

// mul255 is round(v*a/255) without a division.
func mul255(v uint8, a uint32) uint8 {
	t := uint32(v)*a + 128
	return uint8((t + t>>8) >> 8)
}
