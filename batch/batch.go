package batch

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"io"
	"os"
	"time"

	"wxacode/codefile"
	"wxacode/troubleshoot"
	"wxacode/wechat"
)

// Generator makes one code. *wechat.Client is one; tests use fakes.
type Generator interface {
	Get(ctx context.Context, req wechat.Request) (*wechat.Code, error)
}

// Quota is the lifetime ledger of getwxacode + createwxaqrcode (*wechat.Ledger).
type Quota interface {
	Used() int
	Seen(p wechat.Params) bool
}

// Options configures a run.
type Options struct {
	In     string        // input file (CSV, TSV or JSONL)
	Format Format        // "" detects from the name and the first bytes
	Out    string        // output folder, created when missing
	Base   wechat.Params // what a row leaves out: flags and config
	Name   string        // file-name template (codefile.RenderName); "" names by parameter hash

	// Generator makes the calls and paces them: the client's one limiter
	// (WithRateLimit) is shared by every worker.
	Generator Generator
	// Concurrency is how many calls are in flight at most; 0 (the default)
	// is auto: enough for Rate at the latency observed (see gate), up to
	// MaxConcurrency, fewer when WeChat or the network pushes back.
	Concurrency int
	// Rate is the generator's calls per minute (the client's limiter,
	// --rate), which auto concurrency keeps in flight for; 0: no limit known.
	Rate       int
	Quota      Quota // nil: an empty ledger in memory, so only this run's new codes count
	AllowQuota bool  // go past wechat.LifetimeQuota limited codes
	DryRun     bool  // validate and count, call nothing
	// Flatten, when set, draws the transparent (is_hyaline) rows' codes onto
	// this colour, saved in the format of their names (see flatten.go).
	Flatten *color.RGBA

	// Retries is how many more times a row is tried after a transient failure
	// (-1, 5xx, transport, truncated image) the generator gave up on; default 3.
	Retries int
	Backoff time.Duration // first retry delay, doubled each time; default 1 s

	// Now is every clock read: 45009 pauses, elapsed time, rate and ETA, and
	// a manifest line's time when the generator gives none; default time.Now.
	// Waits (pauses, back-off) and the progress tick still run on real timers.
	Now  func() time.Time
	Hint func(code int) string // hint for an errcode in the failed file; nil: troubleshoot.HintFor's title
	// Redact scrubs every text the run writes that came from elsewhere (the
	// failed file's errmsg and hint, warnings): the session's one redactor,
	// (*wechat.Redactor).Redact. nil: wechat.Redact, credentials by name only.
	Redact func(string) string

	OnProblem  func(RowProblem) // each validation problem, as found
	OnWarning  func(string)     // manifest repairs and the like
	OnProgress func(Progress)   // after each row and every second
}

// RowProblem is a validation problem of one input row, as a line for people
// (wechat.ProblemLines: a repeated problem lists its positions once).
type RowProblem struct {
	Row, Line int
	Problem   string
}

// String is the problem as listed: "row N (line L): field: what; fix".
func (p RowProblem) String() string {
	return fmt.Sprintf("row %d (line %d): %s", p.Row, p.Line, p.Problem)
}

// Progress is a snapshot for progress display.
type Progress struct {
	Total                     int // rows in the input
	Written, Skipped, Failed  int
	Pending                   int // rows not finished (interrupted)
	Calls                     int // generator calls made, batch's own retries included
	Requests                  int // HTTP requests those calls sent, the client's retries included
	Retries                   int // requests beyond the first of each row
	RateLimited               int // 45009 answers, each pausing every worker to the next minute
	Elapsed                   time.Duration
	RatePerMin                float64       // rows finished through calls, per minute
	Concurrency               int           // calls allowed in flight now (auto changes it)
	PeakInFlight              int           // the most calls in flight at once
	ETA                       time.Duration // 0 when unknown
	PausedUntil               time.Time     // set while a 45009 pause holds every worker
	Done                      int           // written + skipped + failed
	DistinctRows, AlreadyDone int           // dry run only
	WouldCall                 int           // dry run only
}

