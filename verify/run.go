package verify

import (
	"context"
	"iter"
	"sync"
	"time"
)

// defaultTimeout bounds one fetch, every stage of it.
const defaultTimeout = 30 * time.Second

// RunOptions bound a run.
type RunOptions struct {
	Concurrency int // copies checked at once; default 8
	// PerMinute paces the fetches (URLs, not local files) for polite
	// checking of a large manifest; 0: no pacing.
	PerMinute int
}

// Run checks every target, Concurrency at a time, and calls each with every
// result, from one goroutine, in the order they finish. It returns when all
// are checked or ctx ends (targets not started then are not reported).
func (c *Checker) Run(ctx context.Context, targets iter.Seq[Target], o RunOptions, each func(Result)) {
	n := o.Concurrency
	if n <= 0 {
		n = 8
	}
	p := &pacer{}
	if o.PerMinute > 0 {
		p.every = time.Minute / time.Duration(o.PerMinute)
		paced := *c
		paced.pace = p.wait // the second fetch of a wrong copy counts too
		c = &paced
	}
	jobs := make(chan Target)
	results := make(chan Result, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range jobs {
				if t.URL != "" && p.wait(ctx) != nil {
					continue
				}
				results <- c.Check(ctx, t)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for t := range targets {
			select {
			case jobs <- t:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()
	for r := range results {
		if ctx.Err() != nil && !r.Fetched {
			continue // cut short by the interruption, not the copy's fault
		}
		each(r)
	}
}

// pacer spaces starts every apart; the zero value never waits.
type pacer struct {
	mu    sync.Mutex
	every time.Duration
	next  time.Time
}

func (p *pacer) wait(ctx context.Context) error {
	if p.every <= 0 {
		return ctx.Err()
	}
	p.mu.Lock()
	now := time.Now()
	at := now
	if p.next.After(now) {
		at = p.next
	}
	p.next = at.Add(p.every)
	p.mu.Unlock()
	d := at.Sub(now)
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
