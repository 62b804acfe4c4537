package cli

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"

	"wxacode/batch"
)

// TestProgressBarHonoursNoColor: on a terminal the bar is drawn in colour,
// and without any colour when NO_COLOR is set; the line shows the
// concurrency beside the rate.
func TestProgressBarHonoursNoColor(t *testing.T) {
	pr := batch.Progress{Total: 100, Done: 40, Written: 40, RatePerMin: 4980, Concurrency: 21}
	for _, tc := range []struct {
		noColor string
		colour  bool
	}{{"", true}, {"1", false}} {
		t.Setenv("NO_COLOR", tc.noColor)
		var out bytes.Buffer
		p := newProgressPrinter(&IOStreams{Out: &out, OutTTY: true})
		p.update(pr)
		s := out.String()
		assert.Contains(t, s, "done 40/100 failed 0 rate 4980/min concurrency 21 eta")
		assert.Contains(t, s, "░")
		if !tc.colour {
			assert.Contains(t, s, "\r███████████████░")
		}
		assert.Equal(t, tc.colour, bytes.Contains(out.Bytes(), []byte("\x1b[38;")), "NO_COLOR=%q: %q", tc.noColor, s)
		assert.Contains(t, s, "\x1b[K", "the line is still redrawn in place")
	}
}

func TestParseConcurrency(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		err  bool
	}{{"auto", 0, false}, {"AUTO", 0, false}, {"1", 1, false}, {"128", 128, false}, {"0", 0, true}, {"129", 0, true}, {"eight", 0, true}} {
		n, err := parseConcurrency(tc.in)
		assert.Equal(t, tc.err, err != nil, tc.in)
		assert.Equal(t, tc.want, n, tc.in)
	}
}
