package cli

import (
	"fmt"

	"wxacode/preview"
)

// boxFlags are preview's --cols and --rows as given (set: on the command line,
// so an explicit 0 is an error, not "the default").
type boxFlags struct {
	cols, rows       int
	colsSet, rowsSet bool
}

// check bounds --cols and --rows before anything is read: 1 to the terminal's
// size when Out is one, else 1 to preview.MaxCells, so a typo is a usage
// error instead of a makeslice panic or gigabytes of pixels.
func (f boxFlags) check(termW, termH int, termOK bool) (preview.Box, error) {
	maxW, maxH, where := preview.MaxCells, preview.MaxCells, ""
	if termOK && termW > 0 && termH > 0 {
		maxW, maxH = min(termW, preview.MaxCells), min(termH, preview.MaxCells)
		where = " (the terminal's size)"
	}
	if f.colsSet && (f.cols < 1 || f.cols > maxW) {
		return preview.Box{}, usageErrorf("wxacode preview: --cols %d is out of range: give 1 to %d columns%s, or leave it out for the terminal's width", f.cols, maxW, where)
	}
	if f.rowsSet && (f.rows < 1 || f.rows > maxH) {
		return preview.Box{}, usageErrorf("wxacode preview: --rows %d is out of range: give 1 to %d rows%s, or leave it out for no limit", f.rows, maxH, where)
	}
	return preview.Box{Cols: f.cols, Rows: f.rows}, nil
}

// fix says what would draw in a box of need: --cols (and --rows when it
// was given), in a wider window when the terminal is narrower (termW, 0 when
// unknown), or graphics when no box would do (need is zero).
func (f boxFlags) fix(need preview.Box, termW int) string {
	if need == (preview.Box{}) {
		return "a terminal with sixel or kitty graphics"
	}
	s := fmt.Sprintf("--cols %d", need.Cols)
	if f.rowsSet {
		s += fmt.Sprintf(" --rows %d", need.Rows)
	}
	if termW > 0 && termW < need.Cols {
		s = fmt.Sprintf("a window at least %d columns wide and %s", need.Cols, s)
	}
	return s
}
