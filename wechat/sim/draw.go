package sim

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"strings"
	"sync"

	qrcode "github.com/skip2/go-qrcode"

	"wxacode/wechat"
)

// codeSpec is one image to draw.
type codeSpec struct {
	content string // what a QR reader decodes
	width   int    // pixels, already clamped
	color   wechat.Color
	hyaline bool // transparent background, PNG bytes
	square  bool // createwxaqrcode: plain square QR, black on white
}

const (
	quietModules = 4 // the QR standard's quiet zone
	jpegQuality  = 90
	// MinContrast is the WCAG contrast ratio of line colour to background
	// below which the simulator warns that a code may not scan.
	MinContrast = 3.0
)

var white = rgb{255, 255, 255}

type rgb struct{ r, g, b uint8 }

func rgbOf(c wechat.Color) rgb { return rgb{uint8(c.R), uint8(c.G), uint8(c.B)} }

// mix is a*(1-t) + b*t.
func mix(a, b rgb, t float64) rgb {
	f := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*(1-t) + float64(y)*t)) }
	return rgb{f(a.r, b.r), f(a.g, b.g), f(a.b, b.b)}
}

// contrast is the WCAG contrast ratio, 1 (none) to 21 (black on white).
func contrast(a, b rgb) float64 {
	return wechat.ContrastRatio(wechat.Color{R: int(a.r), G: int(a.g), B: int(a.b)}, wechat.Color{R: int(b.r), G: int(b.g), B: int(b.b)})
}

// darkenForContrast darkens c until it reaches ratio against white, keeping its hue.
func darkenForContrast(c wechat.Color, ratio float64) wechat.Color {
	for i := 0; i < 64 && contrast(rgbOf(c), white) < ratio; i++ {
		c = wechat.Color{R: c.R * 9 / 10, G: c.G * 9 / 10, B: c.B * 9 / 10}
	}
	return c
}

// canvas holds one palette index per pixel: drawing is byte fills, and the
// encoders get a paletted PNG or a YCbCr JPEG without per-pixel colour maths.
type canvas struct {
	w   int
	pix []uint8
}

// Palette indices.
const (
	ixBackground = iota // white, or transparent white when hyaline
	ixBadge             // the light disc
	ixRing              // the badge's rim
	ixLine              // modules and the SIM mark
)

func (cv *canvas) span(y, x0, x1 int, ix uint8) {
	x0, x1 = max(x0, 0), min(x1, cv.w)
	if y < 0 || y >= cv.w || x0 >= x1 {
		return
	}
	row := cv.pix[y*cv.w+x0 : y*cv.w+x1]
	for i := range row {
		row[i] = ix
	}
}

// disc fills the circle of radius r around (cx, cy).
func (cv *canvas) disc(cx, cy, r float64, ix uint8) {
	for y := int(cy - r); y <= int(cy+r)+1; y++ {
		dy := float64(y) + 0.5 - cy
		if d := r*r - dy*dy; d >= 0 {
			dx := math.Sqrt(d)
			cv.span(y, int(math.Round(cx-dx)), int(math.Round(cx+dx)), ix)
		}
	}
}

// modules draws the dark modules of bm with the top-left at (x0, y0), each
// module m pixels (fractional m spreads the rounding evenly).
func (cv *canvas) modules(bm [][]bool, x0, y0, m float64, ix uint8) {
	n := len(bm)
	edge := make([]int, n+1)
	for i := range edge {
		edge[i] = int(math.Round(float64(i) * m))
	}
	for r, row := range bm {
		for y := int(y0) + edge[r]; y < int(y0)+edge[r+1]; y++ {
			for col := 0; col < n; {
				if !row[col] {
					col++
					continue
				}
				end := col
				for end < n && row[end] {
					end++
				}
				cv.span(y, int(x0)+edge[col], int(x0)+edge[end], ix)
				col = end
			}
		}
	}
}

// glyphs are 5×7 pixel letters for the SIM mark.
var glyphs = map[rune][7]string{
	'S': {".####", "#....", "#....", ".###.", "....#", "....#", "####."},
	'I': {"#####", "..#..", "..#..", "..#..", "..#..", "..#..", "#####"},
	'M': {"#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#"},
}

