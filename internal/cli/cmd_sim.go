package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"wxacode/wechat/sim"
)

// cmdSim runs the WeChat simulator on loopback until ctx is cancelled. The
// first line on stdout is its base URL, then the credentials it accepts, so a
// script can read them.
func cmdSim(ctx context.Context, args []string, io stdio) int {
	fs := flag.NewFlagSet("wxacode sim", flag.ContinueOnError)
	fs.SetOutput(io.err)
	addr := fs.String("addr", "127.0.0.1:8717", "loopback `host:port` to listen on (port 0 picks a free one)")
	appID := fs.String("appid", "", "AppID the simulator accepts (default "+sim.DefaultAppID+")")
	secret := fs.String("secret", "", "AppSecret the simulator accepts (default: the built-in test secret)")
	cfgPath := fs.String("config", "", "sim.toml with released pages, IP whitelist, limits, theme colour and faults")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: wxacode sim [--addr 127.0.0.1:8717] [--appid ID] [--secret S] [--config sim.toml]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(io.err, "wxacode sim: unexpected argument %q; it takes only flags (see wxacode sim --help)\n", fs.Arg(0))
		return exitUsage
	}
	if err := checkLoopback(*addr); err != nil {
		fmt.Fprintf(io.err, "wxacode sim: %v\n", err)
		return exitUsage
	}
	cfg := sim.DefaultConfig()
	if *cfgPath != "" {
		var err error
		if cfg, err = sim.LoadConfig(*cfgPath); err != nil {
			fmt.Fprintf(io.err, "wxacode sim: %v\n", err)
			return exitUsage
		}
	}
	if *appID != "" {
		cfg.AppID = *appID
	}
	if *secret != "" {
		cfg.Secret = *secret
	}
	cfg.Log = &lockedWriter{w: io.err}
	srv := sim.New(cfg)
	base, err := srv.Listen(*addr)
	if err != nil {
		fmt.Fprintf(io.err, "wxacode sim: %v (is another simulator running? try --addr 127.0.0.1:0)\n", err)
		return exitUnexpected
	}
	fmt.Fprintln(io.out, base)
	fmt.Fprintln(io.out, "appid:", srv.AppID())
	fmt.Fprintln(io.out, "secret:", srv.Secret())
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
	}
	return exitOK
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
