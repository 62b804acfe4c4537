package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"wxacode/ui"
	"wxacode/wechat"
	"wxacode/wechat/batch"
)

const batchUsage = `Usage: wxacode batch --in FILE --out DIR [flags]

Pre-generates one code per input row. Input: CSV, TSV or JSONL with any of the
columns kind, scene, page, path, width, env_version, check_path, auto_color,
line_color, hyaline, file; a row's empty or missing values come from the flags.
Every row is validated before any call. Files land atomically and are listed in
DIR/manifest.jsonl; failed rows go to DIR/failed.<format>, ready to fix and
feed back. Run again with the same arguments to resume.

Flags:
`

// maxProblemsShown bounds the validation problems printed.
const maxProblemsShown = 1000

// batchFlags are the command's flags; request defaults fill what rows leave out.
type batchFlags struct {
	in, out, name            string
	kind, page, path, env    string
	checkPath, lineColor     string
	width, concurrency, rate int
	autoColor, hyaline       bool
	dryRun, allowQuota, sim  bool
	baseURL                  string
}

func cmdBatch(ctx context.Context, args []string, io stdio) int {
	var f batchFlags
	fs := flag.NewFlagSet("batch", flag.ContinueOnError)
	fs.SetOutput(io.err)
	fs.Usage = func() { fmt.Fprint(io.err, batchUsage); fs.PrintDefaults() }
	fs.StringVar(&f.in, "in", "", "input `FILE` (.csv, .tsv, .jsonl; sniffed otherwise)")
	fs.StringVar(&f.out, "out", "", "output `DIR` (created when missing)")
	fs.StringVar(&f.kind, "kind", "unlimited", "default endpoint: unlimited, limited or qrcode")
	fs.IntVar(&f.concurrency, "concurrency", 8, "parallel requests")
	fs.IntVar(&f.rate, "rate", 5000, "calls per minute, shared by all workers (WeChat: 5000)")
	fs.StringVar(&f.name, "name", "", "file-name `TEMPLATE`, e.g. {page}_{scene}_{width}.{ext}; default {hash}.{ext}")
	fs.BoolVar(&f.dryRun, "dry-run", false, "validate every row and count, call nothing")
	fs.BoolVar(&f.allowQuota, "allow-quota", false, "allow limited/qrcode codes past the 100,000 lifetime pool")
	fs.StringVar(&f.page, "page", "", "default page (unlimited)")
	fs.StringVar(&f.path, "path", "", "default path (limited, qrcode)")
	fs.StringVar(&f.env, "env-version", "", "default env_version: release, trial or develop")
	fs.StringVar(&f.checkPath, "check-path", "", "default check_path: true or false (empty: WeChat's default, true)")
	fs.IntVar(&f.width, "width", 0, "default width, 280-1280 (0: WeChat's default, 430)")
	fs.BoolVar(&f.autoColor, "auto-color", false, "default auto_color")
	fs.StringVar(&f.lineColor, "line-color", "", "default line colour, #rrggbb or r,g,b")
	fs.BoolVar(&f.hyaline, "hyaline", false, "default is_hyaline (transparent PNG)")
	fs.BoolVar(&f.sim, "sim", false, "use the built-in simulator")
	fs.StringVar(&f.baseURL, "base-url", "", "API base URL (a `wxacode sim` on loopback, for example)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(io.err, "wxacode batch: unexpected argument %q; flags go before it, the input is --in FILE\n", fs.Arg(0))
		return exitUsage
	}
	if f.in == "" || f.out == "" {
		fmt.Fprintln(io.err, "wxacode batch: --in FILE and --out DIR are both required, for example: wxacode batch --in codes.csv --out codes/")
		return exitUsage
	}
	base, err := f.params()
	if err != nil {
		fmt.Fprintf(io.err, "wxacode batch: %v\n", err)
		return exitUsage
	}
	if f.concurrency < 1 || f.rate < 1 {
		fmt.Fprintln(io.err, "wxacode batch: --concurrency and --rate must be at least 1")
		return exitUsage
	}

	opt := batch.Options{In: f.in, Out: f.out, Base: base, Name: f.name, Concurrency: f.concurrency,
		DryRun: f.dryRun, AllowQuota: f.allowQuota}
	problemsTo := io.err
	if f.dryRun {
		problemsTo = io.out
	}
	shown := 0
	opt.OnProblem = func(p batch.RowProblem) {
		// A broken export can make every row invalid: list enough to see the pattern.
		if shown++; shown <= maxProblemsShown {
			fmt.Fprintln(problemsTo, p)
		} else if shown == maxProblemsShown+1 {
			fmt.Fprintf(problemsTo, "… more problems not listed (the first %d are above)\n", maxProblemsShown)
		}
	}
	opt.OnWarning = func(s string) { fmt.Fprintln(io.err, "warning:", s) }
	if !f.dryRun {
		gen, quota, closeFn, err := batchGenerator(ctx, f)
		if err != nil {
			fmt.Fprintf(io.err, "wxacode batch: %v\n", err)
			return exitUsage
		}
		defer closeFn()
		opt.Generator, opt.Quota = gen, quota
	}
	pr := newProgressPrinter(io.out)
	if !f.dryRun {
		opt.OnProgress = pr.update
	}
	sum, err := batch.Run(ctx, opt)
	pr.finish()
	return batchResult(sum, err, f.dryRun, io)
}

