package cli

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"wxacode/batch"
	"wxacode/codeimage"
	"wxacode/config"
)

// maxProblemsShown bounds the validation problems printed.
const maxProblemsShown = 1000

// batchFlags are the command's own flags.
type batchFlags struct {
	in, out, name      string
	flatten            string
	concurrency        string // "auto" or a number
	rate               int
	dryRun, allowQuota bool
	json               bool
}

// newBatchCmd is `wxacode batch`: many codes, validated first, resumable.
func newBatchCmd(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "batch --in FILE --out DIR",
		Short: "Generate many codes ahead of time, resumable",
		Long: `Pre-generates one code per input row. Input: CSV, TSV or JSONL with any of the
columns kind, scene, page, path, width, env_version, check_path, auto_color,
line_color, hyaline, file; a row's empty or missing values come from the
request flags, then the config's [defaults].
Every row is validated before any call. Files land atomically and are listed in
DIR/manifest.jsonl; failed rows go to DIR/failed.<format>, ready to fix and
feed back. Run again with the same arguments to resume.
--flatten white|#rrggbb draws the hyaline rows' codes onto that colour, saved
in the format of their names (.jpg: JPEG, .png or {ext}: PNG without alpha);
their manifest lines keep WeChat's sha256 under "flattened".
Exit 0 when no row failed, 3 when some did, 2 for usage, validation or quota
problems, 130 when interrupted.`,
		Example: `  wxacode batch --in codes.csv --out codes/
  wxacode batch --in codes.csv --out codes/ --dry-run
  wxacode batch --in codes.csv --out codes/ --dry-run --json
  wxacode batch --in codes.csv --out codes/ --hyaline --flatten white --name '{scene}.jpg'
  wxacode batch --in rows.jsonl --out out/ --kind limited --allow-quota --name '{page}_{scene}_{width}.{ext}'`,
	}
	setup := addRequestFlags(cmd.Flags(), f)
	bf := addBatchFlags(cmd.Flags())
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		s := setup()
		bf.rateFromConfig(cmd.Flags(), s.Config)
		return runBatch(cmd.Context(), f, s, bf, args)
	}
	return cmd
}

// addBatchFlags registers batch's own flags; the request and connection flags
// are the shared ones (addRequestFlags).
func addBatchFlags(fs *pflag.FlagSet) *batchFlags {
	f := &batchFlags{}
	fs.StringVar(&f.in, "in", "", "input FILE (.csv, .tsv, .jsonl; sniffed otherwise)")
	fs.StringVar(&f.out, "out", "", "output DIR (created when missing)")
	fs.StringVar(&f.concurrency, "concurrency", "auto", "calls in flight: auto (enough for --rate at the latency seen, up to 128, fewer when WeChat pushes back) or a fixed N")
	fs.IntVar(&f.rate, "rate", 5000, "getwxacodeunlimit calls per minute, shared by all workers (default: rate_per_minute from config, else 5000; WeChat allows 5000; 0: no limit)")
	fs.StringVar(&f.name, "name", "", "file-name TEMPLATE, e.g. {page}_{scene}_{width}.{ext} (default: {hash}.{ext}, the parameters' hash)")
	fs.BoolVar(&f.dryRun, "dry-run", false, "validate every row and count, call nothing")
	fs.BoolVar(&f.allowQuota, "allow-quota", false, "allow limited/qrcode codes past the 100,000 lifetime pool")
	fs.StringVar(&f.flatten, "flatten", "", "draw hyaline rows' codes onto white or #rrggbb, saved as their names' extensions say (.jpg or .png, no alpha)")
	fs.BoolVar(&f.json, "json", false, "with --dry-run: print the counts and problems as JSON")
	return f
}

// rateFromConfig takes rate_per_minute from the config unless --rate was given.
func (f *batchFlags) rateFromConfig(fs *pflag.FlagSet, cfg config.Config) {
	if !fs.Changed("rate") {
		f.rate = cfg.RatePerMinute
	}
}

