package ui

import (
	"charm.land/bubbles/v2/progress"

	"wxacode/batch"
)

// BatchProgress renders one terminal line for `wxacode batch`: a bubbles
// progress bar followed by batch's own counts (done, failed, rate, ETA). It is
// a plain function, not a Bubble Tea program, so the batch command can redraw
// it in place without taking over the terminal. width is the terminal width.
func BatchProgress(p batch.Progress, width int) string {
	text := p.Line()
	barWidth := width - len(text) - 2
	if barWidth < 10 {
		return text
	}
	barWidth = min(barWidth, 50)
	bar := progress.New(progress.WithDefaultBlend(), progress.WithWidth(barWidth))
	percent := 0.0
	if p.Total > 0 {
		percent = float64(p.Done) / float64(p.Total)
	}
	return bar.ViewAs(percent) + "  " + text
}
