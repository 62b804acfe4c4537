// Package blockscan rebuilds a bitmap from a code drawn in half blocks, as
// text or as a terminal's coloured capture, so a QR reader (zbarimg) can
// check what a terminal shows. Only tests import it.
package blockscan

import (
	"fmt"
	"image"
	"image/color"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// cell is one character cell: which of its halves are dark.
type cell struct{ top, bot bool }

// Text reads half-block text with colours ignored: █ both halves dark, ▀ the
// top, ▄ the bottom, anything else light.
func Text(text string) image.Image {
	var grid [][]cell
	for _, line := range strings.Split(ansi.Strip(text), "\n") {
		var row []cell
		for _, r := range line {
			row = append(row, cell{r == '█' || r == '▀', r == '█' || r == '▄'})
		}
		grid = append(grid, row)
	}
	return bitmap(grid)
}

// Capture reads a coloured capture (tmux capture-pane -e) from column
// fromCol on: ▀ takes the foreground on top and the background below, ▄ the
// reverse, so dark-on-light and light-on-dark drawings both come out right.
// 256-colour and 24-bit SGR colours are understood.
func Capture(capture string, fromCol int) (image.Image, error) {
	halves, cols := read(capture, fromCol)
	if cols == 0 {
		return nil, fmt.Errorf("blockscan: nothing right of column %d", fromCol)
	}
	grid := make([][]cell, len(halves))
	for y, row := range halves {
		for _, c := range row {
			grid[y] = append(grid[y], cell{luma(c[0]) < 128, luma(c[1]) < 128})
		}
	}
	return bitmap(grid), nil
}

// Pixels reads coloured half blocks back into the picture they draw, one
// pixel a half cell (the size of the bitmap the encoder was given, the odd
// last row's padding included), in the colours their SGRs give: the
// colour fidelity of a drawing, where Text and Capture only tell dark from
// light. Short lines are filled with white.
func Pixels(text string) (*image.RGBA, error) {
	halves, cols := read(text, 0)
	if cols == 0 {
		return nil, fmt.Errorf("blockscan: no cells")
	}
	img := image.NewRGBA(image.Rect(0, 0, cols, 2*len(halves)))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for y, row := range halves {
		for x, c := range row {
			img.SetRGBA(x, 2*y, c[0])
			img.SetRGBA(x, 2*y+1, c[1])
		}
	}
	return img, nil
}

// read parses lines of SGR-coloured cells from column fromCol on into the
// colours of each cell's top and bottom halves: ▀ the foreground on top and
// the background below, ▄ the reverse, █ the foreground, anything else the
// background. The default foreground is black, the default background white.
func read(text string, fromCol int) (rows [][][2]color.RGBA, cols int) {
	for _, line := range strings.Split(text, "\n") {
		fg, bg := black, white
		var row [][2]color.RGBA
		col := 0
		rs := []rune(line)
		for i := 0; i < len(rs); i++ {
			if rs[i] == 0x1b && i+1 < len(rs) && rs[i+1] == '[' {
				j := i + 2
				for j < len(rs) && rs[j] != 'm' {
					j++
				}
				fg, bg = applySGR(string(rs[i+2:min(j, len(rs))]), fg, bg)
				i = j
				continue
			}
			if col >= fromCol {
				switch rs[i] {
				case '▀':
					row = append(row, [2]color.RGBA{fg, bg})
				case '▄':
					row = append(row, [2]color.RGBA{bg, fg})
				case '█':
					row = append(row, [2]color.RGBA{fg, fg})
				default:
					row = append(row, [2]color.RGBA{bg, bg})
				}
			}
			col++
		}
		cols = max(cols, len(row))
		rows = append(rows, row)
	}
	return rows, cols
}

var (
	black = color.RGBA{0, 0, 0, 0xff}
	white = color.RGBA{0xff, 0xff, 0xff, 0xff}
)

func luma(c color.RGBA) int { return (299*int(c.R) + 587*int(c.G) + 114*int(c.B)) / 1000 }

// bitmap draws each half cell as an 8×8 square, in a white border wide
// enough for a QR reader's quiet zone.
func bitmap(grid [][]cell) image.Image {
	const s, border = 8, 32
	w := 0
	for _, row := range grid {
		w = max(w, len(row))
	}
	img := image.NewGray(image.Rect(0, 0, w*s+2*border, len(grid)*2*s+2*border))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for y, row := range grid {
		for x, c := range row {
			for half, dark := range []bool{c.top, c.bot} {
				if !dark {
					continue
				}
				for dy := range s {
					for dx := range s {
						img.SetGray(border+x*s+dx, border+(y*2+half)*s+dy, color.Gray{})
					}
				}
			}
		}
	}
	return img
}

// applySGR folds one SGR parameter list into the foreground and background.
func applySGR(params string, fg, bg color.RGBA) (color.RGBA, color.RGBA) {
	ps := strings.Split(params, ";")
	num := func(i int) int {
		if i >= len(ps) {
			return 0
		}
		n, _ := strconv.Atoi(ps[i])
		return n
	}
	for i := 0; i < len(ps); i++ {
		switch n := num(i); n {
		case 0:
			fg, bg = black, white
		case 38, 48:
			var c color.RGBA
			switch num(i + 1) {
			case 5:
				c = paletteRGB(num(i + 2))
				i += 2
			case 2:
				c = color.RGBA{uint8(num(i + 2)), uint8(num(i + 3)), uint8(num(i + 4)), 0xff}
				i += 4
			}
			if n == 38 {
				fg = c
			} else {
				bg = c
			}
		case 39:
			fg = black
		case 49:
			bg = white
		}
	}
	return fg, bg
}

// paletteRGB is a 256-colour palette entry; of the 16 themed colours only
// black (0 and 8) is taken as dark, the others as a light grey.
func paletteRGB(n int) color.RGBA {
	grey := func(v int) color.RGBA { return color.RGBA{uint8(v), uint8(v), uint8(v), 0xff} }
	switch {
	case n == 0 || n == 8:
		return black
	case n < 16:
		return grey(200)
	case n < 232:
		lv := [6]uint8{0, 95, 135, 175, 215, 255}
		n -= 16
		return color.RGBA{lv[n/36], lv[n/6%6], lv[n%6], 0xff}
	}
	return grey(8 + 10*(n-232))
}
