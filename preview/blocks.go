package preview

import (
	"image"
	"image/color"
	"strconv"
	"strings"
)

// EncodeBlocks draws a prepared image with half blocks, two pixels per cell
// stacked vertically, one line per cell row joined by "\n". A two-colour image
// (a code) uses ▀ ▄ █ and space inside one forced dark-on-light SGR per line, so
// it stays dark on light, hence scannable, on any theme; other images use ▀
// with 24-bit colours per cell. An odd last pixel row is padded with the light
// colour. Every line ends with a reset.
func EncodeBlocks(img image.Image) string {
	if p, ok := img.(*image.Paletted); ok && len(p.Palette) == 2 {
		return blocks2(p)
	}
	return blocksColour(img)
}

func blocks2(p *image.Paletted) string {
	dark := uint8(0)
	c0, c1 := rgb(p.Palette[0]), rgb(p.Palette[1])
	if luma(c0[0], c0[1], c0[2]) > luma(c1[0], c1[1], c1[2]) {
		dark = 1
		c0, c1 = c1, c0
	}
	w, h := p.Rect.Dx(), p.Rect.Dy()
	sgr := "\x1b[38;2;" + triple(c0) + ";48;2;" + triple(c1) + "m"
	var b strings.Builder
	b.Grow((h + 1) / 2 * (len(sgr) + w*3 + 6))
	for y := 0; y < h; y += 2 {
		if y > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(sgr)
		top := p.Pix[p.PixOffset(p.Rect.Min.X, p.Rect.Min.Y+y):][:w]
		var bot []uint8
		if y+1 < h {
			bot = p.Pix[p.PixOffset(p.Rect.Min.X, p.Rect.Min.Y+y+1):][:w]
		}
		for x := 0; x < w; x++ {
			t := top[x] == dark
			d := bot != nil && bot[x] == dark
			switch {
			case t && d:
				b.WriteString("█")
			case t:
				b.WriteString("▀")
			case d:
				b.WriteString("▄")
			default:
				b.WriteByte(' ')
			}
		}
		b.WriteString("\x1b[0m")
	}
	return b.String()
}

func blocksColour(img image.Image) string {
	r := img.Bounds()
	var b strings.Builder
	for y := r.Min.Y; y < r.Max.Y; y += 2 {
		if y > r.Min.Y {
			b.WriteByte('\n')
		}
		var last [2][3]uint8
		first := true
		for x := r.Min.X; x < r.Max.X; x++ {
			top := rgbOver(img.At(x, y))
			bot := [3]uint8{0xff, 0xff, 0xff}
			if y+1 < r.Max.Y {
				bot = rgbOver(img.At(x, y+1))
			}
			if first || top != last[0] || bot != last[1] {
				b.WriteString("\x1b[38;2;" + triple(top) + ";48;2;" + triple(bot) + "m")
				last, first = [2][3]uint8{top, bot}, false
			}
			b.WriteString("▀")
		}
		b.WriteString("\x1b[0m")
	}
	return b.String()
}

func rgb(c color.Color) [3]uint8 {
	r, g, b, _ := c.RGBA()
	return [3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)}
}

// rgbOver is the colour over white (text cells cannot be transparent).
func rgbOver(c color.Color) [3]uint8 {
	r, g, b, a := c.RGBA()
	k := 0xffff - a
	return [3]uint8{uint8((r + k) >> 8), uint8((g + k) >> 8), uint8((b + k) >> 8)}
}

func triple(c [3]uint8) string {
	return strconv.Itoa(int(c[0])) + ";" + strconv.Itoa(int(c[1])) + ";" + strconv.Itoa(int(c[2]))
}
