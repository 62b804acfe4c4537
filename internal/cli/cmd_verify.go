package cli

import (
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"wxacode/codefile"
	"wxacode/codeimage"
	"wxacode/verify"
)

// verifyFlags are `wxacode verify`'s flags.
type verifyFlags struct {
	manifest, baseURL, file, sha256 string
	json                            bool
	concurrency, rate               int
}

// newVerifyCmd is `wxacode verify`: is the copy users get the code we made?
func newVerifyCmd(f *Factory) *cobra.Command {
	vf := &verifyFlags{}
	cmd := &cobra.Command{
		Use:   "verify (--manifest FILE [--base-url URL] | URL... --file FILE | URL... --sha256 HEX)",
		Short: "Check that served or copied codes are whole and are the codes made",
		Long: `Checks the copies of codes that users get. With --manifest and --base-url,
every file of a batch manifest is fetched at URL joined with its name; with
--manifest alone, the files beside the manifest are read (a copy on an NFS
mount, say); with URLs, each is compared with --file or --sha256.
For each copy: the HTTP status, Content-Length against the bytes that came
(short: truncated), the sha256, Content-Type against the magic bytes, a
complete decode, size and format against the manifest. A wrong copy is
fetched again with a cache-busting query and Cache-Control: no-cache: when
that one is right, the cache is stale.
Prints "URL: <problem>: <detail>" for each bad copy (problems: truncated,
differs, stale, content-type, not an image, HTTP <status>, unreachable,
missing), then "checked N, ok N, bad N" and what to do.
Exit 0 when every copy is the code, 4 when any is not, 1 when nothing could
be fetched, 2 for usage, 130 when interrupted.`,
		Example: `  wxacode verify --manifest codes/manifest.jsonl --base-url https://cdn.example.com/codes/
  wxacode verify --manifest /mnt/nfs/codes/manifest.jsonl
  wxacode verify https://cdn.example.com/codes/3f2a9c1e5b7d4a60.jpg --file codes/3f2a9c1e5b7d4a60.jpg
  wxacode verify https://cdn.example.com/a.png --sha256 9f86d081884c7d65… --json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runVerify(cmd.Context(), f, vf, args)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&vf.manifest, "manifest", "", "batch manifest FILE (manifest.jsonl): check every file it lists")
	fs.StringVar(&vf.baseURL, "base-url", "", "URL the manifest's files are served under (joined with each file name); without it the local files are checked")
	fs.StringVar(&vf.file, "file", "", "the local code FILE the URLs must serve")
	fs.StringVar(&vf.sha256, "sha256", "", "the sha256 HEX the URLs' bytes must have")
	fs.BoolVar(&vf.json, "json", false, "one JSON object per copy on stdout (the summary goes to stderr)")
	fs.IntVar(&vf.concurrency, "concurrency", 8, "copies checked at once")
	fs.IntVar(&vf.rate, "rate", 0, "at most this many fetches per minute (0: no limit), for polite checking of large manifests")
	return cmd
}

func runVerify(ctx context.Context, f *Factory, vf *verifyFlags, args []string) error {
	var problems []string
	switch {
	case vf.manifest == "" && len(args) == 0:
		problems = append(problems, "give --manifest FILE, or URLs with --file FILE or --sha256 HEX")
	case vf.manifest != "" && len(args) > 0:
		problems = append(problems, "give either --manifest or URLs, not both")
	}
	if vf.baseURL != "" {
		if vf.manifest == "" {
			problems = append(problems, "--base-url goes with --manifest (URLs given as arguments are fetched as they are)")
		} else if err := verify.CheckURL(vf.baseURL); err != nil {
			problems = append(problems, "--base-url: "+err.Error())
		}
	}
	if vf.manifest != "" && (vf.file != "" || vf.sha256 != "") {
		problems = append(problems, "--file and --sha256 go with URLs; the manifest has each file's sha256")
	}
	if vf.file != "" && vf.sha256 != "" {
		problems = append(problems, "give --file or --sha256, not both")
	}
	if len(args) > 0 && vf.manifest == "" && vf.file == "" && vf.sha256 == "" {
		// Without one there is nothing to compare: any whole image would pass.
		problems = append(problems, "say which code the URLs should serve: --file FILE (the code you made) or --sha256 HEX")
	}
	if s := vf.sha256; s != "" {
		if _, err := hex.DecodeString(s); err != nil || len(s) != 64 {
			problems = append(problems, fmt.Sprintf("--sha256 %q is not 64 hex digits", s))
		}
	}
	for _, a := range args {
		if err := verify.CheckURL(a); err != nil {
			problems = append(problems, err.Error())
		}
	}
	if vf.concurrency < 1 {
		problems = append(problems, "--concurrency must be at least 1")
	}
	if vf.rate < 0 {
		problems = append(problems, "--rate must be a number of fetches per minute (0: no limit)")
	}
	want := verify.Want{SHA256: strings.ToLower(vf.sha256)}
	if vf.file != "" && len(problems) == 0 {
		w, err := wantOfFile(vf.file)
		if err != nil {
			problems = append(problems, fmt.Sprintf("--file %s: %v", vf.file, err))
		}
		want = w
	}
	var mf *os.File
	if vf.manifest != "" && len(problems) == 0 {
		var err error
		if mf, err = os.Open(vf.manifest); err != nil {
			problems = append(problems, "--manifest: "+err.Error())
		} else if st, err := mf.Stat(); err == nil && st.IsDir() {
			problems = append(problems, fmt.Sprintf("--manifest %s is a folder: give its manifest.jsonl", vf.manifest))
		}
	}
	if mf != nil {
		defer mf.Close()
	}
	if len(problems) > 0 {
		return usageErrorf("%s", prefixLines("wxacode verify: ", problems))
	}

	targets := func(yield func(verify.Target) bool) {
		for _, a := range args {
			if !yield(verify.Target{URL: a, Want: want}) {
				return
			}
		}
	}
	var manifestErr error
	if mf != nil {
		targets = func(yield func(verify.Target) bool) {
			manifestErr = verify.ManifestTargets(mf, filepath.Dir(vf.manifest), vf.baseURL, yield)
		}
	}
	ios := f.IOStreams
	pr := newVerifyProgress(ios)
	var sum verifySummary
	checker := verify.New(verify.WithRedactor(f.redactor().Redact)) // made once: the workers share it
	checker.Run(ctx, targets, verify.RunOptions{Concurrency: vf.concurrency, PerMinute: vf.rate}, func(r verify.Result) {
		sum.add(r)
		switch {
		case vf.json:
			pr.clear()
			fmt.Fprintf(ios.Out, "%s\n", r.JSON())
		case !r.OK:
			pr.clear()
			fmt.Fprintln(ios.Out, r.Line())
		}
		pr.update(sum)
	})
	pr.clear()
	if ctx.Err() != nil {
		return fail(exitInterrupted, "wxacode verify: interrupted after checking %d", sum.checked)
	}
	summaryTo := ios.Out
	if vf.json {
		summaryTo = ios.ErrOut
	}
	fmt.Fprintln(summaryTo, sum.String())
	for _, p := range sum.problems {
		fmt.Fprintf(summaryTo, "%s: %s\n", p, sum.fixes[p])
	}
	switch {
	case manifestErr != nil:
		return fail(exitUnexpected, "wxacode verify: %s: %v", vf.manifest, manifestErr)
	case sum.checked == 0:
		return fail(exitUnexpected, "wxacode verify: %s lists no files: nothing to check", vf.manifest)
	case sum.fetched == 0:
		return fail(exitUnexpected, "wxacode verify: nothing could be fetched (%s)", sum.firstDetail)
	case sum.bad > 0:
		return reported(exitBad)
	}
	return nil
}

// wantOfFile is what a local code is: its sha256, size, format and pixels.
func wantOfFile(path string) (verify.Want, error) {
	b, err := codeimage.ReadFile(path)
	if err != nil {
		return verify.Want{}, err
	}
	img, format, err := codeimage.Decode(b, verify.CodeLimits) // what verify takes from a server
	if err != nil {
		return verify.Want{}, fmt.Errorf("not a whole code image: %w", err)
	}
	return verify.Want{SHA256: codefile.ContentSHA256(b), Bytes: len(b), Format: string(format),
		Width: img.Bounds().Dx(), Height: img.Bounds().Dy()}, nil
}

// verifySummary counts the copies and keeps one fix a problem.
type verifySummary struct {
	checked, ok, bad, fetched int
	problems                  []string // in the order first seen
	fixes                     map[string]string
	firstDetail               string
}

func (s *verifySummary) add(r verify.Result) {
	s.checked++
	if r.Fetched {
		s.fetched++
	}
	if r.OK {
		s.ok++
		return
	}
	s.bad++
	if s.firstDetail == "" {
		s.firstDetail = r.Line()
	}
	if s.fixes == nil {
		s.fixes = map[string]string{}
	}
	if r.Fix != "" && !slices.Contains(s.problems, r.Problem) {
		s.problems = append(s.problems, r.Problem)
		s.fixes[r.Problem] = r.Fix
	}
}

// String is the closing line: "checked N, ok N, bad N".
func (s verifySummary) String() string {
	return fmt.Sprintf("checked %d, ok %d, bad %d", s.checked, s.ok, s.bad)
}

// verifyProgress redraws "checked N, bad N" on a terminal's stderr, so
// stdout keeps only the lines of bad copies.
type verifyProgress struct {
	ios   *IOStreams
	last  time.Time
	drawn bool
}

func newVerifyProgress(ios *IOStreams) *verifyProgress { return &verifyProgress{ios: ios} }

func (p *verifyProgress) update(s verifySummary) {
	if !p.ios.ErrTTY || time.Since(p.last) < 200*time.Millisecond {
		return
	}
	p.last = time.Now()
	fmt.Fprintf(p.ios.ErrOut, "\rchecked %d, bad %d\x1b[K", s.checked, s.bad)
	p.drawn = true
}

func (p *verifyProgress) clear() {
	if p.drawn {
		fmt.Fprint(p.ios.ErrOut, "\r\x1b[K")
		p.drawn = false
	}
}
