package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"wxacode/atomicfile"
	"wxacode/shell"
	"wxacode/troubleshoot"
	"wxacode/wechat"
)

// checkOutput finds what would stop the save before a call is spent on it
// (the limited endpoints' pool is 100,000 for the app's lifetime): a bad
// name, a missing or read-only folder, a target that is not a regular file.
func checkOutput(path string) string {
	if err := atomicfile.CheckTarget(path); err != nil {
		return "-o " + err.Error()
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

// getError is the report and exit code of a failed call; with --json an
// errcode is also printed as JSON on stdout (the report stays on stderr).
func getError(ctx context.Context, f *Factory, asJSON bool, req wechat.Request, err error) error {
	var api *wechat.APIError
	var ve *wechat.ValidationError
	switch {
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		return fail(exitInterrupted, "wxacode get: interrupted; nothing was saved")
	case errors.As(err, &ve):
		return usageErrorf("wxacode get: %v", err)
	case errors.As(err, &api):
		if asJSON {
			j := apiErrorJSON{Code: api.Code, Msg: api.Msg, RID: api.RID, RequestTime: jsonTime(api.Time)}
			if h := troubleshoot.Diagnose(req, err).Hint; h.Title != "" {
				h.Code = api.Code
				j.Hint = newHintJSON(h)
			}
			if err := f.printServerJSON(f.IOStreams.Out, j); err != nil {
				return err
			}
		}
		return fail(exitAPI, "%s", apiErrorText(req, api, err))
	}
	text := fmt.Sprintf("wxacode get: %v\n", err)
	if d := troubleshoot.Diagnose(req, err); d.Hint.Title != "" {
		// The diagnosis repeats the error as its first finding; it was just
		// printed (a token command's 4 KB of stderr, say, is shown once).
		d.Findings = slices.DeleteFunc(d.Findings, func(f string) bool { return f == wechat.Redact(err.Error()) })
		text += diagnosisText(d)
	}
	return fail(exitUnexpected, "%snothing was saved", text)
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
	fmt.Fprintf(&b, "nothing was saved; more: wxacode hint %d", api.Code)
	return b.String()
}

// diagnosisText is the diagnosis with its automatic fixes as commands to paste.
func diagnosisText(d troubleshoot.Diagnosis) string {
	actions := d.Actions
	d.Actions = nil
	return d.String() + tryText(actions)
}

// tryText lists the fixes as ready-to-paste commands under "Try:", leaving
// out any that would still be refused: a fix mends one problem, and a
// request with two must not be offered as fixed.
func tryText(actions []troubleshoot.Action) string {
	var b strings.Builder
	for _, a := range actions {
		if a.Params.Validate() != nil {
			continue
		}
		if b.Len() == 0 {
			b.WriteString("\nTry:\n")
		}
		fmt.Fprintf(&b, "  - %s: wxacode get %s -o FILE\n", a.Label, shell.Join(paramsArgs(a.Params)))
	}
	return b.String()
}

// prefixLines puts prefix before each of lines, one a line.
func prefixLines(prefix string, lines []string) string {
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(prefix + l)
	}
	return b.String()
}
