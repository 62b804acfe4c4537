package ui

// ADAPTER (temporary): package preview (Caps, FromEnv, reply folding, Render
// → Output{Mode, Cols, Rows, Text, Raw}) has not landed on main yet. This
// stand-in has the same shape but only draws half blocks; swap renderImage
// and the caps helpers for preview's when it lands.

import (
	"fmt"
	"image"
	"image/color"
	"strings"
)

// gfxCaps is what the terminal can show, folded from the environment and replies.
type gfxCaps struct {
	Sixel, Kitty bool
	CellW, CellH int
	InTmux       bool
}

func capsFromEnv(getenv func(string) string) gfxCaps {
	c := gfxCaps{CellW: 10, CellH: 20}
	if getenv == nil {
		return c
	}
	c.InTmux = getenv("TMUX") != ""
	c.Kitty = getenv("KITTY_WINDOW_ID") != ""
	return c
}

func (c gfxCaps) withDA1(attrs []int) gfxCaps {
	for _, a := range attrs {
		if a == 4 {
			c.Sixel = true
		}
	}
	return c
}

func (c gfxCaps) withCellSize(w, h int) gfxCaps {
	if w > 0 && h > 0 {
		c.CellW, c.CellH = w, h
	}
	return c
}

// gfxOutput is a rendered preview: Text goes in View, Raw out of band.
type gfxOutput struct {
	Mode       string
	Cols, Rows int
	Text, Raw  string
}

// renderImage fits img into cols×rows cells. checker draws transparent pixels
// on a checkerboard instead of white.
func renderImage(img image.Image, cols, rows int, _ gfxCaps, mode string, checker bool) (gfxOutput, error) {
	if mode == "none" {
		return gfxOutput{Mode: "none"}, nil
	}
	b := img.Bounds()
	if b.Dx() == 0 || b.Dy() == 0 || cols < 1 || rows < 1 {
		return gfxOutput{}, fmt.Errorf("nothing to draw")
	}
	// Square pixels: one cell is one pixel wide and two tall.
	scale := max(float64(b.Dx())/float64(cols), float64(b.Dy())/float64(rows*2))
	w := int(float64(b.Dx()) / scale)
	h := int(float64(b.Dy()) / scale)
	h += h % 2
	px := func(x, y int) color.RGBA {
		// Average the source area for this output pixel, composited on the background.
		x0, y0 := b.Min.X+int(float64(x)*scale), b.Min.Y+int(float64(y)*scale)
		x1, y1 := b.Min.X+int(float64(x+1)*scale), b.Min.Y+int(float64(y+1)*scale)
		var bg uint32 = 0xffff
		if checker && (x/2+y/2)%2 == 1 {
			bg = 0xcccc
		}
		var r, g, bl, n uint64
		for yy := y0; yy < max(y1, y0+1); yy++ {
			for xx := x0; xx < max(x1, x0+1); xx++ {
				cr, cg, cb, ca := img.At(xx, yy).RGBA()
				inv := 0xffff - ca
				r += uint64(cr + bg*inv/0xffff)
				g += uint64(cg + bg*inv/0xffff)
				bl += uint64(cb + bg*inv/0xffff)
				n++
			}
		}
		return color.RGBA{uint8(r / n >> 8), uint8(g / n >> 8), uint8(bl / n >> 8), 255}
	}
	var sb strings.Builder
	for y := 0; y < h; y += 2 {
		for x := 0; x < w; x++ {
			t, u := px(x, y), px(x, y+1)
			fmt.Fprintf(&sb, "\x1b[38;2;%d;%d;%dm\x1b[48;2;%d;%d;%dm▀", t.R, t.G, t.B, u.R, u.G, u.B)
		}
		sb.WriteString("\x1b[0m")
		if y+2 < h {
			sb.WriteByte('\n')
		}
	}
	return gfxOutput{Mode: "blocks", Cols: w, Rows: h / 2, Text: sb.String()}, nil
}
