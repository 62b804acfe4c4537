package ui

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/wechat"
)

// rateCode is an answer to count: a call at at, by the designer's clock.
func rateCode(t *testing.T, m *Model, p wechat.Params, at time.Time) codeMsg {
	t.Helper()
	code, err := newFake().Get(t.Context(), p.Request())
	require.NoError(t, err)
	return codeMsg{gen: m.gen, params: p, code: code, at: at}
}

// The status line's calls/min is the calls answered in the minute before
// the latest time the designer was told: each answer and each expiry tick
// bring the time (Deps.Now, read in their commands). Neither Update nor View
// reads a clock: the model's Now fails the test if either does.
func TestCallRate(t *testing.T) {
	type step struct {
		at   time.Duration // after testNow
		tick bool          // an expiry tick; else a call's answer
		kind wechat.Kind   // of the call; "" is unlimited
	}
	call := func(at time.Duration) step { return step{at: at} }
	tick := func(at time.Duration) step { return step{at: at, tick: true} }
	cases := []struct {
		name  string
		steps []step
		want  int
	}{
		{"nothing yet", nil, 0},
		{"one call", []step{call(0)}, 1},
		{"three within the minute", []step{call(0), call(20 * time.Second), call(40 * time.Second)}, 3},
		{"the first expires at its minute", []step{call(0), call(20 * time.Second), tick(time.Minute)}, 1},
		{"a minute exactly is out", []step{call(0), tick(time.Minute)}, 0},
		{"just under a minute is in", []step{call(0), tick(time.Minute - time.Millisecond)}, 1},
		{"a later call ages the old ones out", []step{call(0), call(40 * time.Second), call(90 * time.Second)}, 2},
		{"an expiry from a clock behind drops nothing", []step{call(0), call(time.Minute + time.Second), tick(30 * time.Second)}, 1},
		{"a link QR is no call", []step{call(0), {at: time.Second, kind: wechat.KindLinkQR}}, 1},
		{"all gone after a quiet minute", []step{call(0), call(time.Second), call(2 * time.Second), tick(3 * time.Minute)}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := newTest(t, newFake())
			m.deps.Now = func() time.Time {
				t.Fatal("the clock was read in Update or View")
				return time.Time{}
			}
			for _, s := range c.steps {
				at := testNow.Add(s.at)
				var msg any = rateMsg{now: at}
				if !s.tick {
					p := wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index", Scene: "id=1"}
					if s.kind == wechat.KindLinkQR {
						p = wechat.Params{Kind: wechat.KindLinkQR, URL: "https://example.com/a"}
					}
					msg = rateCode(t, m, p, at)
				}
				tm, _ := m.Update(msg) // the commands are not run: the steps are the ticks
				m = tm.(*Model)
			}
			assert.Equal(t, c.want, m.calls.count())
			assert.Contains(t, viewOf(m), fmt.Sprintf(" · %d/min · ", c.want))
		})
	}
}

// Each counted call schedules its own expiry, a minute on the designer's
// timer, carrying the designer's clock by then.
func TestCallRateExpiresOnItsTick(t *testing.T) {
	d := testDeps(t, newFake())
	d.Now = virtual.Now // the clock moves with the timers
	m := sized(t, New(d), 120, 40)
	p := wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index", Scene: "id=1"}
	start := virtual.Now()
	tm, cmd := m.Update(rateCode(t, m, p, start))
	m = tm.(*Model)
	require.Equal(t, 1, m.calls.count())
	assert.Contains(t, viewOf(m), " · 1/min · ")
	m = run(t, m, cmd) // the rate's minute passes on the virtual time, in no real time
	assert.Equal(t, 0, m.calls.count())
	assert.Contains(t, viewOf(m), " · 0/min · ")
	assert.Equal(t, start.Add(rateWindow), m.asOf, "the tick told the model the time")
}

// However long the designer runs, it keeps at most a minute of calls.
func TestCallRateStaysBounded(t *testing.T) {
	m := newTest(t, newFake())
	p := wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index", Scene: "id=1"}
	msg := rateCode(t, m, p, testNow)
	for i := range 600 { // a call a second for ten minutes
		msg.at = testNow.Add(time.Duration(i) * time.Second)
		tm, _ := m.Update(msg)
		m = tm.(*Model)
		require.LessOrEqual(t, len(m.calls.calls), 60, "call %d", i)
	}
	assert.Equal(t, 60, m.calls.count())
	assert.LessOrEqual(t, cap(m.calls.calls), 128, "the old calls' room is reused")
}