func runBatch(ctx context.Context, f *Factory, setup requestSetup, bf *batchFlags, args []string) error {
	ios := f.IOStreams
	for _, w := range setup.Warnings {
		fmt.Fprintln(ios.ErrOut, "warning:", w)
	}
	problems := setup.Problems
	if len(args) > 0 {
		problems = append(problems, fmt.Sprintf("unexpected argument %q: the input is --in FILE", args[0]))
	}
	if bf.in == "" || bf.out == "" {
		problems = append(problems, "--in FILE and --out DIR are both required, for example: wxacode batch --in codes.csv --out codes/")
	}
	concurrency, err := parseConcurrency(bf.concurrency)
	if err != nil {
		problems = append(problems, err.Error())
	}
	if bf.rate < 0 {
		problems = append(problems, "--rate must be a positive number of calls per minute (0: no client-side limit)")
	}
	var flatten *color.RGBA
	if bf.flatten != "" {
		if bg, err := codeimage.ParseBackground(bf.flatten); err != nil {
			problems = append(problems, "--flatten "+err.Error())
		} else {
			flatten = &bg
		}
	}
	if bf.json && !bf.dryRun {
		problems = append(problems, "--json goes with --dry-run: a run's own record is DIR/manifest.jsonl, one JSON line a file")
	}
	if len(problems) > 0 {
		return usageErrorf("%s", prefixLines("wxacode batch: ", problems))
	}
	// The session's limiter is the only one: every worker shares it.
	f.RatePerMinute = &bf.rate

	opt := batch.Options{In: bf.in, Out: bf.out, Base: setup.Params, Name: bf.name, Concurrency: concurrency, Rate: bf.rate,
		DryRun: bf.dryRun, AllowQuota: bf.allowQuota, Flatten: flatten}
	problemsTo := ios.ErrOut
	if bf.dryRun {
		problemsTo = ios.Out
	}
	shown := 0
	var dry dryRunJSON
	opt.OnProblem = func(p batch.RowProblem) {
		// A broken export can make every row invalid: list enough to see the pattern.
		if bf.json {
			if dry.ProblemCount++; dry.ProblemCount <= maxProblemsShown {
				dry.Problems = append(dry.Problems, rowProblemJSON{p.Row, p.Line, p.Problem})
			}
			return
		}
		if shown++; shown <= maxProblemsShown {
			fmt.Fprintln(problemsTo, p)
		} else if shown == maxProblemsShown+1 {
			fmt.Fprintf(problemsTo, "… more problems not listed (the first %d are above)\n", maxProblemsShown)
		}
	}
	opt.OnWarning = func(s string) { fmt.Fprintln(ios.ErrOut, "warning:", f.redact(s)) }
	opt.Redact = f.redact
	opt.Backoff = f.batchBackoff

	// The session gives the client and the quota ledger; a dry run needs the
	// ledger too, but calls nothing.
	s, err := f.Session()
	if err != nil {
		return usageErrorf("wxacode batch: %v", err)
	}
	if s.OnSim && !bf.dryRun {
		fmt.Fprintln(ios.ErrOut, s.Notice)
	}
	for _, w := range s.Warnings {
		fmt.Fprintln(ios.ErrOut, "warning:", w)
	}
	opt.Quota = s.Ledger
	pr := newProgressPrinter(ios)
	if !bf.dryRun {
		opt.Generator = s.Client
		opt.OnProgress = pr.update
	}
	sum, err := batch.Run(ctx, opt)
	pr.finish()
	if bf.json {
		if jerr := printDryRunJSON(f, &dry, sum, err); jerr != nil {
			return jerr
		}
	}
	return batchResult(ios, sum, err, bf.dryRun && !bf.json)
}

