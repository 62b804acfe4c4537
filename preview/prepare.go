package preview

import (
	"image"
	"image/color"
	"sync"

	"wxacode/hugebuf"
)

// Checkerboard colours and square size (in output pixels) for BackgroundChecker.
var (
	checkerLight = [3]uint8{0xff, 0xff, 0xff}
	checkerDark  = [3]uint8{0xcc, 0xcc, 0xcc}
)

const checkerSize = 8

// Prepare scales img to w×h pixels and makes it ready to encode as sixel:
// transparency flattened onto bg (kept when bg is BackgroundNone), an image
// that is two-tone (a code, JPEG noise included) snapped to its two exact
// colours, and any other reduced to at most 255 colour registers. The result
// is a 2-colour *image.Paletted (index 0 the dark colour, 1 the light one)
// for two-tone images, a *image.Paletted with the exact colours when there
// are at most 255 or with median-cut colours when there are more, or an
// *image.NRGBA when alpha is kept.
func Prepare(img image.Image, w, h int, bg Background) image.Image {
	return prepare(img, w, h, bg, forSixel)
}

// PrepareLossless is Prepare for formats that carry the image itself (the
// PNG of kitty and iTerm2): scaled and flattened the same way, never reduced
// in colour. The result is a *image.Paletted only when the image has at most
// 255 colours (a small PNG that loses nothing), else an opaque *image.RGBA,
// or an *image.NRGBA when alpha is kept. The checkerboard is drawn as
// Prepare draws it.
func PrepareLossless(img image.Image, w, h int, bg Background) image.Image {
	return prepare(img, w, h, bg, forPNG)
}

// target is what an image is prepared for.
type target int

const (
	forSixel  target = iota // two-tone snapped, else at most 255 colours
	forPNG                  // every colour kept
	forBlocks               // two-tone snapped (dark-on-light glyphs), else every colour: 24-bit a half cell
)

// prepare is Prepare, PrepareLossless, or the half blocks' preparation.
func prepare(img image.Image, w, h int, bg Background, to target) image.Image {
	rgba, grey := resampleGrey(img, w, h, bg == BackgroundWhite)
	if grey != nil {
		// Opaque and grey (most codes): straight from the grey plane,
		// which is its own luma.
		var p image.Image
		if to == forPNG {
			p = exactGrey(grey, w, h)
		} else {
			p = prepareGrey(grey, w, h, to)
		}
		putBytes(grey)
		return p
	}
	transparent := !opaque(rgba)
	if bg == BackgroundNone && transparent {
		n := unpremultiply(rgba)
		release(rgba)
		return n
	}
	if bg == BackgroundChecker && transparent {
		return checkered(rgba)
	}
	if transparent {
		flatten(rgba, bg) // a no-op on opaque pixels
	}
	if to == forPNG {
		return exactOpaque(rgba)
	}
	return prepareOpaque(rgba, to)
}

// exactGrey is an opaque grey plane as its exact greys (a palette when
// there are at most 255 of them), for PrepareLossless.
func exactGrey(grey []uint8, w, h int) image.Image {
	out := newPaletted(image.Rect(0, 0, w, h), nil)
	if hist := histogram(grey); exactPaletteGrey(grey, &hist, out, 255) {
		return out
	}
	return expandGrey(grey, w, h)
}

// exactOpaque is an opaque rgba, which it takes over, as its exact colours
// (a palette when there are at most 255 of them), for PrepareLossless.
func exactOpaque(rgba *image.RGBA) image.Image {
	if out := newPaletted(rgba.Rect, nil); exactPalette(rgba.Pix, out, 255) {
		release(rgba)
		return out
	}
	return rgba
}

// prepareGrey is Prepare (or the half blocks' preparation) for an opaque
// grey plane, which is its own luma: the same steps as prepareOpaque, on one
// byte per pixel.
func prepareGrey(grey []uint8, w, h int, to target) image.Image {
	out := newPaletted(image.Rect(0, 0, w, h), nil) // each step writes all of it
	hist := histogram(grey)
	if snapLum(nil, grey, &hist, out, false) ||
		exactPaletteGrey(grey, &hist, out, 255) {
		return out
	}
	if to == forBlocks {
		return expandGrey(grey, w, h)
	}
	return prepareOpaque(expandGrey(grey, w, h), to) // all 256 levels: median cut, as for colour
}