// Summary is the outcome of a run.
type Summary struct {
	Progress
	Duplicates int    // rows skipped as repeats of an earlier row (part of Skipped)
	Invalid    int    // rows with validation problems
	Manifest   string // path of the manifest
	FailedFile string // path of the failed-rows file, "" when none failed
}

// String is the closing line: "written N, skipped N, failed N".
func (s Summary) String() string {
	return fmt.Sprintf("written %d, skipped %d, failed %d", s.Written, s.Skipped, s.Failed)
}

// InvalidError means rows failed validation; nothing was called.
type InvalidError struct{ Rows, Problems int }

// Error says how many rows are invalid and that nothing was called.
func (e *InvalidError) Error() string {
	return fmt.Sprintf("%d row(s) have %d problem(s); nothing was called: fix them and run again (--dry-run lists them)", e.Rows, e.Problems)
}

// InputError means the input or the options cannot be used as given: the
// input cannot be opened, its header is unusable, the name template is
// broken. Nothing was called; it is a usage error.
type InputError struct {
	What string // "input FILE", "--name"
	Err  error
}

// Error names what is wrong and where.
func (e *InputError) Error() string { return e.What + ": " + e.Err.Error() }

// Unwrap is the cause.
func (e *InputError) Unwrap() error { return e.Err }

// QuotaError means the run would take the limited pool past wechat.LifetimeQuota.
type QuotaError struct{ Used, New int }

// Error says how far past the pool the run would go, and the way out.
func (e *QuotaError) Error() string {
	return fmt.Sprintf("this run would generate %d new limited code(s) on top of the %d already used, passing WeChat's lifetime limit of %d (45029); nothing was called: use unlimited (getwxacodeunlimit) codes, or pass --allow-quota", e.New, e.Used, wechat.LifetimeQuota)
}

// Run validates every row, then generates what the manifest does not already
// prove done. The error is *InvalidError, *QuotaError, the context's error
// when interrupted, or a setup failure; failed rows are not an error (see
// Summary.Failed).
func Run(ctx context.Context, opt Options) (Summary, error) {
	opt.defaults()
	sum := Summary{}
	if opt.Generator == nil && !opt.DryRun {
		return sum, errors.New("batch: no generator")
	}
	if _, err := codefile.RenderName(opt.Name, codefile.NameFields{Kind: "unlimited", Page: "p", Scene: "s", Hash: "h", Row: 1, Ext: "jpg"}); err != nil {
		return sum, &InputError{What: "--name", Err: err}
	}
	format, err := opt.detect()
	if err != nil {
		return sum, &InputError{What: "input", Err: err}
	}
	// The lock comes before anything in --out is read: a manifest read
	// while another run appends to it would take that run's half-written
	// line for a torn one and cut the file there, erasing its later lines.
	// A dry run only reads and counts, so it takes no lock.
	var lock *os.File
	if !opt.DryRun {
		if lock, err = lockFolder(opt.Out); err != nil {
			return sum, err
		}
		defer func() {
			if lock != nil {
				lock.Close()
			}
		}()
	}
	ms, err := loadManifest(opt.Out)
	if err != nil {
		return sum, err
	}
	for _, w := range ms.warnings {
		opt.warn(w)
	}
	if err := validatePass(ctx, &opt, format, ms.done, &sum); err != nil {
		return sum, err
	}
	if opt.DryRun {
		return sum, nil
	}
	if lock == nil { // the folder is new: make it, lock it, and read what another run may have put there since
		if err := os.MkdirAll(opt.Out, 0o755); err != nil {
			return sum, fmt.Errorf("output folder: %w", err)
		}
		if lock, err = lockFolder(opt.Out); err != nil {
			return sum, err
		}
		if ms, err = loadManifest(opt.Out); err != nil {
			return sum, err
		}
		for _, w := range ms.warnings {
			opt.warn(w)
		}
	}
	mw, err := openManifest(opt.Out)
	if err != nil {
		return sum, err
	}
	defer mw.Close()
	if err := mw.cut(ms.cutAt); err != nil {
		return sum, err
	}
	if n := removeTemps(opt.Out); n > 0 {
		opt.warn(fmt.Sprintf("removed %d temporary file(s) left by an interrupted run", n))
	}
	return generatePass(ctx, &opt, format, ms, mw, sum)
}

