package preview

import (
	"bytes"
	"encoding/binary"
	"image"
)

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
	npal    int         // palette entries in pal
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
			r.npal = i + 1
			r.chans = max(r.chans, int(r.palNeed[i]))
		}
	case *image.Gray:
		r.chans = 1
	case *image.RGBA, *image.NRGBA:
		r.chans = r.sampledNeed()
	case *image.YCbCr:
		if flat128(s.Cb) && flat128(s.Cr) {
			r.chans = 1 // no chroma: the Y plane is the grey
		}
	}
	return r
}

// sampledNeed guesses how many channels an RGBA or NRGBA image needs from
// every 8th row (readN checks every row anyway): a guess of grey that a
// colour row far down disproves costs a restart of the whole pass, a
// quarter of the time of scaling a colour code whose top rows are white.
func (r *rowReader) sampledNeed() int {
	n, row := 1, make([]uint8, r.b.Dx()*4)
	for y := 0; y < r.b.Dy() && n < 4; y += 8 {
		n = max(n, r.needIn(y, row))
	}
	return n
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
func (r *rowReader) need(y int) int { return r.needIn(y, make([]uint8, r.b.Dx()*4)) }

// needIn is need reading the row into row (len width*4).
func (r *rowReader) needIn(y int, row []uint8) int {
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

// greyIndices reports whether rows of ch channels are read as the indices
// of a paletted image, every index of which is grey (two channels only:
// one needs a check that no index is past the palette).
func (r *rowReader) greyIndices(ch int) bool {
	_, ok := r.src.(*image.Paletted)
	return ok && ch == 2 && r.chans <= 2
}

// indexRow is row y of a paletted image, unconverted (see greyIndices).
func (r *rowReader) indexRow(y int) []uint8 {
	s := r.src.(*image.Paletted)
	i := s.PixOffset(r.b.Min.X, r.b.Min.Y+y)
	return s.Pix[i : i+r.b.Dx()]
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
	dst = dst[:w*4]
	if hs <= 1 && vs <= 1 && hs+vs > 0 {
		readYCbCrFancy(s, x0, y, hs, vs, yrow, dst)
		return
	}
	crow := (y>>vs - s.Rect.Min.Y>>vs) * s.CStride
	cx0 := s.Rect.Min.X >> hs
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
		putYCbCr(dst[i*4:i*4+4:i*4+4], yv, rc, gc, bc)
	}
}

// readYCbCrFancy is readYCbCr for 2× subsampled chroma (4:2:0, 4:2:2,
// 4:4:0) with libjpeg's "fancy" upsampling: each pixel's chroma is the
// triangle-weighted blend (3:1 per axis) of its nearest chroma samples, as
// libjpeg, ImageMagick and browsers show a JPEG. Nearest-sample chroma puts
// colour fringes a pixel off at every coloured edge (a logo, coloured lines):
// up to 6 dB against what those decoders show on the real codes.
func readYCbCrFancy(s *image.YCbCr, x0, y, hs, vs int, yrow, dst []uint8) {
	cxMin, cxMax := s.Rect.Min.X>>hs, (s.Rect.Max.X-1)>>hs
	cyMin, cyMax := s.Rect.Min.Y>>vs, (s.Rect.Max.Y-1)>>vs
	cy := y >> vs
	cyOther := cy
	if vs == 1 {
		// The chroma row on this pixel row's side of the sample centre.
		if y&1 == 0 {
			cyOther = max(cy-1, cyMin)
		} else {
			cyOther = min(cy+1, cyMax)
		}
	}
	near := (cy - cyMin) * s.CStride
	far := (cyOther - cyMin) * s.CStride
	// Vertical blend first (3 near : 1 far), then horizontal, in 1/16ths.
	chroma := func(plane []uint8, cx int) int32 {
		i := cx - cxMin
		return 3*int32(plane[near+i]) + int32(plane[far+i])
	}
	for i, yv := range yrow {
		x := x0 + i
		cx := x >> hs
		var cb, cr int32
		if hs == 1 {
			cxOther := min(cx+1, cxMax)
			if x&1 == 0 {
				cxOther = max(cx-1, cxMin)
			}
			cb = (3*chroma(s.Cb, cx) + chroma(s.Cb, cxOther) + 8) >> 4
			cr = (3*chroma(s.Cr, cx) + chroma(s.Cr, cxOther) + 8) >> 4
		} else {
			cb = (chroma(s.Cb, cx) + 2) >> 2
			cr = (chroma(s.Cr, cx) + 2) >> 2
		}
		cb -= 128
		cr -= 128
		putYCbCr(dst[i*4:i*4+4:i*4+4], yv, 91881*cr, -22554*cb-46802*cr, 116130*cb)
	}
}

// putYCbCr writes one opaque RGBA pixel from luma and the chroma terms of
// the JFIF conversion (color.YCbCrToRGB, in 16.16 fixed point).
func putYCbCr(d []uint8, yv uint8, rc, gc, bc int32) {
	yy := int32(yv) * 0x10101
	d[0] = clamp16(yy + rc)
	d[1] = clamp16(yy + gc)
	d[2] = clamp16(yy + bc)
	d[3] = 0xff
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
