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
	var grid [][]cell
	cols := 0
	for _, line := range strings.Split(capture, "\n") {
		fg, bg := 0, 255 // luma; the default background counts as light
		var row []cell
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
					row = append(row, cell{fg < 128, bg < 128})
				case '▄':
					row = append(row, cell{bg < 128, fg < 128})
				case '█':
					row = append(row, cell{fg < 128, fg < 128})
				default:
					row = append(row, cell{bg < 128, bg < 128})
				}
			}
			col++
		}
		cols = max(cols, len(row))
		grid = append(grid, row)
	}
	if cols == 0 {
		return nil, fmt.Errorf("blockscan: nothing right of column %d", fromCol)
	}
	return bitmap(grid), nil
}

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

// applySGR folds one SGR parameter list into the foreground and background
// luma (0 dark … 255 light).
func applySGR(params string, fg, bg int) (int, int) {
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
			fg, bg = 0, 255
		case 38, 48:
			l := 0
			switch num(i + 1) {
			case 5:
				l = paletteLuma(num(i + 2))
				i += 2
			case 2:
				l = (299*num(i+2) + 587*num(i+3) + 114*num(i+4)) / 1000
				i += 4
			}
			if n == 38 {
				fg = l
			} else {
				bg = l
			}
		case 39:
			fg = 0
		case 49:
			bg = 255
		}
	}
	return fg, bg
}

// paletteLuma is the luma of a 256-colour palette entry.
func paletteLuma(n int) int {
	switch {
	case n == 0 || n == 8:
		return 0
	case n < 16:
		return 200
	case n < 232:
		lv := [6]int{0, 95, 135, 175, 215, 255}
		n -= 16
		return (299*lv[n/36] + 587*lv[n/6%6] + 114*lv[n%6]) / 1000
	}
	return 8 + 10*(n-232)
}
