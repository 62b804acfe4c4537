package sim

import (
	"bytes"
	"fmt"
	"image"
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

// luminance is WCAG relative luminance.
func luminance(c rgb) float64 {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.r) + 0.7152*lin(c.g) + 0.0722*lin(c.b)
}

// contrast is the WCAG contrast ratio, 1 (none) to 21 (black on white).
func contrast(a, b rgb) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// darkenForContrast darkens c until it reaches ratio against white, keeping its hue.
func darkenForContrast(c wechat.Color, ratio float64) wechat.Color {
	for i := 0; i < 64 && contrast(rgbOf(c), white) < ratio; i++ {
		c = wechat.Color{R: c.R * 9 / 10, G: c.G * 9 / 10, B: c.B * 9 / 10}
	}
	return c
}

// canvas is an NRGBA pixel buffer with span fills.
type canvas struct {
	w   int
	pix []byte
}

func (cv *canvas) span(y, x0, x1 int, c rgb, a uint8) {
	x0, x1 = max(x0, 0), min(x1, cv.w)
	if y < 0 || y >= cv.w || x0 >= x1 {
		return
	}
	row := cv.pix[y*cv.w*4:]
	for x := x0; x < x1; x++ {
		p := row[x*4 : x*4+4 : x*4+4]
		p[0], p[1], p[2], p[3] = c.r, c.g, c.b, a
	}
}

func (cv *canvas) fill(c rgb, a uint8) {
	p := cv.pix
	for i := 0; i < len(p); i += 4 {
		p[i], p[i+1], p[i+2], p[i+3] = c.r, c.g, c.b, a
	}
}

// disc fills the circle of radius r around (cx, cy).
func (cv *canvas) disc(cx, cy, r float64, c rgb, a uint8) {
	for y := int(cy - r); y <= int(cy+r)+1; y++ {
		dy := float64(y) + 0.5 - cy
		if d := r*r - dy*dy; d >= 0 {
			dx := math.Sqrt(d)
			cv.span(y, int(math.Round(cx-dx)), int(math.Round(cx+dx)), c, a)
		}
	}
}

// modules draws the dark modules of bm with the top-left at (x0, y0), each
// module m pixels (fractional m spreads the rounding evenly).
func (cv *canvas) modules(bm [][]bool, x0, y0, m float64, c rgb) {
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
				cv.span(y, int(x0)+edge[col], int(x0)+edge[end], c, 255)
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
func (cv *canvas) text(s string, cx, top, sc int, c rgb) {
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
					cv.span(top+gy*sc+dy, x, x+sc, c, 255)
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
	cv := &canvas{w: W, pix: make([]byte, W*W*4)}
	var warns []string

	var m float64
	if sp.square {
		cv.fill(white, 255)
		m = float64(W) / float64(n+2*quietModules)
		if f := math.Floor(m); f >= 2 {
			m = f
		}
		off := (float64(W) - m*float64(n)) / 2
		cv.modules(bm, math.Round(off), math.Round(off), m, rgb{})
	} else {
		line := rgbOf(sp.color)
		bg := white
		if sp.hyaline {
			// Transparent white: readers that ignore alpha still see a light background.
			cv.fill(white, 0)
		} else {
			cv.fill(white, 255)
		}
		c := float64(W) / 2
		r := c - 0.5
		ring := math.Max(2, float64(W)/90)
		inner := r - ring
		cv.disc(c, c, r, mix(white, line, 0.35), 255)
		if sp.hyaline {
			cv.disc(c, c, inner, white, 0)
		} else {
			bg = mix(white, line, 0.04)
			cv.disc(c, c, inner, bg, 255)
		}
		// The QR and its quiet zone fit in the square inscribed in the badge,
		// so the ring and the label never touch the quiet zone.
		half := (inner - float64(W)*0.01) / math.Sqrt2
		m = 2 * half / float64(n+2*quietModules)
		if f := math.Floor(m); f >= 2 {
			m = f
		}
		off := c - m*float64(n)/2
		cv.modules(bm, math.Round(off), math.Round(off), m, line)
		sc := max(2, W/120)
		top := int(c+half) + int(math.Max(1, (inner-half-7*float64(sc))/2-float64(W)*0.02))
		cv.text("SIM", int(c), top, sc, line)
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
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(buf, &image.NRGBA{Pix: cv.pix, Stride: W * 4, Rect: rect})
	} else {
		// Every pixel is opaque, so the NRGBA bytes are valid premultiplied RGBA,
		// which image/jpeg converts on its fast path.
		err = jpeg.Encode(buf, &image.RGBA{Pix: cv.pix, Stride: W * 4, Rect: rect}, &jpeg.Options{Quality: jpegQuality})
	}
	if err != nil {
		return nil, "", err
	}
	return bytes.Clone(buf.Bytes()), strings.Join(warns, "; "), nil
}
