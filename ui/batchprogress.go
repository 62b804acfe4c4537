package ui

import (
	"charm.land/bubbles/v2/progress"
)

// BatchStatus is one progress snapshot of `wxacode batch` in plain values, so
// that ui needs nothing from package batch: Done of Total rows, and Text,
// batch's own line of counts (batch.Progress.Line), shown as it is.
type BatchStatus struct {
	Done, Total int
	Text        string
}

// BatchProgress renders one terminal line for `wxacode batch`: a bubbles
// progress bar followed by the counts (done, failed, rate, ETA). It is a
// plain function, not a Bubble Tea program, so the batch command can redraw
// it in place without taking over the terminal. width is the terminal width.
func BatchProgress(s BatchStatus, width int) string {
	barWidth := width - len(s.Text) - 2
	if barWidth < 10 {
		return s.Text
	}
	barWidth = min(barWidth, 50)
	bar := progress.New(progress.WithDefaultBlend(), progress.WithWidth(barWidth))
	percent := 0.0
	if s.Total > 0 {
		percent = float64(s.Done) / float64(s.Total)
	}
	return bar.ViewAs(percent) + "  " + s.Text
}
