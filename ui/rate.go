package ui

import (
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"
)

// rateWindow is the span the status line's calls/min counts.
const rateWindow = time.Minute

// callRate is the WeChat calls of the last minute, for the status line. It
// reads no clock: each call is counted at the time its answer arrived and
// each expiry comes with the time it fired (both from Deps.Now, read in
// commands), and the calls that time leaves behind are dropped, so it holds
// at most a minute of calls however long the designer runs.
type callRate struct{ calls []time.Time }

// add counts a call answered at at.
func (r *callRate) add(at time.Time) {
	r.calls = append(r.calls, at)
	r.expire(at)
}

// expire drops the calls made a window or more before now.
func (r *callRate) expire(now time.Time) {
	cut := now.Add(-rateWindow)
	r.calls = slices.DeleteFunc(r.calls, func(t time.Time) bool { return !t.After(cut) })
}

// count is the number of calls in the window.
func (r callRate) count() int { return len(r.calls) }

// rateExpiryCmd answers once a call counted now has left the window, with
// the time by then.
func rateExpiryCmd(after timer, now func() time.Time) tea.Cmd {
	return after.tick(rateWindow, func() tea.Msg { return rateMsg{now: now()} })
}
