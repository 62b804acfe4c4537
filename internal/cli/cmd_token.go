package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"
	"wxacode/troubleshoot"

	"wxacode/wechat"
)

// cmdToken is `wxacode token [--show]`: fetches a token the way every other
// command would and describes it; the value only with --show.
func cmdToken(ctx context.Context, args []string, io stdio) int {
	fs := flag.NewFlagSet("wxacode token", flag.ContinueOnError)
	fs.SetOutput(io.err)
	common := addCommonFlags(fs)
	show := fs.Bool("show", false, "print the token itself (it grants API access: keep it out of logs)")
	fs.Usage = func() {
		fmt.Fprintln(io.err, "Usage: wxacode token [--show] [flags]\n\nChecks the credentials: gets a token and prints its source, age and expiry.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		if h := secretFlagHint(args); h != "" {
			fmt.Fprintf(io.err, "wxacode token: %s\n", h)
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(io.err, "wxacode token: unexpected argument %q; it takes only flags\n", fs.Arg(0))
		return exitUsage
	}
	cfg, warnings, err := common.load()
	for _, w := range warnings {
		fmt.Fprintln(io.err, "warning:", w)
	}
	if err != nil {
		fmt.Fprintf(io.err, "wxacode token: %v\n", err)
		return exitUsage
	}
	s, err := openClient(cfg, false)
	if err != nil {
		fmt.Fprintf(io.err, "wxacode token: %v\n", err)
		return exitUsage
	}
	defer s.Close()
	if s.OnSim {
		fmt.Fprintln(io.err, s.Notice)
	}
	tok, err := s.Client.Token(ctx)
	if err != nil {
		var api *wechat.APIError
		switch {
		case ctx.Err() != nil || errors.Is(err, context.Canceled):
			fmt.Fprintln(io.err, "wxacode token: interrupted")
			return exitInterrupted
		case errors.As(err, &api):
			fmt.Fprintf(io.err, "wxacode token: the credentials were refused: errcode %d: %s\n", api.Code, api.Msg)
			fmt.Fprint(io.err, redactSecrets(troubleshoot.Diagnose(nil, err).String(), cfg.Secret, cfg.AccessToken))
			return exitAPI
		}
		fmt.Fprintf(io.err, "wxacode token: %v\n", redactSecrets(wechat.Redact(err.Error()), cfg.Secret, cfg.AccessToken))
		return exitUnexpected
	}
	now := time.Now()
	fmt.Fprintln(io.out, "source:", s.TokenSource)
	fmt.Fprintln(io.out, "appid:", orDash(s.AppID))
	fmt.Fprintln(io.out, "host:", s.BaseURL)
	if !tok.Obtained.IsZero() {
		fmt.Fprintf(io.out, "obtained: %s (age %s)\n", tok.Obtained.Local().Format(time.DateTime), now.Sub(tok.Obtained).Round(time.Second))
	}
	if tok.Expires.IsZero() {
		fmt.Fprintln(io.out, "expires: unknown")
	} else {
		fmt.Fprintf(io.out, "expires: %s (in %s)\n", tok.Expires.Local().Format(time.DateTime), tok.Expires.Sub(now).Round(time.Second))
	}
	if *show {
		fmt.Fprintln(io.out, "token:", tok.Value)
	} else {
		fmt.Fprintf(io.out, "token: %s (%d characters; --show prints it)\n", wechat.Redacted, len(tok.Value))
	}
	return exitOK
}
