package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"wxacode/troubleshoot"
	"wxacode/wechat"
)

// newTokenCmd is `wxacode token [--show]`: fetches a token the way every other
// command would and describes it; the value only with --show.
func newTokenCmd(f *Factory) *cobra.Command {
	var show, asJSON bool
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Check the credentials",
		Long: `Checks the credentials: gets a token exactly as the other commands would and
prints its source, appid, host, age and expiry. The token itself only with --show.
--json prints {"source","appid","host","age","expires_at","from_cache"}: never the token.`,
		Example: `  WXACODE_APPID=wx0123456789abcdef WXACODE_SECRET=... wxacode token
  wxacode token --secret-file ~/.config/wxacode/secret --appid wx0123456789abcdef
  wxacode token --token-cmd 'curl -s http://tokens.internal/wxacode' --show
  wxacode token --json`,
		Args: noArgs,
	}
	f.conn.register(cmd.Flags())
	cmd.Flags().BoolVar(&show, "show", false, "print the token itself (it grants API access: keep it out of logs)")
	cmd.Flags().BoolVar(&asJSON, "json", false, `print JSON: {"source","appid","host","age","expires_at","from_cache"} (never the token)`)
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if show && asJSON {
			return usageErrorf("wxacode token: --json never holds the token, so it cannot go with --show: use --show alone to see the token")
		}
		return runToken(cmd.Context(), f, show, asJSON)
	}
	return cmd
}

// tokenJSON is `token --json`: where the token came from and how old it is,
// never the token. age is in seconds and expires_at in RFC 3339, null when
// unknown (a fixed token).
type tokenJSON struct {
	Source    string  `json:"source"`
	AppID     string  `json:"appid"`
	Host      string  `json:"host"`
	Age       *int64  `json:"age"`
	ExpiresAt *string `json:"expires_at"`
	FromCache bool    `json:"from_cache"`
}

func runToken(ctx context.Context, f *Factory, show, asJSON bool) error {
	out, stderr := f.IOStreams.Out, f.IOStreams.ErrOut
	_, warnings, err := f.Config()
	for _, w := range warnings {
		fmt.Fprintln(stderr, "warning:", w)
	}
	if err != nil {
		return usageErrorf("wxacode token: %v", err)
	}
	s, err := f.Session()
	if err != nil {
		return usageErrorf("wxacode token: %v", err)
	}
	if s.OnSim {
		fmt.Fprintln(stderr, s.Notice)
	}
	for _, w := range s.Warnings {
		fmt.Fprintln(stderr, "warning:", w)
	}
	tok, err := s.Client.Token(ctx)
	if err != nil {
		var api *wechat.APIError
		switch {
		case ctx.Err() != nil || errors.Is(err, context.Canceled):
			return fail(exitInterrupted, "wxacode token: interrupted")
		case errors.As(err, &api):
			return fail(exitAPI, "wxacode token: the credentials were refused: errcode %d: %s\n%s", api.Code, api.Msg, troubleshoot.Diagnose(nil, err))
		}
		return fail(exitUnexpected, "wxacode token: %v", err)
	}
	now := time.Now()
	if asJSON {
		j := tokenJSON{Source: s.TokenSource, AppID: s.AppID, Host: s.BaseURL, ExpiresAt: jsonTime(tok.Expires), FromCache: tok.FromCache}
		if !tok.Obtained.IsZero() {
			age := int64(now.Sub(tok.Obtained).Round(time.Second) / time.Second)
			j.Age = &age
		}
		return f.printJSON(out, j)
	}
	source := s.TokenSource
	if tok.FromCache {
		source += ", from the cache" // so a wrong secret is not mistaken for a checked one
	}
	fmt.Fprintln(out, "source:", source)
	fmt.Fprintln(out, "appid:", orDash(s.AppID))
	fmt.Fprintln(out, "host:", s.BaseURL)
	if !tok.Obtained.IsZero() {
		fmt.Fprintf(out, "obtained: %s (age %s)\n", tok.Obtained.Local().Format(time.DateTime), now.Sub(tok.Obtained).Round(time.Second))
	}
	if tok.Expires.IsZero() {
		fmt.Fprintln(out, "expires: unknown")
	} else {
		fmt.Fprintf(out, "expires: %s (in %s)\n", tok.Expires.Local().Format(time.DateTime), tok.Expires.Sub(now).Round(time.Second))
	}
	if show {
		fmt.Fprintln(out, "token:", tok.Value)
	} else {
		fmt.Fprintf(out, "token: %s (%d characters; --show prints it)\n", wechat.Redacted, len(tok.Value))
	}
	return nil
}
