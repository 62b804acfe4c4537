package batch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	entry *codefile.ManifestEntry // written, or skipped after adopting a file already there
	why   failure
	calls int
}

// generatePass streams the input a second time: rows the manifest proves done
// and repeats are skipped at once, the rest go to the workers; the collector
// (this goroutine) appends manifest lines and failed rows as results arrive.
func generatePass(ctx context.Context, o *Options, format Format, done *keySet, mw *manifestWriter, sum Summary) (Summary, error) {
	f, rd, err := o.openInput(format)
	if err != nil {
		return sum, err
	}
	defer f.Close()
	sum.Manifest = filepath.Join(o.Out, ManifestName)
	fw := newFailedWriter(o.Out, format, rd.Header())

	jobs := make(chan *Item, o.Concurrency*2)
	results := make(chan result, o.Concurrency*2)
	var feedErr error
	g := &gen{o: o}
	go func() { // feeder
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
	for range o.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range jobs {
				results <- g.process(ctx, it)
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	start := o.Now()
	var viaCalls int
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var firstErr error
	report := func() {
		if o.OnProgress == nil {
			return
		}
		p := sum.Progress
		p.Calls = int(g.calls.Load())
		p.RateLimited = int(g.rateLimited.Load())
		p.Elapsed = o.Now().Sub(start)
		p.PausedUntil = g.pausedUntil()
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
			if r.entry != nil {
				if err := mw.Append(*r.entry); err != nil && firstErr == nil {
					firstErr = err
				}
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
	sum.Calls = int(g.calls.Load())
	sum.RateLimited = int(g.rateLimited.Load())
	sum.Elapsed = o.Now().Sub(start)
	if ctx.Err() != nil {
		sum.Pending = sum.Total - sum.Done
	}
	path, err := fw.Close()
	if err != nil && firstErr == nil {
		firstErr = fmt.Errorf("failed-rows file: %w", err)
	}
	sum.FailedFile = path
	switch {
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
	calls atomic.Int64
	// rateLimited counts 45009 answers that paused the run.
	rateLimited atomic.Int64
	mu          sync.Mutex
	until       time.Time // no call before this (45009: wait for the next minute)
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

// maxPauses bounds how often one row waits out a 45009 before it is failed,
// so a quota that never comes back cannot hang the run.
const maxPauses = 5

// process takes one row to its final state.
func (g *gen) process(ctx context.Context, it *Item) result {
	o := g.o
	res := result{rec: it.Rec}
	if e := g.adopt(it); e != nil {
		res.state, res.entry = stSkipped, e
		return res
	}
	if !o.AllowQuota && it.Params.Kind.Limited() && !o.Quota.Seen(it.Params) && o.Quota.Used() >= wechat.LifetimeQuota {
		res.state = stFailed
		res.why = failure{Code: 45029, Msg: fmt.Sprintf("not called: the limited pool has reached %d; pass --allow-quota to try anyway", wechat.LifetimeQuota)}
		return res
	}
	req := it.Params.Request()
	var code *wechat.Code
	attempts, pauses := 0, 0
	for {
		if err := g.waitPause(ctx); err != nil {
			res.state = stPending
			return res
		}
		c, err := o.Generator.Get(ctx, req)
		if !errors.Is(err, wechat.ErrNotSent) {
			g.calls.Add(1)
			res.calls++
		}
		if err == nil {
			err = checkImage(c)
		}
		if err == nil {
			code = c
			break
		}
		if ctx.Err() != nil {
			res.state = stPending
			return res
		}
		if until, ok := rateLimited(err, it.Params.Kind, o.Now()); ok && pauses < maxPauses {
			pauses++
			g.rateLimited.Add(1)
			g.pause(until)
			continue
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

// write lands the code with atomicfile.WriteNew, which never replaces a file. The
// same bytes already there (an earlier run killed before its manifest line)
// count as written; different bytes fail the row.
func (g *gen) write(it *Item, c *wechat.Code) (*codefile.ManifestEntry, error) {
	name, err := g.fileName(it, c.Format, c.Width)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(g.o.Out, name)
	sum := sha256.Sum256(c.Bytes)
	if err := atomicfile.WriteNew(path, c.Bytes, 0o644); err != nil {
		if !errors.Is(err, atomicfile.ErrExists) {
			return nil, err
		}
		old, rerr := os.ReadFile(path)
		if rerr != nil || sha256.Sum256(old) != sum {
			return nil, fmt.Errorf("%s already exists with different content and batch never overwrites: move it away, or choose a --name template that gives each row its own name", name)
		}
	}
	return g.entry(it, name, c, sum), nil
}

func (g *gen) entry(it *Item, name string, c *wechat.Code, sum [32]byte) *codefile.ManifestEntry {
	body, _ := it.Params.Request().Body()
	rec := c.Received
	if rec.IsZero() {
		rec = g.o.Now().UTC()
	}
	return &codefile.ManifestEntry{Row: it.Rec.Row, Key: it.KeyHex(), Kind: string(it.Params.Kind), Params: body, File: name,
		SHA256: hex.EncodeToString(sum[:]), Bytes: len(c.Bytes), Format: string(c.Format),
		Width: c.Width, Height: c.Height, Received: rec}
}

// adopt finds a code an earlier run wrote but could not record (killed between
// the rename and the manifest line). Only default, hash-based names are
// adopted without a call: such a name can only hold this row's code.
func (g *gen) adopt(it *Item) *codefile.ManifestEntry {
	if it.File != "" || (g.o.Name != "" && g.o.Name != codefile.DefaultNameTemplate) {
		return nil
	}
	for _, f := range []wechat.Format{wechat.FormatJPEG, wechat.FormatPNG} {
		name, err := g.fileName(it, f, 0)
		if err != nil {
			return nil
		}
		b, err := os.ReadFile(filepath.Join(g.o.Out, name))
		if err != nil {
			continue
		}
		got, ok := wechat.SniffFormat(b)
		c := &wechat.Code{Bytes: b, Format: got}
		if !ok || got != f || checkImage(c) != nil {
			return nil // not ours to use; WriteNew will refuse to replace it and say so
		}
		return g.entry(it, name, c, sha256.Sum256(b))
	}
	return nil
}
