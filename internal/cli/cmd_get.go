package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"wxacode/atomicfile"
	"wxacode/troubleshoot"
	"wxacode/wechat"
	"wxacode/wechat/snippet"
)

// newGetCmd is `wxacode get`: one code, saved atomically.
func newGetCmd(f *Factory) *cobra.Command {
	var out, print string
	cmd := &cobra.Command{
		Use:   "get -o FILE",
		Short: "Generate one code and save it",
		Long: `Generates one code and saves it atomically to FILE. The request is checked
first: problems are listed and nothing is called (exit 2). On success stdout
gets one line, "FILE: jpeg 430x430, 39413 bytes". On an errcode, FILE is not
created or touched and the diagnosis goes to stderr (exit 3).

--print body|curl|cloud prints the checked request instead and calls
nothing: the JSON body, a curl line (the token from $ACCESS_TOKEN), or the
same call from a cloud function (wx-server-sdk's cloud.openapi.wxacode.*,
with the config.json permission older set-ups need).`,
		Example: `  wxacode get --scene 'id=42' --page pages/index/index -o code.jpg
  wxacode get --kind limited --path 'pages/item/item?id=42' --width 600 -o item.jpg
  wxacode get --scene a --hyaline --line-color '#1aad19' -o clear.png
  wxacode get --scene id=42 --page pages/new/new --check-path=false --env-version trial -o trial.jpg
  wxacode get --scene id=42 --page pages/index/index --print cloud`,
	}
	setup := addRequestFlags(cmd.Flags(), f)
	cmd.Flags().StringVarP(&out, "output", "o", "", "output FILE (.jpg for normal codes, .png for --hyaline)")
	cmd.Flags().StringVar(&print, "print", "", "print the request as body, curl or cloud (a wx-server-sdk cloud function) and call nothing")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if cmd.Flags().Changed("print") {
			return runGetPrint(f, setup(), print, out, args)
		}
		return runGet(cmd.Context(), f, setup(), out, args)
	}
	return cmd
}

// runGetPrint is `get --print FORM`: the request checked as for a call,
// then printed in that form; nothing is called, no token is fetched.
func runGetPrint(f *Factory, setup requestSetup, form, out string, args []string) error {
	stderr := f.IOStreams.ErrOut
	for _, w := range setup.Warnings {
		fmt.Fprintln(stderr, "warning:", w)
	}
	p := setup.Params
	problems := slices.Clone(setup.Problems)
	if len(args) > 0 {
		problems = append(problems, fmt.Sprintf("unexpected argument %q: flags take the form --page P", args[0]))
	}
	if out != "" {
		problems = append(problems, "--print writes the request, not a code: drop -o "+out)
	}
	forms := []string{"body", "curl", "cloud"}
	if !slices.Contains(forms, form) {
		problems = append(problems, fmt.Sprintf("--print %q: give body, curl or cloud", form))
	} else if form == "body" && p.Kind == wechat.KindTrial {
		problems = append(problems, "--print body: get_qrcode (trial) is a GET and sends no body; print it as curl")
	} else if form == "cloud" && snippet.CloudMethod(p.Kind) == "" {
		problems = append(problems, fmt.Sprintf("--print cloud: %s has no wx-server-sdk call; print it as curl or body", p.Kind))
	}
	var fixes string
	var ve *wechat.ValidationError
	if err := p.Validate(); errors.As(err, &ve) {
		problems = append(problems, wechat.ProblemLines(ve.Problems)...)
		fixes = tryText(troubleshoot.Diagnose(p.Request(), err).Actions)
	} else if err != nil {
		problems = append(problems, err.Error())
	}
	if len(problems) > 0 {
		return usageErrorf("wxacode get: nothing was printed; fix these first:\n%s%s", prefixLines("  - ", problems), fixes)
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

func runGet(ctx context.Context, f *Factory, setup requestSetup, out string, args []string) error {
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
	if out == "" {
		problems = append(problems, "-o FILE is required, for example: wxacode get --scene id=42 -o code.jpg")
	} else if problem := checkOutput(out); problem != "" {
		problems = append(problems, problem)
	}
	var fixes string
	var ve *wechat.ValidationError
	if err := p.Validate(); errors.As(err, &ve) {
		problems = append(problems, wechat.ProblemLines(ve.Problems)...)
		fixes = tryText(troubleshoot.Diagnose(p.Request(), err).Actions)
	} else if err != nil {
		problems = append(problems, err.Error())
	}
	if len(problems) > 0 {
		return usageErrorf("wxacode get: nothing was called; fix these first:\n%s%s", prefixLines("  - ", problems), fixes)
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
		return getError(ctx, req, err)
	}
	if err := atomicfile.WriteFile(out, code.Bytes, 0o644); err != nil {
		return fail(exitUnexpected, "wxacode get: the code arrived but could not be saved: %v", err)
	}
	if w := extWarning(out, code.Format); w != "" {
		fmt.Fprintln(stderr, "warning:", w)
	}
	line := fmt.Sprintf("%s: %s %dx%d, %d bytes", out, code.Format, code.Width, code.Height, len(code.Bytes))
	if code.NumUsed >= 0 {
		line += fmt.Sprintf(", Num-Used %d", code.NumUsed)
	}
	fmt.Fprintln(f.IOStreams.Out, line)
	if limited {
		if w := s.Ledger.Warning(); w != "" {
			fmt.Fprintln(stderr, "warning:", w)
		}
	}
	return nil
}