// text draws s with its top centre at (cx, top), each glyph pixel sc×sc.
func (cv *canvas) text(s string, cx, top, sc int, ix uint8) {
	cols := 6*len(s) - 1
	left := cx - cols*sc/2
	for i, ch := range s {
		g := glyphs[ch]
		for gy, line := range g {
			for gx := 0; gx < 5; gx++ {
				if line[gx] != '#' {
					continue
				}
				x := left + (i*6+gx)*sc
				for dy := 0; dy < sc; dy++ {
					cv.span(top+gy*sc+dy, x, x+sc, ix)
				}
			}
		}
	}
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render draws a simulated code and encodes it: JPEG, or PNG when hyaline.
// warn explains why the code may not scan (low contrast, tiny modules).
func render(sp codeSpec) (img []byte, warn string, err error) {
	q, err := qrcode.New(sp.content, qrcode.Medium)
	if err != nil {
		return nil, "", fmt.Errorf("simulator: cannot encode %d bytes as a QR code: %w", len(sp.content), err)
	}
	q.DisableBorder = true
	bm := q.Bitmap()
	n := len(bm)
	W := sp.width
	cv := &canvas{w: W, pix: make([]uint8, W*W)} // all ixBackground
	pal := [4]color.NRGBA{ixBackground: {255, 255, 255, 255}}
	var warns []string

	var m float64
	if sp.square {
		m = float64(W) / float64(n+2*quietModules)
		if f := math.Floor(m); f >= 2 {
			m = f
		}
		off := (float64(W) - m*float64(n)) / 2
		cv.modules(bm, math.Round(off), math.Round(off), m, ixLine)
		pal[ixLine] = color.NRGBA{0, 0, 0, 255}
	} else {
		line := rgbOf(sp.color)
		bg := white
		nrgba := func(c rgb, a uint8) color.NRGBA { return color.NRGBA{c.r, c.g, c.b, a} }
		pal[ixLine] = nrgba(line, 255)
		pal[ixRing] = nrgba(mix(white, line, 0.35), 255)
		if sp.hyaline {
			// Transparent white: readers that ignore alpha still see a light background.
			pal[ixBackground] = nrgba(white, 0)
			pal[ixBadge] = pal[ixBackground]
		} else {
			bg = mix(white, line, 0.04)
			pal[ixBadge] = nrgba(bg, 255)
		}
		c := float64(W) / 2
		r := c - 0.5
		ring := math.Max(2, float64(W)/90)
		inner := r - ring
		cv.disc(c, c, r, ixRing)
		cv.disc(c, c, inner, ixBadge)
		// The QR and its quiet zone fit in the square inscribed in the badge,
		// so the ring and the label never touch the quiet zone.
		half := (inner - float64(W)*0.01) / math.Sqrt2
		m = 2 * half / float64(n+2*quietModules)
		if f := math.Floor(m); f >= 2 {
			m = f
		}
		off := c - m*float64(n)/2
		cv.modules(bm, math.Round(off), math.Round(off), m, ixLine)
		sc := max(2, W/120)
		top := int(c+half) + int(math.Max(1, (inner-half-7*float64(sc))/2-float64(W)*0.02))
		cv.text("SIM", int(c), top, sc, ixLine)
		if k := contrast(line, bg); k < MinContrast {
			warns = append(warns, fmt.Sprintf("low contrast %.2f:1 between line colour %s and the background; this code may not scan (use at least %.1f:1)",
				k, sp.color.Hex(), MinContrast))
		}
	}
	if m < 2 {
		warns = append(warns, fmt.Sprintf("modules are %.1f px at width %d: too small to scan reliably; shorten the content or widen the code", m, W))
	}

	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	rect := image.Rect(0, 0, W, W)
	if sp.hyaline {
		p := make(color.Palette, len(pal))
		for i, c := range pal {
			p[i] = c
		}
		// A paletted PNG: small, and encoded without per-row filter trials.
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(buf, &image.Paletted{Pix: cv.pix, Stride: W, Rect: rect, Palette: p})
	} else {
		err = jpeg.Encode(buf, cv.ycbcr(pal), &jpeg.Options{Quality: jpegQuality})
	}
	if err != nil {
		return nil, "", err
	}
	return bytes.Clone(buf.Bytes()), strings.Join(warns, "; "), nil
}

// ycbcr converts the canvas to 4:2:0 YCbCr, which image/jpeg encodes
// directly; chroma is averaged over each 2×2 block.
func (cv *canvas) ycbcr(pal [4]color.NRGBA) *image.YCbCr {
	W := cv.w
	img := image.NewYCbCr(image.Rect(0, 0, W, W), image.YCbCrSubsampleRatio420)
	var ly, lcb, lcr [4]int
	for i, c := range pal {
		y, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
		ly[i], lcb[i], lcr[i] = int(y), int(cb), int(cr)
	}
	for y := 0; y < W; y++ {
		row := cv.pix[y*W : y*W+W]
		out := img.Y[y*img.YStride : y*img.YStride+W]
		for x, ix := range row {
			out[x] = uint8(ly[ix&3])
		}
	}
	for cy := 0; cy < (W+1)/2; cy++ {
		y0, y1 := 2*cy, min(2*cy+1, W-1)
		for cx := 0; cx < (W+1)/2; cx++ {
			x0, x1 := 2*cx, min(2*cx+1, W-1)
			a, b, c, d := cv.pix[y0*W+x0]&3, cv.pix[y0*W+x1]&3, cv.pix[y1*W+x0]&3, cv.pix[y1*W+x1]&3
			o := cy*img.CStride + cx
			img.Cb[o] = uint8((lcb[a] + lcb[b] + lcb[c] + lcb[d] + 2) / 4)
			img.Cr[o] = uint8((lcr[a] + lcr[b] + lcr[c] + lcr[d] + 2) / 4)
		}
	}
	return img
}