// dryRunJSON is `batch --dry-run --json`: the counts, and every validation
// problem (the first maxProblemsShown; problem_count has them all). error
// is why a run would stop before any call (invalid rows, the lifetime
// pool), null when it would go ahead.
type dryRunJSON struct {
	Rows         int              `json:"rows"`
	Distinct     int              `json:"distinct"`
	AlreadyDone  int              `json:"already_done"`
	WouldCall    int              `json:"would_call"`
	InvalidRows  int              `json:"invalid_rows"`
	ProblemCount int              `json:"problem_count"`
	Problems     []rowProblemJSON `json:"problems"`
	Error        *string          `json:"error"`
}

type rowProblemJSON struct {
	Row     int    `json:"row"`
	Line    int    `json:"line"`
	Problem string `json:"problem"`
}

// printDryRunJSON prints the dry run's answer, unless the input itself
// could not be read (that is a usage error with no counts to give).
func printDryRunJSON(f *Factory, dry *dryRunJSON, sum batch.Summary, err error) error {
	var ie *batch.InvalidError
	var qe *batch.QuotaError
	switch {
	case err == nil:
	case errors.As(err, &ie), errors.As(err, &qe):
		msg := err.Error()
		dry.Error = &msg
	default:
		return nil
	}
	dry.Rows, dry.Distinct, dry.AlreadyDone, dry.WouldCall, dry.InvalidRows = sum.Total, sum.DistinctRows, sum.AlreadyDone, sum.WouldCall, sum.Invalid
	if dry.Problems == nil {
		dry.Problems = []rowProblemJSON{}
	}
	return f.printJSON(f.IOStreams.Out, dry)
}

// parseConcurrency reads --concurrency: "auto" is 0 (batch.Options' auto).
func parseConcurrency(s string) (int, error) {
	if strings.EqualFold(strings.TrimSpace(s), "auto") {
		return 0, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > batch.MaxConcurrency {
		return 0, fmt.Errorf("--concurrency %q: give auto or a number from 1 to %d", s, batch.MaxConcurrency)
	}
	return n, nil
}

// batchResult prints the summary and picks the exit code: 0 only when no row failed.
func batchResult(ios *IOStreams, sum batch.Summary, err error, dryRun bool) error {
	var ie *batch.InvalidError
	var qe *batch.QuotaError
	switch {
	case errors.As(err, &ie), errors.As(err, &qe):
		return usageErrorf("wxacode batch: %v", err)
	case dryRun && err == nil:
		fmt.Fprintf(ios.Out, "rows %d, distinct %d, already done %d, would call %d; no problems found\n",
			sum.Total, sum.DistinctRows, sum.AlreadyDone, sum.WouldCall)
		return nil
	}
	if sum.Manifest != "" {
		fmt.Fprintln(ios.Out, sum.String())
		if sum.Duplicates > 0 {
			fmt.Fprintf(ios.Out, "(%d of the skipped rows repeat an earlier row)\n", sum.Duplicates)
		}
		// Requests, not calls of the client: each call may retry inside.
		fmt.Fprintf(ios.Out, "requests %d (%d retries) in %s; manifest %s\n", sum.Requests, sum.Retries, sum.Elapsed.Round(time.Millisecond), sum.Manifest)
		if sum.FailedFile != "" {
			fmt.Fprintf(ios.Out, "failed rows: %s (fix them and run it as --in)\n", sum.FailedFile)
		}
	}
	switch {
	case errors.Is(err, context.Canceled):
		return fail(exitInterrupted, "wxacode batch: interrupted with %d row(s) unfinished; run the same command again to resume", sum.Pending)
	case err != nil:
		// exitCode maps batch's typed errors: *batch.InputError is usage
		// (2), *batch.StopError an API error (3), anything else unexpected.
		return &exitError{code: exitCode(err), msg: fmt.Sprintf("wxacode batch: %v", err), err: err}
	case sum.Failed > 0:
		return reported(exitAPI) // the failed rows are in the summary and failed.<format>
	}
	return nil
}
