package cli

import (
	"context"
	"errors"
	"fmt"
	"image"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"wxacode/codefile"
	"wxacode/troubleshoot"
	"wxacode/wechat"
	"wxacode/wechat/snippet"
)

// newGetCmd is `wxacode get`: one code, saved atomically.
func newGetCmd(f *Factory) *cobra.Command {
	var print string
	var o getOutput
	cmd := &cobra.Command{
		Use:   "get -o FILE",
		Short: "Generate one code and save it",
		Long: `Generates one code and saves it atomically to FILE. The request is checked
first: problems are listed and nothing is called (exit 2). On success stdout
gets one line, "FILE: jpeg 430x430, 39413 bytes". On an errcode, FILE is not
created or touched and the diagnosis goes to stderr (exit 3).

-o - writes the image's bytes to stdout (not to a terminal) and the line to
stderr. --data-uri prints data:image/jpeg;base64,… (the type from the real
bytes) and --base64 the bare base64, on stdout, alone or with -o -; neither
goes with -o FILE. --flatten white|#rrggbb draws a --hyaline code onto that
colour and saves it in the format of FILE's name (.jpg: JPEG at quality 95,
.png: PNG without alpha; PNG on stdout), so albums and chat apps cannot
turn the background black. --json prints {"file","format","width","height",
"bytes","sha256","num_used","received"} instead of the line, and on an
errcode {"errcode","errmsg","rid","request_time","hint"} (exit 3).

--print body|curl|cloud prints the checked request instead and calls
nothing: the JSON body, a curl line (the token from $ACCESS_TOKEN), or the
same call from a cloud function (wx-server-sdk's cloud.openapi.wxacode.*,
with the config.json permission older set-ups need).

--kind trial (get_qrcode, the trial version's QR) takes --path alone: any
other request flag (--page --scene --width --env-version --check-path
--auto-color --line-color --hyaline) is refused (exit 2), not dropped.`,
		Example: `  wxacode get --scene 'id=42' --page pages/index/index -o code.jpg
  wxacode get --kind limited --path 'pages/item/item?id=42' --width 600 -o item.jpg
  wxacode get --scene a --hyaline --line-color '#1aad19' -o clear.png
  wxacode get --scene a --hyaline --flatten white -o album.jpg
  wxacode get --scene id=42 -o - > code.jpg
  wxacode get --scene id=42 --data-uri
  wxacode get --scene id=42 -o code.jpg --json
  wxacode get --scene id=42 --page pages/new/new --check-path=false --env-version trial -o trial.jpg
  wxacode get --scene id=42 --page pages/index/index --print cloud`,
	}
	setup := addRequestFlags(cmd.Flags(), f)
	fs := cmd.Flags()
	fs.StringVarP(&o.file, "output", "o", "", "output FILE (.jpg for normal codes, .png for --hyaline); - for stdout")
	fs.StringVar(&print, "print", "", "print the request as body, curl or cloud (a wx-server-sdk cloud function) and call nothing")
	fs.BoolVar(&o.dataURI, "data-uri", false, "print the image on stdout as data:image/…;base64,… (no file)")
	fs.BoolVar(&o.base64, "base64", false, "print the image on stdout as bare base64 (no file)")
	fs.BoolVar(&o.json, "json", false, "print JSON about the code (or the errcode) instead of the summary line")
	fs.StringVar(&o.flatten, "flatten", "", "draw the --hyaline code onto white or #rrggbb, saved as FILE's extension says (.jpg or .png, no alpha)")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		o.flattenSet = cmd.Flags().Changed("flatten")
		s := setup()
		// Reported with the request's other problems (requestProblems), so
		// a flag the call would drop stops it, and --print, before anything.
		s.Problems = append(s.Problems, trialFlagProblems(cmd.Flags(), s.Params.Kind)...)
		if cmd.Flags().Changed("print") {
			return runGetPrint(f, s, print, &o, args)
		}
		return runGet(cmd.Context(), f, s, &o, args)
	}
	return cmd
}

// notForTrial are the request flags get_qrcode takes no part of (it takes
// --path alone), each with what to do instead. Params.Request drops them
// without a word, which suits [defaults] and batch rows, not a flag the
// user typed for this one call.
var notForTrial = []struct{ flag, instead string }{
	{"page", "give the page as --path, with its query (--path 'pages/index/index?id=42')"},
	{"scene", "put its parameters in --path's query instead (--path 'pages/index/index?id=42')"},
	{"width", "drop it; WeChat picks a trial QR's size"},
	{"env-version", "drop it; a trial QR always opens the trial version (another version's code: --kind unlimited --env-version VERSION)"},
	{"check-path", "drop it; get_qrcode checks no page"},
	{"auto-color", trialIsPlain},
	{"line-color", trialIsPlain},
	{"hyaline", trialIsPlain},
}

// trialIsPlain is what to do instead of styling a trial QR.
const trialIsPlain = "drop it; a trial QR is plain black on white (a styled code of the trial version: --kind unlimited --env-version trial --check-path=false)"

// trialFlagProblems names each request flag set on fs that kind trial does
// not take; none for other kinds.
func trialFlagProblems(fs *pflag.FlagSet, kind wechat.Kind) []string {
	if kind != wechat.KindTrial {
		return nil
	}
	what := "--kind trial"
	if !fs.Changed("kind") {
		what = "kind trial (the config's [defaults] kind)"
	}
	var problems []string
	for _, n := range notForTrial {
		if fs.Changed(n.flag) {
			problems = append(problems, fmt.Sprintf("--%s does not apply to %s, which takes only --path: %s", n.flag, what, n.instead))
		}
	}
	return problems
}

