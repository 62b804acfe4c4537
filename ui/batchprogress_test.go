package ui

import (
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"

	"wxacode/batch"
)

func TestBatchProgressLine(t *testing.T) {
	p := batch.Progress{Total: 5000, Done: 1200, Failed: 3, RatePerMin: 4980, ETA: 46 * time.Second}
	line := BatchProgress(p, 100)
	plain := ansi.Strip(line)
	assert.Contains(t, plain, "done 1200/5000 failed 3 rate 4980/min eta 46s")
	assert.Contains(t, plain, "24%")
	assert.LessOrEqual(t, ansi.StringWidth(line), 100)
	// Too narrow for a bar: the plain line alone.
	assert.Equal(t, p.Line(), BatchProgress(p, 30))
}
