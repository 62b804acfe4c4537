package cli

import (
	"context"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"wxacode/wechat/sim"
)

// newSimCmd is `wxacode sim`: the WeChat simulator on loopback until ctx is
// cancelled. The first line on stdout is its base URL, then the credentials
// it accepts, so a script can read them.
func newSimCmd(f *Factory) *cobra.Command {
	var addr, appID, secret, cfgPath string
	cmd := &cobra.Command{
		Use:   "sim",
		Short: "Run the WeChat simulator on loopback",
		Long: `Runs the WeChat simulator as a server until interrupted. The first stdout line
is its base URL, then "appid: …" and "secret: …": point another wxacode at it
with WXACODE_BASE_URL, WXACODE_APPID and WXACODE_SECRET. Here --secret is a
real flag: it is the simulator's own test secret, not an app's.`,
		Example: `  wxacode sim
  wxacode sim --addr 127.0.0.1:0 --config sim.toml
  WXACODE_BASE_URL=http://127.0.0.1:8717 WXACODE_APPID=wx0000000000000000 WXACODE_SECRET=... wxacode get --scene a -o a.jpg`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSim(cmd.Context(), f.IOStreams, addr, appID, secret, cfgPath)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&addr, "addr", "127.0.0.1:8717", "loopback host:port to listen on (port 0 picks a free one)")
	fs.StringVar(&appID, "appid", "", "AppID the simulator accepts (default "+sim.DefaultAppID+")")
	fs.StringVar(&secret, "secret", "", "AppSecret the simulator accepts (default: the built-in test secret)")
	fs.StringVar(&cfgPath, "config", "", "sim.toml with released pages, IP whitelist, limits, theme colour and faults")
	return cmd
}

func runSim(ctx context.Context, ios *IOStreams, addr, appID, secret, cfgPath string) error {
	if err := checkLoopback(addr); err != nil {
		return usageErrorf("wxacode sim: %v", err)
	}
	cfg := sim.DefaultConfig()
	if cfgPath != "" {
		var err error
		if cfg, err = sim.LoadConfig(cfgPath); err != nil {
			return usageErrorf("wxacode sim: %v", err)
		}
	}
	if appID != "" {
		cfg.AppID = appID
	}
	if secret != "" {
		cfg.Secret = secret
	}
	cfg.Log = &lockedWriter{w: ios.ErrOut}
	srv := sim.New(cfg)
	base, err := srv.Listen(addr)
	if err != nil {
		return fail(exitUnexpected, "wxacode sim: %v (is another simulator running? try --addr 127.0.0.1:0)", err)
	}
	fmt.Fprintln(ios.Out, base)
	fmt.Fprintln(ios.Out, "appid:", srv.AppID())
	fmt.Fprintln(ios.Out, "secret:", srv.Secret())
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
	}
	return nil
}

// checkLoopback refuses addresses other machines could reach: the simulator
// hands out tokens to anyone who asks with its well-known secret.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %v; write it as host:port, for example 127.0.0.1:8717", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("--addr %q: the simulator listens on loopback only; use 127.0.0.1:PORT or [::1]:PORT", addr)
}

// lockedWriter serialises the request log written by concurrent handlers.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
