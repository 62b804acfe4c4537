package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"wxacode/batch"
	"wxacode/config"
	"wxacode/ui"
)

const batchUsage = `Usage: wxacode batch --in FILE --out DIR [flags]

Pre-generates one code per input row. Input: CSV, TSV or JSONL with any of the
columns kind, scene, page, path, width, env_version, check_path, auto_color,
line_color, hyaline, file; a row's empty or missing values come from the
request flags, then the config's [defaults].
Every row is validated before any call. Files land atomically and are listed in
DIR/manifest.jsonl; failed rows go to DIR/failed.<format>, ready to fix and
feed back. Run again with the same arguments to resume.

Flags:
`

// maxProblemsShown bounds the validation problems printed.
const maxProblemsShown = 1000

// batchFlags are the command's own flags.
type batchFlags struct {
	in, out, name      string
	concurrency, rate  int
	dryRun, allowQuota bool
}

func cmdBatch(ctx context.Context, args []string, io stdio) int {
	fs := flag.NewFlagSet("wxacode batch", flag.ContinueOnError)
	fs.SetOutput(io.err)
	fs.Usage = func() { fmt.Fprint(io.err, batchUsage); fs.PrintDefaults() }
	f := addBatchFlags(fs)
	setup, err := parseRequestFlags(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	cfg, p := setup.Config, setup.Params
	f.rateFromConfig(fs, cfg)
	for _, w := range setup.Warnings {
		fmt.Fprintln(io.err, "warning:", w)
	}
	var problems []string
	problems = append(problems, setup.Problems...)
	if fs.NArg() > 0 {
		problems = append(problems, fmt.Sprintf("unexpected argument %q: the input is --in FILE", fs.Arg(0)))
	}
	if f.in == "" || f.out == "" {
		problems = append(problems, "--in FILE and --out DIR are both required, for example: wxacode batch --in codes.csv --out codes/")
	}
	if f.concurrency < 1 {
		problems = append(problems, "--concurrency must be at least 1")
	}
	if f.rate < 0 {
		problems = append(problems, "--rate must be a positive number of calls per minute (0: no client-side limit)")
	}
	if len(problems) > 0 {
		for _, pr := range problems {
			fmt.Fprintf(io.err, "wxacode batch: %s\n", pr)
		}
		return exitUsage
	}
	cfg.RatePerMinute = f.rate

	opt := batch.Options{In: f.in, Out: f.out, Base: p, Name: f.name, Concurrency: f.concurrency,
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

	// The session gives the client (whose limiter is the only one) and the
	// quota ledger; a dry run needs the ledger too, but calls nothing.
	s, err := openClient(cfg, false)
	if err != nil {
		fmt.Fprintf(io.err, "wxacode batch: %v\n", err)
		return exitUsage
	}
	defer s.Close()
	if s.OnSim && !f.dryRun {
		fmt.Fprintln(io.err, s.Notice)
	}
	for _, w := range s.Warnings {
		fmt.Fprintln(io.err, "warning:", w)
	}
	gen, quota := batchDeps(s)
	opt.Quota = quota
	pr := newProgressPrinter(io.out)
	if !f.dryRun {
		opt.Generator = gen
		opt.OnProgress = pr.update
	}
	sum, err := batch.Run(ctx, opt)
	pr.finish()
	return batchResult(sum, err, f.dryRun, io)
}

// addBatchFlags registers batch's own flags; the request and connection flags
// are the shared ones (addParamFlags, addCommonFlags).
func addBatchFlags(fs *flag.FlagSet) *batchFlags {
	f := &batchFlags{}
	fs.StringVar(&f.in, "in", "", "input `FILE` (.csv, .tsv, .jsonl; sniffed otherwise)")
	fs.StringVar(&f.out, "out", "", "output `DIR` (created when missing)")
	fs.IntVar(&f.concurrency, "concurrency", 8, "parallel requests")
	fs.IntVar(&f.rate, "rate", 5000, "getwxacodeunlimit calls per minute, shared by all workers (default: rate_per_minute from config, else 5000; WeChat allows 5000; 0: no limit)")
	fs.StringVar(&f.name, "name", "", "file-name `TEMPLATE`, e.g. {page}_{scene}_{width}.{ext} (default: {hash}.{ext}, the parameters' hash)")
	fs.BoolVar(&f.dryRun, "dry-run", false, "validate every row and count, call nothing")
	fs.BoolVar(&f.allowQuota, "allow-quota", false, "allow limited/qrcode codes past the 100,000 lifetime pool")
	return f
}

// rateFromConfig takes rate_per_minute from the config unless --rate was given.
func (f *batchFlags) rateFromConfig(fs *flag.FlagSet, cfg config.Config) {
	if !flagSet(fs, "rate") {
		f.rate = cfg.RatePerMinute
	}
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
		fmt.Fprintf(p.w, "\r%s\x1b[K", ui.BatchProgress(ui.BatchStatus{Done: pr.Done, Total: pr.Total, Text: pr.Line()}, p.width))
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
