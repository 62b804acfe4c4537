package sim

import (
	"sync"
	"time"
)

// Clock is the simulator's time. It follows its source (the real clock by
// default) plus an offset; Set and Advance let tests cross minute and day
// boundaries, and token lifetimes, without waiting.
type Clock struct {
	mu     sync.Mutex
	source func() time.Time
	offset time.Duration
	frozen bool
	at     time.Time
}

func newClock(source func() time.Time) *Clock {
	if source == nil {
		source = time.Now
	}
	return &Clock{source: source}
}

// Now is the simulated time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen {
		return c.at
	}
	return c.source().Add(c.offset)
}

// Set stops the clock at t; it then moves only with Advance or another Set.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.frozen, c.at = true, t
}

// Advance moves the clock forward by d (frozen or not).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen {
		c.at = c.at.Add(d)
		return
	}
	c.offset += d
}

// beijing is WeChat's day: daily quotas reset at midnight China time.
var beijing = time.FixedZone("CST", 8*3600)

// dayKey and minuteKey identify the quota windows.
func dayKey(t time.Time) string   { return t.In(beijing).Format("2006-01-02") }
func monthKey(t time.Time) string { return t.In(beijing).Format("2006-01") }
func minuteKey(t time.Time) int64 { return t.Unix() / 60 }
