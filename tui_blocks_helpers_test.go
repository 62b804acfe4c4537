package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"strings"
)

// blocksToPNG turns a colour capture (tmux capture-pane -e) of half blocks
// right of column fromCol into a bitmap: each cell is two pixels stacked (▀
// takes the foreground on top and the background below), scaled ×4, with a
// white border, so zbarimg can read a code drawn as text.
func blocksToPNG(capture string, fromCol int, path string) error {
	lines := strings.Split(capture, "\n")
	type cell struct{ top, bot bool } // dark halves
	grid := make([][]cell, len(lines))
	cols := 0
	for y, line := range lines {
		fg, bg := 0, 255 // luma; the default background counts as light
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
				var c cell
				switch rs[i] {
				case '▀':
					c = cell{fg < 128, bg < 128}
				case '▄':
					c = cell{bg < 128, fg < 128}
				case '█':
					c = cell{fg < 128, fg < 128}
				default:
					c = cell{bg < 128, bg < 128}
				}
				grid[y] = append(grid[y], c)
			}
			col++
		}
		cols = max(cols, len(grid[y]))
	}
	if cols == 0 {
		return fmt.Errorf("empty capture")
	}
	const k, border = 4, 40
	img := image.NewGray(image.Rect(0, 0, cols*k+2*border, len(grid)*2*k+2*border))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for y, row := range grid {
		for x, c := range row {
			for dy := range 2 * k {
				if dy < k && !c.top || dy >= k && !c.bot {
					continue
				}
				for dx := range k {
					img.SetGray(border+x*k+dx, border+y*2*k+dy, color.Gray{})
				}
			}
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// applySGR folds one SGR parameter list into the foreground and background
// luma (0 dark … 255 light); 256-colour and 24-bit colours are understood.
func applySGR(params string, fg, bg int) (int, int) {
	ps := strings.Split(params, ";")
	num := func(i int) int {
		n := 0
		if i < len(ps) {
			fmt.Sscanf(ps[i], "%d", &n)
		}
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
