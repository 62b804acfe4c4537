package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
	"wxacode/atomicfile"
	"wxacode/troubleshoot"

	"wxacode/wechat"
)

const getUsage = `Usage: wxacode get [flags] -o FILE

Generates one code and saves it atomically to FILE. The request is checked
first: problems are listed and nothing is called (exit 2). On an errcode,
FILE is not created or touched and the diagnosis goes to stderr (exit 3).

Flags:
`

// cmdGet is `wxacode get`.
func cmdGet(ctx context.Context, args []string, io stdio) int {
	fs := flag.NewFlagSet("wxacode get", flag.ContinueOnError)
	fs.SetOutput(io.err)
	fs.Usage = func() { fmt.Fprint(io.err, getUsage); fs.PrintDefaults() }
	out := fs.String("o", "", "output `FILE` (.jpg for normal codes, .png for --hyaline)")
	setup, err := parseRequestFlags(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	for _, w := range setup.Warnings {
		fmt.Fprintln(io.err, "warning:", w)
	}
	cfg, p := setup.Config, setup.Params
	var problems []string
	if fs.NArg() > 0 {
		problems = append(problems, fmt.Sprintf("unexpected argument %q: flags take the form --page P; the output file is -o FILE", fs.Arg(0)))
	}
	problems = append(problems, setup.Problems...)
	if *out == "" {
		problems = append(problems, "-o FILE is required, for example: wxacode get --scene id=42 -o code.jpg")
	} else if problem := checkOutput(*out); problem != "" {
		problems = append(problems, problem)
	}
	var ve *wechat.ValidationError
	if err := p.Validate(); errors.As(err, &ve) {
		problems = append(problems, wechat.ProblemLines(ve.Problems)...)
		for _, a := range troubleshoot.Diagnose(p.Request(), err).Actions {
			problems = append(problems, fmt.Sprintf("or %s: wxacode get %s -o FILE", a.Label, shellJoin(paramsArgs(a.Params))))
		}
	} else if err != nil {
		problems = append(problems, err.Error())
	}
	if len(problems) > 0 {
		fmt.Fprintf(io.err, "wxacode get: nothing was called; fix these first:\n")
		for _, pr := range problems {
			fmt.Fprintln(io.err, "  -", pr)
		}
		return exitUsage
	}

	s, err := openClient(cfg, false)
	if err != nil {
		fmt.Fprintf(io.err, "wxacode get: %v\n", err)
		return exitUsage
	}
	defer s.Close()
	if s.OnSim {
		fmt.Fprintln(io.err, s.Notice)
	}
	for _, w := range s.Warnings {
		fmt.Fprintln(io.err, "warning:", w)
	}
	req := p.Request()
	if req.Kind().Limited() && s.Ledger != nil {
		fmt.Fprintln(io.err, ledgerState(s.Ledger, p))
	}
	code, err := s.Client.Get(ctx, req)
	if err != nil {
		return reportGetError(ctx, req, err, io, cfg.Secret, cfg.AccessToken, cfg.Authorizer.ComponentAccessToken, cfg.Authorizer.AuthorizerRefreshToken)
	}
	if err := atomicfile.WriteFile(*out, code.Bytes, 0o644); err != nil {
		fmt.Fprintf(io.err, "wxacode get: the code arrived but could not be saved: %v\n", err)
		return exitUnexpected
	}
	if w := extWarning(*out, code.Format); w != "" {
		fmt.Fprintln(io.err, "warning:", w)
	}
	line := fmt.Sprintf("%s: %s %dx%d, %d bytes", *out, code.Format, code.Width, code.Height, len(code.Bytes))
	if code.NumUsed >= 0 {
		line += fmt.Sprintf(", Num-Used %d", code.NumUsed)
	}
	fmt.Fprintln(io.out, line)
	if req.Kind().Limited() && s.Ledger != nil {
		if w := s.Ledger.Warning(); w != "" {
			fmt.Fprintln(io.err, "warning:", w)
		}
	}
	return exitOK
}

// checkOutput finds what would stop the save before a call is spent on it.
func checkOutput(path string) string {
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	switch {
	case err != nil:
		return fmt.Sprintf("-o %s: the folder %s does not exist; create it first", path, dir)
	case !st.IsDir():
		return fmt.Sprintf("-o %s: %s is not a folder", path, dir)
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Sprintf("-o %s: that is a folder; give a file name such as %s", path, filepath.Join(path, "code.jpg"))
	}
	return ""
}

// ledgerState describes the lifetime pool before a limited call.
func ledgerState(l *wechat.Ledger, p wechat.Params) string {
	s := fmt.Sprintf("quota: getwxacode and createwxaqrcode share a lifetime pool of %d codes; this tool has counted %d, %d left",
		wechat.LifetimeQuota, l.Used(), l.Remaining())
	if l.Seen(p) {
		s += "; this exact code was made before, so repeating it is free"
	} else {
		s += "; this is a new code and uses one"
	}
	if w := l.Warning(); w != "" {
		s += "\nwarning: " + w
	}
	return s
}

// extWarning is "" when path's extension fits the real format.
func extWarning(path string, f wechat.Format) string {
	ext := strings.ToLower(filepath.Ext(path))
	switch {
	case f == wechat.FormatJPEG && (ext == ".jpg" || ext == ".jpeg"),
		f == wechat.FormatPNG && ext == ".png":
		return ""
	}
	shown := ext
	if shown == "" {
		shown = "no extension"
	}
	return fmt.Sprintf("%s has %s but the code is a %s (WeChat sends PNG only for hyaline codes); name it %s",
		path, shown, strings.ToUpper(string(f)), strings.TrimSuffix(path, filepath.Ext(path))+f.Ext())
}

// reportGetError prints a failed call and picks the exit code.
func reportGetError(ctx context.Context, req wechat.Request, err error, io stdio, secrets ...string) int {
	var api *wechat.APIError
	var ve *wechat.ValidationError
	switch {
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		fmt.Fprintln(io.err, "wxacode get: interrupted; nothing was saved")
		return exitInterrupted
	case errors.As(err, &ve):
		fmt.Fprintf(io.err, "wxacode get: %v\n", err)
		return exitUsage
	case errors.As(err, &api):
		fmt.Fprint(io.err, redactSecrets(apiErrorText(req, api, err), secrets...))
		return exitAPI
	}
	text := fmt.Sprintf("wxacode get: %v\n", err)
	if d := troubleshoot.Diagnose(req, err); d.Hint.Title != "" {
		text += diagnosisText(d)
	}
	fmt.Fprint(io.err, redactSecrets(wechat.Redact(text+"nothing was saved\n"), secrets...))
	return exitUnexpected
}

// apiErrorText is errcode, errmsg, rid time and the diagnosis of a failed call.
func apiErrorText(req wechat.Request, api *wechat.APIError, err error) string {
	var b strings.Builder
	fmt.Fprintf(&b, "wxacode get: WeChat answered errcode %d: %s\n", api.Code, api.Msg)
	if api.RID != "" {
		fmt.Fprintf(&b, "rid: %s", api.RID)
		if !api.Time.IsZero() {
			fmt.Fprintf(&b, " (request at %s)", api.Time.Local().Format(time.DateTime+" MST"))
		}
		b.WriteString("\n")
	}
	var rl *wechat.RateLimitError
	if errors.As(err, &rl) {
		fmt.Fprintf(&b, "rate limit: try again after %s\n", rl.NextMinute.Local().Format("15:04:05"))
	}
	b.WriteString(diagnosisText(troubleshoot.Diagnose(req, err)))
	fmt.Fprintf(&b, "nothing was saved; more: wxacode hint %d\n", api.Code)
	return b.String()
}

// diagnosisText is the diagnosis with its automatic fixes as commands to paste.
func diagnosisText(d troubleshoot.Diagnosis) string {
	actions := d.Actions
	d.Actions = nil
	s := d.String()
	if len(actions) > 0 {
		s += "\nTry:\n"
		for _, a := range actions {
			s += fmt.Sprintf("  - %s: wxacode get %s -o FILE\n", a.Label, shellJoin(paramsArgs(a.Params)))
		}
	}
	return s
}

// errCode is the errcode inside err, 0 when there is none.
func errCode(err error) int {
	var api *wechat.APIError
	if errors.As(err, &api) {
		return api.Code
	}
	return 0
}

// discard swallows the pre-parse's messages.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
