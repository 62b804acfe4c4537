package batch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"wxacode/atomicfile"
	"wxacode/codefile"
	"wxacode/codeimage"
	"wxacode/wechat"
)

type state int

const (
	stWritten state = iota
	stSkipped
	stFailed
	stPending // interrupted before it finished
)

type result struct {
	rec   *Record
	state state
	dup   bool
	entry *codefile.ManifestEntry // written (a file already there with the same bytes included)
	why   failure
	calls int
	err   error // stops the run (a full disk); the row itself is pending
}

// generatePass streams the input a second time: rows the manifest proves done
// and repeats are skipped at once, the rest go to the workers; the collector
// (this goroutine) appends manifest lines and failed rows as results arrive.
func generatePass(parent context.Context, o *Options, format Format, ms *manifestState, mw *manifestWriter, sum Summary) (Summary, error) {
	done := ms.done
	// A full disk stops the whole run: every later row would fail the same
	// way, each after spending a call.
	ctx, stop := context.WithCancelCause(parent)
	defer stop(nil)
	f, rd, err := o.openInput(format)
	if err != nil {
		return sum, err
	}
	defer f.Close()
	sum.Manifest = filepath.Join(o.Out, ManifestName)
	fw := newFailedWriter(o.Out, format, rd.Header(), o.Redact)

	gt := newGate(o.Concurrency, o.Rate, o.Now)
	workers := gt.workers()
	jobs := make(chan *Item, workers*2)
	results := make(chan result, workers*2)
	var feedErr error
	g := &gen{o: o, swapped: ms.swapped, stop: stop, gate: gt}
	start := o.Now() // before any worker: the first call may move the clock
	go func() {      // feeder
		defer close(jobs)
		var seen keySet
		for {
			rec, err := rd.next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				feedErr = err
				return
			}
			it, ps := parseRecord(rec, o.Base)
			var r *result
			switch {
			case len(ps) > 0: // the file changed since the first pass
				r = &result{rec: rec, state: stFailed, why: failure{Code: ps[0].Code, Msg: "invalid: " + ps[0].String()}}
			case !seen.Add(it.Key):
				r = &result{rec: rec, state: stSkipped, dup: true}
			case done.Has(it.Key):
				r = &result{rec: rec, state: stSkipped}
			}
			if r != nil {
				select {
				case results <- *r:
					continue
				case <-ctx.Done():
					return
				}
			}
			select {
			case jobs <- it:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range jobs {
				results <- g.process(ctx, it)
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	var viaCalls int
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var firstErr error
	report := func() {
		if o.OnProgress == nil {
			return
		}
		p := sum.Progress
		g.counts(&p)
		p.RateLimited = int(g.rateLimited.Load())
		p.Elapsed = o.Now().Sub(start)
		p.PausedUntil = g.pausedUntil()
		p.Concurrency, p.PeakInFlight = gt.size()
		if m := p.Elapsed.Minutes(); m > 0 && viaCalls > 0 {
			p.RatePerMin = float64(viaCalls) / m
			if left := p.Total - p.Done; left > 0 {
				p.ETA = time.Duration(float64(left) / p.RatePerMin * float64(time.Minute))
			}
		}
		o.OnProgress(p)
	}
loop:
	for {
		select {
		case r, ok := <-results:
			if !ok {
				break loop
			}
			switch r.state {
			case stWritten:
				sum.Written++
				viaCalls++
			case stSkipped:
				sum.Skipped++
				if r.dup {
					sum.Duplicates++
				}
			case stFailed:
				sum.Failed++
				if r.calls > 0 {
					viaCalls++
				}
				r.why.Hint = o.hintFor(r.why.Code)
				if err := fw.Write(r.rec, r.why); err != nil && firstErr == nil {
					firstErr = fmt.Errorf("failed-rows file: %w", err)
				}
			case stPending:
				sum.Pending++
			}
			if r.err != nil {
				g.halt(r.err)
			}
			if r.entry != nil {
				if err := mw.Append(*r.entry); err != nil && firstErr == nil {
					firstErr = err
				}
			}
			if diskFull(firstErr) {
				g.halt(firstErr)
			}
			sum.Done = sum.Written + sum.Skipped + sum.Failed
			if len(results) == 0 { // nothing else waiting: make the lines so far durable
				if err := mw.Sync(); err != nil && firstErr == nil {
					firstErr = err
				}
			}
			report()
		case <-tick.C:
			report()
		}
	}
	if err := mw.Sync(); err != nil && firstErr == nil {
		firstErr = err
	}
	g.counts(&sum.Progress)
	if h := g.halted(); h != nil && firstErr == nil {
		firstErr = h
	}
	sum.RateLimited = int(g.rateLimited.Load())
	sum.Concurrency, sum.PeakInFlight = gt.size()
	sum.Elapsed = o.Now().Sub(start)
	if ctx.Err() != nil {
		sum.Pending = sum.Total - sum.Done
	}
	// The failed file is replaced only by a run that went through every
	// row: an interrupted or broken run keeps the previous one, and its own
	// failed rows, never in the manifest, are tried again by the next run.
	complete := firstErr == nil && feedErr == nil && ctx.Err() == nil
	path, err := fw.Close(complete)
	if err != nil && firstErr == nil {
		firstErr = fmt.Errorf("failed-rows file: %w", err)
	}
	sum.FailedFile = path
	var stopErr *StopError
	switch {
	case errors.As(firstErr, &stopErr):
		stopErr.Pending, stopErr.Failed = sum.Pending, sum.Failed
		return sum, stopErr
	case diskFull(firstErr):
		return sum, &DiskFullError{Out: o.Out, Failed: sum.Failed, Pending: sum.Pending, Err: firstErr}
	case firstErr != nil:
		return sum, firstErr
	case feedErr != nil:
		return sum, fmt.Errorf("input %s: %w", o.In, feedErr)
	case ctx.Err() != nil:
		return sum, ctx.Err()
	}
	return sum, nil
}

func (o *Options) hintFor(code int) string {
	if code == 0 {
		return ""
	}
	return o.Hint(code)
}

// gen is what the workers share: the call counter and the 45009 pause.
type gen struct {
	o     *Options
	gate  *gate // the calls in flight
	calls atomic.Int64
	// rateLimited counts 45009 answers that paused the run.
	rateLimited atomic.Int64
	mu          sync.Mutex
	until       time.Time // no call before this (45009: wait for the next minute)
	// swapped: keys whose recorded file now holds other bytes (loadManifest).
	swapped map[uint64]codefile.ManifestEntry

	requests   atomic.Int64 // HTTP requests sent (wechat.CountAttempts), retries included
	rowsCalled atomic.Int64 // rows with at least one request: the rest are retries

	stop    context.CancelCauseFunc
	haltErr error     // why the whole run stopped (under mu)
	window  time.Time // the end of the last minute window that answered 45009 (under mu)
	windows int       // consecutive minute windows answering 45009 (under mu)
}

// maxLimitedWindows is how many minute windows in a row may answer 45009
// before the run stops: a quota that does not come back in three minutes is
// being spent elsewhere, and every row would wait out minute after minute.
const maxLimitedWindows = 3

// halt stops the whole run for err (the first reason wins).
func (g *gen) halt(err error) {
	g.mu.Lock()
	if g.haltErr == nil {
		g.haltErr = err
	}
	g.mu.Unlock()
	g.stop(err)
}

func (g *gen) halted() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.haltErr
}

// limited counts a 45009 pausing the run until until, and reports whether
// it is the maxLimitedWindows-th minute window in a row to answer so.
func (g *gen) limited(until time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if until.After(g.window) {
		g.window = until
		g.windows++
	}
	return g.windows >= maxLimitedWindows
}

// served resets the 45009 streak: the quota came back.
func (g *gen) served() {
	g.mu.Lock()
	g.windows = 0
	g.mu.Unlock()
}

// counts fills in the call and request counters.
func (g *gen) counts(p *Progress) {
	p.Calls = int(g.calls.Load())
	p.Requests = int(g.requests.Load())
	p.Retries = p.Requests - int(g.rowsCalled.Load())
}

func (g *gen) pausedUntil() time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.until.After(g.o.Now()) {
		return g.until
	}
	return time.Time{}
}

func (g *gen) pause(until time.Time) {
	g.mu.Lock()
	if until.After(g.until) {
		g.until = until
	}
	g.mu.Unlock()
}

// waitPause holds a worker while a 45009 pause is on. The pause is measured
// on the configured clock and slept in real time, capped at a minute.
func (g *gen) waitPause(ctx context.Context) error {
	for {
		g.mu.Lock()
		d := g.until.Sub(g.o.Now())
		g.mu.Unlock()
		if d <= 0 {
			return nil
		}
		if err := sleep(ctx, min(d, time.Minute)); err != nil {
			return err
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// process takes one row to its final state.
func (g *gen) process(ctx context.Context, it *Item) result {
	o := g.o
	res := result{rec: it.Rec}
	if e, ok := g.swapped[it.Key]; ok {
		if name, err := g.fileName(it, wechat.Format(e.Format), e.Width); err == nil && name == e.File {
			res.state = stFailed
			res.why = failure{Msg: fmt.Sprintf("%s is not the code the manifest recorded for this row (its sha256 differs) and batch never overwrites: move it away and run again", e.File)}
			return res
		}
	}
	if !o.AllowQuota && it.Params.Kind.Limited() && !o.Quota.Seen(it.Params) && o.Quota.Used() >= wechat.LifetimeQuota {
		res.state = stFailed
		res.why = failure{Code: 45029, Msg: fmt.Sprintf("not called: the limited pool has reached %d; pass --allow-quota to try anyway", wechat.LifetimeQuota)}
		return res
	}
	req := it.Params.Request()
	var code *wechat.Code
	attempts := 0
	for {
		if err := g.waitPause(ctx); err != nil {
			res.state = stPending
			return res
		}
		if err := g.gate.acquire(ctx); err != nil {
			res.state = stPending
			return res
		}
		var sent, retried atomic.Int64
		c, err := o.Generator.Get(wechat.CountRetries(wechat.CountAttempts(ctx, &sent), &retried), req)
		g.gate.release(c, err, retried.Load())
		if !errors.Is(err, wechat.ErrNotSent) {
			g.calls.Add(1)
			if res.calls == 0 {
				g.rowsCalled.Add(1)
			}
			res.calls++
			g.requests.Add(max(sent.Load(), 1)) // a generator that does not count sent one
		}
		if err == nil {
			err = checkImage(c)
		}
		if err == nil {
			g.served()
			code = c
			break
		}
		if ctx.Err() != nil {
			res.state = stPending
			return res
		}
		if until, ok := rateLimited(err, it.Params.Kind, o.Now()); ok {
			g.rateLimited.Add(1)
			if g.limited(until) {
				g.halt(&StopError{Code: 45009, Reason: fmt.Sprintf("getwxacodeunlimit answered 45009 (minute quota reached) in %d minute windows in a row: the quota is being spent elsewhere, or WeChat has cut it", maxLimitedWindows),
					Fix: "check what else calls getwxacodeunlimit for this appid, then run the same command again to resume"})
				res.state = stPending
				return res
			}
			g.pause(until)
			continue
		}
		if h := credentialProblem(err); h != nil {
			g.halt(h)
			res.state = stPending
			return res
		}
		if transient(err) && attempts < o.Retries {
			d := o.Backoff << attempts
			d += time.Duration(rand.Int64N(int64(d)/2 + 1)) // jitter, so workers do not retry in step
			attempts++
			if sleep(ctx, d) != nil {
				res.state = stPending
				return res
			}
			continue
		}
		res.state, res.why = stFailed, failureOf(err)
		return res
	}
	e, err := g.write(it, code)
	if diskFull(err) {
		res.state, res.err = stPending, err
		return res
	}
	if err != nil {
		res.state, res.why = stFailed, failure{Msg: err.Error()}
		return res
	}
	res.state, res.entry = stWritten, e
	return res
}

// errBadImage marks an answer that is not a whole JPEG or PNG.
var errBadImage = errors.New("the answer is not a whole image")

// checkImage proves the bytes are a complete image before anything is written:
// a truncated body or an error page saved as .jpg is what this tool prevents.
// A Code with its Width set was decoded completely by the client (see
// wechat.Classify), so only the magic bytes are checked again; any other
// generator's answer is decoded here.
func checkImage(c *wechat.Code) error {
	if c == nil || len(c.Bytes) == 0 {
		return fmt.Errorf("%w: empty body", errBadImage)
	}
	f, ok := wechat.SniffFormat(c.Bytes)
	if !ok {
		return fmt.Errorf("%w: neither JPEG nor PNG", errBadImage)
	}
	if c.Format == "" {
		c.Format = f
	}
	if c.Width > 0 && c.Format == f {
		return nil
	}
	img, _, err := codeimage.Decode(c.Bytes, codeimage.File) // bounded: the header is checked first
	if err != nil {
		return fmt.Errorf("%w: %v", errBadImage, err)
	}
	b := img.Bounds()
	c.Width, c.Height = b.Dx(), b.Dy()
	return nil
}

// fileName is where a row's code goes, relative to the output folder;
// {width} is the received image's.
func (g *gen) fileName(it *Item, f wechat.Format, width int) (string, error) {
	return rowFileName(g.o.Name, it, f, width)
}

// rowFileName is fileName for the name template tmpl; the validation pass
// asks it too, with the width the row asks for.
func rowFileName(tmpl string, it *Item, f wechat.Format, width int) (string, error) {
	ext := f.Ext()[1:]
	if it.File != "" {
		return fileColumnName(it.File, ext), nil
	}
	p := it.Params
	return codefile.RenderName(tmpl, codefile.NameFields{Kind: string(p.Kind), Page: p.Page, Scene: p.Scene,
		Path: p.Path, Width: width, EnvVersion: p.EnvVersion, Hash: it.Hash, Row: it.Rec.Row, Ext: ext})
}

// fileColumnName is the name a row's "file" gets for a code in format ext:
// the extension follows the bytes, so a "file" of a.png for an opaque (JPEG)
// code becomes a.jpg, as with templates.
func fileColumnName(file, ext string) string {
	base := file
	switch strings.ToLower(filepath.Ext(base)) {
	case ".jpg", ".jpeg", ".png":
		if strings.EqualFold(filepath.Ext(base), "."+ext) {
			return base
		}
		base = strings.TrimSuffix(base, filepath.Ext(base))
	}
	return base + "." + ext
}

// write lands the code with atomicfile.WriteNew, which never replaces a file.
// A file already at the name is this row's only when it holds the bytes just
// received (an earlier run killed between the rename and its manifest line):
// then it counts as written. Different bytes fail the row, naming the file;
// a file is never adopted on its name alone, since anything can be put there.
func (g *gen) write(it *Item, c *wechat.Code) (*codefile.ManifestEntry, error) {
	c, flat, err := g.flatten(it, c) // --flatten (flatten.go)
	if err != nil {
		return nil, err
	}
	name, err := g.fileName(it, c.Format, c.Width)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(g.o.Out, name)
	if err := atomicfile.WriteNew(path, c.Bytes, 0o644); err != nil {
		if !errors.Is(err, atomicfile.ErrExists) {
			return nil, err
		}
		if !sameContent(path, c.Bytes) {
			return nil, fmt.Errorf("%s already exists with different content (it is not this row's code) and batch never overwrites: move it away, or choose a --name template that gives each row its own name", name)
		}
	}
	e := g.entry(it, name, c)
	e.Flattened = flat
	return e, nil
}

// sameContent reports whether path is a regular file holding exactly want.
// The size is checked on the open file first, so a huge file put under a
// row's name is never read, and the bytes compared are that file's.
func sameContent(path string, want []byte) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() != int64(len(want)) {
		return false
	}
	got := make([]byte, len(want)+1) // one more: a file that grew since Stat
	n, err := io.ReadFull(f, got)
	return errors.Is(err, io.ErrUnexpectedEOF) && n == len(want) && bytes.Equal(got[:n], want)
}

func (g *gen) entry(it *Item, name string, c *wechat.Code) *codefile.ManifestEntry {
	body, _ := it.Params.Request().Body()
	rec := c.Received
	if rec.IsZero() {
		rec = g.o.Now().UTC()
	}
	return &codefile.ManifestEntry{Row: it.Rec.Row, Key: it.KeyHex(), Kind: string(it.Params.Kind), Params: body, File: name,
		SHA256: codefile.ContentSHA256(c.Bytes), Bytes: len(c.Bytes), Format: string(c.Format),
		Width: c.Width, Height: c.Height, Received: rec}
}
