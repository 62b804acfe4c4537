package ui

import (
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
)

func TestBatchProgressLine(t *testing.T) {
	text := "done 1200/5000 failed 3 rate 4980/min eta 46s"
	for _, tc := range []struct {
		name    string
		s       BatchStatus
		width   int
		percent string // "" when no bar fits
	}{
		{"bar and counts", BatchStatus{Done: 1200, Total: 5000, Text: text}, 100, "24%"},
		{"finished", BatchStatus{Done: 5000, Total: 5000, Text: text}, 100, "100%"},
		{"nothing to do yet", BatchStatus{Text: text}, 100, "0%"},
		{"too narrow for a bar", BatchStatus{Done: 1200, Total: 5000, Text: text}, 30, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			line := BatchProgress(tc.s, tc.width)
			if tc.percent == "" {
				assert.Equal(t, text, line)
				return
			}
			plain := ansi.Strip(line)
			assert.Contains(t, plain, text)
			assert.Contains(t, plain, tc.percent)
			assert.LessOrEqual(t, ansi.StringWidth(line), tc.width)
		})
	}
}