// prepareOpaque is Prepare (or the half blocks' preparation) for an opaque
// rgba, which it takes over.
func prepareOpaque(rgba *image.RGBA, to target) image.Image {
	// A two-tone code (JPEG noise and blends included) is snapped to its
	// two colours; otherwise up to 255 exact colours are kept as they are,
	// and more go to median cut for sixel. Snapping a JPEG's colours to a
	// few flat peaks (what this did before) drew real codes' logos in the
	// wrong colours: 21 to 29 dB against img2sixel's 30 on the real codes.
	out := newPaletted(rgba.Rect, nil) // each step writes all of it
	if snapRGBA(rgba, out, false) ||
		exactPalette(rgba.Pix, out, 255) {
		release(rgba)
		return out
	}
	if to == forBlocks {
		return rgba // 24-bit colour a half cell: nothing to reduce
	}
	medianCut(rgba.Pix, out, 255)
	release(rgba)
	return out
}

// checkered snaps a transparent two-tone code like Prepare does over white,
// then shows the checkerboard where the light side was mostly transparent.
// Images that are not two-tone are flattened over the checkerboard as they are.
func checkered(rgba *image.RGBA) image.Image {
	alpha := make([]uint8, len(rgba.Pix)/4)
	for i := range alpha {
		alpha[i] = rgba.Pix[i*4+3]
	}
	white := image.NewRGBA(rgba.Rect)
	copy(white.Pix, rgba.Pix)
	flatten(white, BackgroundWhite)
	p, ok := twoTone(white)
	if !ok {
		flatten(rgba, BackgroundChecker)
		if p := newPaletted(rgba.Rect, nil); exactPalette(rgba.Pix, p, 255) {
			release(rgba)
			return p
		}
		return rgba
	}
	release(rgba)
	p.Palette = append(p.Palette, color.RGBA{checkerLight[0], checkerLight[1], checkerLight[2], 0xff},
		color.RGBA{checkerDark[0], checkerDark[1], checkerDark[2], 0xff})
	w := p.Rect.Dx()
	for j, a := range alpha {
		if p.Pix[j] == 1 && a < 0x80 {
			x, y := j%w, j/w
			p.Pix[j] = 2 + uint8((x/checkerSize+y/checkerSize)%2)
		}
	}
	return p
}

func opaque(m *image.RGBA) bool {
	for i := 3; i < len(m.Pix); i += 4 {
		if m.Pix[i] != 0xff {
			return false
		}
	}
	return true
}

func unpremultiply(m *image.RGBA) *image.NRGBA {
	out := image.NewNRGBA(m.Rect)
	for i := 0; i < len(m.Pix); i += 4 {
		a := m.Pix[i+3]
		switch a {
		case 0:
		case 0xff:
			copy(out.Pix[i:i+4], m.Pix[i:i+4])
		default:
			for c := 0; c < 3; c++ {
				v := (uint32(m.Pix[i+c])*255 + uint32(a)/2) / uint32(a)
				out.Pix[i+c] = uint8(min(v, 255))
			}
			out.Pix[i+3] = a
		}
	}
	return out
}

// flatten composites premultiplied m over the background in place.
func flatten(m *image.RGBA, bg Background) {
	w := m.Rect.Dx()
	for y := 0; y < m.Rect.Dy(); y++ {
		row := m.Pix[y*m.Stride : y*m.Stride+w*4]
		for x := 0; x < w; x++ {
			p := row[x*4 : x*4+4 : x*4+4]
			a := p[3]
			if a == 0xff {
				continue
			}
			b := checkerLight
			if bg == BackgroundChecker && (x/checkerSize+y/checkerSize)%2 == 1 {
				b = checkerDark
			}
			k := uint32(255 - a)
			for c := 0; c < 3; c++ {
				p[c] = uint8(min(uint32(p[c])+(k*uint32(b[c])+127)/255, 255))
			}
			p[3] = 0xff
		}
	}
}

func luma(r, g, b uint8) int { return (77*int(r) + 150*int(g) + 29*int(b)) >> 8 }

// Scratch for the per-pixel passes, recycled: the garbage collector otherwise
// runs on every render, preempting the hot loops.
var byteBufs sync.Pool

func getBytes(n int) []uint8 {
	if b, ok := byteBufs.Get().(*[]uint8); ok && cap(*b) >= n {
		return (*b)[:n]
	}
	return hugebuf.Bytes(n)
}

func putBytes(b []uint8) { byteBufs.Put(&b) }

// newPaletted is image.NewPaletted with its pixels from hugebuf: a
// preview's largest buffers are the ones that cost page faults.
func newPaletted(r image.Rectangle, p color.Palette) *image.Paletted {
	return &image.Paletted{Pix: hugebuf.Bytes(r.Dx() * r.Dy()), Stride: r.Dx(), Rect: r, Palette: p}
}
