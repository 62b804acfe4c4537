package ui

import (
	"fmt"
	"slices"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"wxacode/preview"
	"wxacode/wechat"
)

// Speed, measured with:
//
//	go test ./ui -run '^$' -bench . -benchtime 100x
//
// KeyToFrame is one key through Update plus the View that follows.
// GenerateToPreview is ctrl+g on the simulator (in-process HTTP, token
// cached) through the code's arrival, rendering, the out-of-band draw and
// the View that shows it.
// Each reports p50 and p95 besides the mean.

func reportPercentiles(b *testing.B, d []time.Duration) {
	slices.Sort(d)
	if len(d) == 0 {
		return
	}
	p := func(q float64) float64 { return float64(d[int(q*float64(len(d)-1))].Microseconds()) / 1000 }
	b.ReportMetric(p(0.50), "p50-ms")
	b.ReportMetric(p(0.95), "p95-ms")
}

func BenchmarkKeyToFrame(b *testing.B) {
	d := simDeps(b)
	d.StateDir = ""
	m := New(d)
	tm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m = tm.(*Model)
	for m.form.focused().ID() != "scene" {
		tm, _ = m.Update(keypress("tab"))
		m = tm.(*Model)
	}
	var ds []time.Duration
	b.ResetTimer()
	for i := range b.N {
		k := keypress(string(rune('a' + i%26)))
		if i%2 == 1 {
			k = keypress("backspace")
		}
		start := time.Now()
		tm, _ = m.Update(k)
		m = tm.(*Model)
		_ = m.View()
		ds = append(ds, time.Since(start))
	}
	reportPercentiles(b, ds)
}

func BenchmarkGenerateToPreview(b *testing.B) {
	for _, width := range []int{430, 1280} {
		for _, mode := range []string{"blocks", "sixel"} {
			b.Run(fmt.Sprintf("%dpx/%s", width, mode), func(b *testing.B) {
				d := simDeps(b)
				d.StateDir, d.Graphics = "", mode
				d.Initial = wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index", Scene: "warm", Width: width}
				m := New(d)
				m.place.caps = m.place.caps.ApplyDA1([]int{4}).ApplyCellSize(10, 20)
				tm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
				m = tm.(*Model)
				m = generateOnce(b, m) // the token fetch is not part of the loop
				var ds []time.Duration
				b.ResetTimer()
				for i := range b.N {
					p := m.form.params()
					p.Scene = fmt.Sprintf("id=%d", i) // a new image every time: no cache hits
					m.form.setParams(p)
					start := time.Now()
					m = generateOnce(b, m)
					_ = m.View()
					ds = append(ds, time.Since(start))
					if m.place.out.Mode == preview.ModeNone || m.shown == nil {
						b.Fatalf("no preview: %s", m.status.text)
					}
				}
				reportPercentiles(b, ds)
			})
		}
	}
}

// generateOnce presses ctrl+g and runs every command that follows to
// completion (run), the draw after the frame included: the timers on
// virtual time, so only the work is measured.
func generateOnce(b *testing.B, m *Model) *Model {
	return send(b, m, keypress("ctrl+g"))
}
