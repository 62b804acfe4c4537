package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"wxacode/preview"
)

// Smallest terminal the layout works in.
const (
	minWidth  = 76
	minHeight = 20
)

// layout is where everything goes, computed from the terminal size. View and
// the out-of-band image draw use the same numbers.
type layout struct {
	formW, rightX, rightW int
	bodyH, helpH          int
	boxX, boxY            int // top-left cell of the image box (0-based)
	boxW, boxH            int
}

func (m *Model) tooSmall() bool { return m.width < minWidth || m.height < minHeight }

func (m *Model) layout() layout {
	helpH := 1
	if m.help.ShowAll {
		helpH = strings.Count(m.help.View(m.helpMap()), "\n") + 1
	}
	return layoutFor(m.width, m.height, helpH)
}

// layoutFor is the layout of a width×height terminal with helpH rows of help.
func layoutFor(width, height, helpH int) layout {
	var l layout
	l.formW = 36
	if width >= 110 {
		l.formW = 46
	}
	l.rightX = l.formW + 1
	l.rightW = width - l.rightX
	l.helpH = helpH
	l.bodyH = max(1, height-2-l.helpH) // title row, status row, help
	l.boxX, l.boxY = l.rightX+1, 1+2   // below the info and background lines
	l.boxW, l.boxH = max(1, l.rightW-2), max(1, l.bodyH-2)
	return l
}

// windowFor is the smallest terminal, from width×height up, whose preview
// box holds need.
func windowFor(need preview.Box, width, height, helpH int) (w, h int) {
	w, h = max(width, minWidth), max(height, minHeight)
	for ; w < 2*preview.MaxCells && layoutFor(w, h, helpH).boxW < need.Cols; w++ {
	}
	for ; h < 2*preview.MaxCells && layoutFor(w, h, helpH).boxH < need.Rows; h++ {
	}
	return w, h
}

// fit pads or cuts s to exactly w cells.
func fit(s string, w int) string {
	if sw := ansi.StringWidth(s); sw > w {
		return ansi.Truncate(s, w, "…")
	} else if sw < w {
		return s + strings.Repeat(" ", w-sw)
	}
	return s
}

func truncate(s string, w int) string { return ansi.Truncate(s, w, "…") }

// wrap breaks plain text into lines of at most w cells, at the last space
// that fits when there is one in the second half of the line.
func wrap(s string, w int) []string {
	w = max(w, 4)
	var out []string
	for line := range strings.SplitSeq(s, "\n") {
		rs := []rune(line)
		for {
			cells, cut, space := 0, len(rs), -1
			for i, r := range rs {
				rw := ansi.StringWidth(string(r))
				if cells+rw > w {
					cut = i
					if r == ' ' { // the line ends exactly at a word
						space = i
					}
					break
				}
				cells += rw
				if r == ' ' {
					space = i
				}
			}
			if cut == len(rs) {
				out = append(out, string(rs))
				break
			}
			if space > cut/2 {
				out = append(out, strings.TrimRight(string(rs[:space]), " "))
				rs = rs[space+1:]
			} else {
				out = append(out, string(rs[:cut]))
				rs = rs[cut:]
			}
		}
	}
	return out
}

// hang wraps s after prefix, indenting the following lines as far as the
// prefix so a list item reads as one block.
func hang(prefix, s string, w int) []string {
	pad := strings.Repeat(" ", ansi.StringWidth(prefix))
	lines := wrap(s, w-len(pad))
	for i := range lines {
		if i == 0 {
			lines[i] = prefix + lines[i]
		} else {
			lines[i] = pad + lines[i]
		}
	}
	return lines
}