// runGetPrint is `get --print FORM`: the request checked as for a call,
// then printed in that form; nothing is called, no token is fetched.
func runGetPrint(f *Factory, setup requestSetup, form string, o *getOutput, args []string) error {
	stderr := f.IOStreams.ErrOut
	for _, w := range setup.Warnings {
		fmt.Fprintln(stderr, "warning:", w)
	}
	p := setup.Params
	problems := slices.Clone(setup.Problems)
	if len(args) > 0 {
		problems = append(problems, fmt.Sprintf("unexpected argument %q: flags take the form --page P", args[0]))
	}
	if o.file != "" {
		problems = append(problems, "--print writes the request, not a code: drop -o "+o.file)
	}
	for _, fl := range []struct {
		name string
		set  bool
	}{{"--data-uri", o.dataURI}, {"--base64", o.base64}, {"--json", o.json}, {"--flatten", o.flattenSet}} {
		if fl.set {
			problems = append(problems, "--print writes the request, not a code: drop "+fl.name)
		}
	}
	forms := []string{"body", "curl", "cloud"}
	if !slices.Contains(forms, form) {
		problems = append(problems, fmt.Sprintf("--print %q: give body, curl or cloud", form))
	} else if form == "body" && p.Kind == wechat.KindTrial {
		problems = append(problems, "--print body: get_qrcode (trial) is a GET and sends no body; print it as curl")
	} else if form == "cloud" && snippet.CloudMethod(p.Kind) == "" {
		problems = append(problems, fmt.Sprintf("--print cloud: %s has no wx-server-sdk call; print it as curl or body", p.Kind))
	}
	if err := requestProblems(p, problems, "nothing was printed"); err != nil {
		return err
	}
	var text string
	var err error
	switch form {
	case "body":
		text, err = snippet.Body(p)
	case "curl":
		cfg, _, _ := f.Config() // only for base_url; a broken config is reported when something is called
		text, err = snippet.Curl(cfg.BaseURL, p)
	case "cloud":
		text, err = snippet.Cloud(p)
	}
	if err != nil {
		return fail(exitUnexpected, "wxacode get --print %s: %v", form, err)
	}
	fmt.Fprintln(f.IOStreams.Out, strings.TrimRight(text, "\n"))
	return nil
}

// requestProblems adds the validator's problems with p to problems; when
// there are any, the usage error that lists them under "wxacode get: what;
// fix these first:", with the fixes the validator accepts.
func requestProblems(p wechat.Params, problems []string, what string) error {
	var fixes string
	var ve *wechat.ValidationError
	if err := p.Validate(); errors.As(err, &ve) {
		problems = append(problems, wechat.ProblemLines(ve.Problems)...)
		fixes = tryText(troubleshoot.Diagnose(p.Request(), err).Actions)
	} else if err != nil {
		problems = append(problems, err.Error())
	}
	if len(problems) == 0 {
		return nil
	}
	return usageErrorf("wxacode get: %s; fix these first:\n%s%s", what, prefixLines("  - ", problems), fixes)
}

func runGet(ctx context.Context, f *Factory, setup requestSetup, o *getOutput, args []string) error {
	stderr := f.IOStreams.ErrOut
	for _, w := range setup.Warnings {
		fmt.Fprintln(stderr, "warning:", w)
	}
	p := setup.Params
	var problems []string
	if len(args) > 0 {
		problems = append(problems, fmt.Sprintf("unexpected argument %q: flags take the form --page P; the output file is -o FILE", args[0]))
	}
	problems = append(problems, setup.Problems...)
	outProblems, outWarnings := o.check(p, f.IOStreams.OutTTY)
	problems = append(problems, outProblems...)
	if err := requestProblems(p, problems, "nothing was called"); err != nil {
		return err
	}
	for _, w := range outWarnings {
		fmt.Fprintln(stderr, "warning:", w)
	}

	s, err := f.Session()
	if err != nil {
		return usageErrorf("wxacode get: %v", err)
	}
	if s.OnSim {
		fmt.Fprintln(stderr, s.Notice)
	}
	for _, w := range s.Warnings {
		fmt.Fprintln(stderr, "warning:", w)
	}
	req := p.Request()
	limited := req.Kind().Limited()
	if limited {
		fmt.Fprintln(stderr, ledgerState(s.Ledger, p))
	}
	code, err := s.Client.Get(ctx, req)
	if err != nil {
		return getError(ctx, f, o.json, req, err)
	}
	sv, err := o.prepare(code)
	if err != nil {
		return fail(exitUnexpected, "wxacode get: the code arrived but could not be flattened: %v; nothing was saved", err)
	}
	if err := o.deliver(f.IOStreams.Out, sv); err != nil {
		return err
	}
	if w := codefile.ExtWarning(o.file, sv.format); o.toFile() && w != "" {
		fmt.Fprintln(stderr, "warning:", w)
	}
	size := image.Pt(code.Width, code.Height)
	switch {
	case o.json:
		if err := o.printGetJSON(f, code, sv, size); err != nil {
			return err
		}
	case o.toFile():
		fmt.Fprintln(f.IOStreams.Out, o.summary(code, sv, size))
	default: // stdout holds the image: the line goes to stderr
		fmt.Fprintln(stderr, o.summary(code, sv, size))
	}
	if limited {
		if w := s.Ledger.Warning(); w != "" {
			fmt.Fprintln(stderr, "warning:", w)
		}
	}
	return nil
}