// batchResult prints the summary and picks the exit code: 0 only when no row failed.
func batchResult(sum batch.Summary, err error, dryRun bool, io stdio) int {
	var ie *batch.InvalidError
	var qe *batch.QuotaError
	switch {
	case errors.As(err, &ie):
		fmt.Fprintf(io.err, "wxacode batch: %v\n", err)
		return exitUsage
	case errors.As(err, &qe):
		fmt.Fprintf(io.err, "wxacode batch: %v\n", err)
		return exitUsage
	case dryRun && err == nil:
		fmt.Fprintf(io.out, "rows %d, distinct %d, already done %d, would call %d; no problems found\n",
			sum.Total, sum.DistinctRows, sum.AlreadyDone, sum.WouldCall)
		return exitOK
	}
	if sum.Manifest != "" {
		fmt.Fprintln(io.out, sum.String())
		if sum.Duplicates > 0 {
			fmt.Fprintf(io.out, "(%d of the skipped rows repeat an earlier row)\n", sum.Duplicates)
		}
		fmt.Fprintf(io.out, "calls %d in %s; manifest %s\n", sum.Calls, sum.Elapsed.Round(time.Millisecond), sum.Manifest)
		if sum.FailedFile != "" {
			fmt.Fprintf(io.out, "failed rows: %s (fix them and run it as --in)\n", sum.FailedFile)
		}
	}
	switch {
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(io.err, "wxacode batch: interrupted with %d row(s) unfinished; run the same command again to resume\n", sum.Pending)
		return exitInterrupted
	case err != nil:
		fmt.Fprintf(io.err, "wxacode batch: %v\n", err)
		return exitUnexpected
	case sum.Failed > 0:
		return exitAPI
	}
	return exitOK
}

// params is the base request: what every row starts from.
func (f batchFlags) params() (wechat.Params, error) {
	k, err := wechat.ParseKind(f.kind)
	if err != nil {
		return wechat.Params{}, err
	}
	p := wechat.Params{Kind: k, Page: f.page, Path: f.path, EnvVersion: f.env, Width: f.width,
		AutoColor: f.autoColor, Hyaline: f.hyaline}
	switch strings.ToLower(f.checkPath) {
	case "":
	case "true", "1", "yes":
		p.CheckPath = wechat.Bool(true)
	case "false", "0", "no":
		p.CheckPath = wechat.Bool(false)
	default:
		return p, fmt.Errorf("--check-path %q: write true or false", f.checkPath)
	}
	if f.lineColor != "" {
		c, err := wechat.ParseColor(f.lineColor)
		if err != nil {
			return p, fmt.Errorf("--line-color: %v", err)
		}
		p.LineColor = &c
	}
	return p, nil
}

// progressPrinter draws a bar in place on a terminal, and a plain line every
// two seconds otherwise (logs, CI).
type progressPrinter struct {
	w     io.Writer
	tty   bool
	width int
	last  time.Time
	drawn bool
}

func newProgressPrinter(w io.Writer) *progressPrinter {
	p := &progressPrinter{w: w, width: 100}
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 20 {
		p.width = n - 1
	}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *progressPrinter) update(pr batch.Progress) {
	every := 2 * time.Second
	if p.tty {
		every = 200 * time.Millisecond
	}
	if time.Since(p.last) < every {
		return
	}
	p.last = time.Now()
	if p.tty {
		fmt.Fprintf(p.w, "\r%s\x1b[K", ui.BatchProgress(pr, p.width))
		p.drawn = true
		return
	}
	fmt.Fprintln(p.w, pr.Line())
}

func (p *progressPrinter) finish() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
