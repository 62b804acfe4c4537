package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"wxacode/atomicfile"
	"wxacode/troubleshoot"
	"wxacode/wechat"
)

// newGetCmd is `wxacode get`: one code, saved atomically.
func newGetCmd(f *Factory) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "get -o FILE",
		Short: "Generate one code and save it",
		Long: `Generates one code and saves it atomically to FILE. The request is checked
first: problems are listed and nothing is called (exit 2). On success stdout
gets one line, "FILE: jpeg 430x430, 39413 bytes". On an errcode, FILE is not
created or touched and the diagnosis goes to stderr (exit 3).`,
		Example: `  wxacode get --scene 'id=42' --page pages/index/index -o code.jpg
  wxacode get --kind limited --path 'pages/item/item?id=42' --width 600 -o item.jpg
  wxacode get --scene a --hyaline --line-color '#1aad19' -o clear.png
  wxacode get --scene id=42 --page pages/new/new --check-path=false --env-version trial -o trial.jpg`,
	}
	setup := addRequestFlags(cmd.Flags(), f)
	cmd.Flags().StringVarP(&out, "output", "o", "", "output FILE (.jpg for normal codes, .png for --hyaline)")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		return runGet(cmd.Context(), f, setup(), out, args)
	}
	return cmd
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