func (o *Options) defaults() {
	if o.Concurrency < 0 {
		o.Concurrency = 0 // auto
	}
	if o.Retries == 0 {
		o.Retries = 3
	}
	if o.Retries < 0 {
		o.Retries = 0
	}
	if o.Backoff <= 0 {
		o.Backoff = time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Base.Kind == "" {
		o.Base.Kind = wechat.KindUnlimited
	}
	if o.Hint == nil {
		o.Hint = hintTitle
	}
	if o.Quota == nil {
		o.Quota, _ = wechat.NewLedger("") // in memory: cannot fail
	}
}

// hintTitle is the one-line troubleshooting hint for the failed file.
func hintTitle(code int) string {
	if h, ok := troubleshoot.HintFor(code); ok {
		return h.Title
	}
	return ""
}

func (o *Options) warn(s string) {
	if o.OnWarning != nil {
		o.OnWarning(s)
	}
}

func (o *Options) detect() (Format, error) {
	if o.Format != "" {
		return o.Format, nil
	}
	f, err := os.Open(o.In)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := f.Read(head)
	return DetectFormat(o.In, head[:n]), nil
}

// openInput opens the input for one streaming pass.
func (o *Options) openInput(format Format) (*os.File, *reader, error) {
	f, err := os.Open(o.In)
	if err != nil {
		return nil, nil, &InputError{What: "input", Err: err}
	}
	rd, err := newReader(f, format)
	if err != nil {
		f.Close()
		return nil, nil, &InputError{What: "input " + o.In, Err: err}
	}
	return f, rd, nil
}

// validatePass reads the whole input once, calling nothing: every problem is
// reported, rows are counted, and the limited-pool budget is checked.
func validatePass(ctx context.Context, o *Options, format Format, done *keySet, sum *Summary) error {
	f, rd, err := o.openInput(format)
	if err != nil {
		return err
	}
	defer f.Close()
	var limited keySet // new limited codes this run would make
	var distinct keySet
	problems := 0
	for {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		rec, err := rd.next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return fmt.Errorf("input %s: %w", o.In, err)
		}
		sum.Total++
		it, ps := parseRecord(rec, o.Base)
		if len(ps) == 0 {
			ps = targetProblems(o.Out, o.Name, it)
		}
		if len(ps) > 0 {
			sum.Invalid++
			lines := wechat.ProblemLines(ps)
			problems += len(lines)
			if o.OnProblem != nil {
				for _, line := range lines {
					o.OnProblem(RowProblem{Row: rec.Row, Line: rec.Line, Problem: line})
				}
			}
			continue
		}
		if o.DryRun {
			if distinct.Add(it.Key) {
				sum.DistinctRows++
				if done.Has(it.Key) {
					sum.AlreadyDone++
				} else {
					sum.WouldCall++
				}
			}
		}
		if it.Params.Kind.Limited() && !done.Has(it.Key) && !o.Quota.Seen(it.Params) {
			limited.Add(it.Key)
		}
	}
	if sum.Invalid > 0 {
		return &InvalidError{Rows: sum.Invalid, Problems: problems}
	}
	if !o.AllowQuota && limited.Len() > 0 && o.Quota.Used()+limited.Len() > wechat.LifetimeQuota {
		return &QuotaError{Used: o.Quota.Used(), New: limited.Len()}
	}
	return nil
}

// Line is the plain progress line: "done 1200/5000 failed 3 rate 4980/min concurrency 21 eta 46s".
func (p Progress) Line() string {
	s := fmt.Sprintf("done %d/%d failed %d rate %.0f/min", p.Done, p.Total, p.Failed, p.RatePerMin)
	if p.Concurrency > 0 {
		s += fmt.Sprintf(" concurrency %d", p.Concurrency)
	}
	switch {
	case !p.PausedUntil.IsZero():
		s += " paused (45009) until " + p.PausedUntil.Format("15:04:05")
	case p.ETA > 0:
		s += " eta " + p.ETA.Round(time.Second).String()
	default:
		s += " eta -"
	}
	return s
}
