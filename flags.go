package main

import (
	"flag"
	"os"
	"strings"

	"wxacode/config"
)

// commonFlags are the flags every command that talks to WeChat shares (get,
// token, batch, the TUI), so they parse the same way everywhere. The secret
// is deliberately not among them: a flag shows up in ps and shell history,
// so it comes from the environment or the file only.
type commonFlags struct {
	config   string
	sim      bool
	baseURL  string
	tokenCmd string
}

// addCommonFlags registers --config, --sim, --base-url and --token-cmd on fs.
func addCommonFlags(fs *flag.FlagSet) *commonFlags {
	c := &commonFlags{}
	fs.StringVar(&c.config, "config", "", "configuration `FILE` (default $WXACODE_CONFIG, else "+displayPath(config.DefaultPath())+")")
	fs.BoolVar(&c.sim, "sim", false, "use the built-in simulator even when credentials are configured")
	fs.StringVar(&c.baseURL, "base-url", "", "API base `URL` (default https://api.weixin.qq.com; a `wxacode sim` prints its own)")
	fs.StringVar(&c.tokenCmd, "token-cmd", "", "`COMMAND` that prints an access token (sh -c), for a central token service")
	return c
}

// load reads the configuration (defaults < file < environment) and lays
// the flags that were given over it. Warnings are for stderr.
func (c *commonFlags) load() (config.Config, []string, error) {
	cfg, warnings, err := config.Load(c.config, os.Getenv)
	if err != nil {
		return cfg, warnings, err
	}
	if c.baseURL != "" {
		cfg.BaseURL = c.baseURL
	}
	if c.tokenCmd != "" {
		cfg.TokenCmd = c.tokenCmd
	}
	if c.sim {
		cfg.Sim.Enabled = true
	}
	return cfg, warnings, cfg.Check()
}

// displayPath shortens the home folder to ~ for help text.
func displayPath(p string) string {
	if home, err := os.UserHomeDir(); err == nil && home != "" && strings.HasPrefix(p, home+string(os.PathSeparator)) {
		return "~" + p[len(home):]
	}
	if p == "" {
		return "(none)"
	}
	return p
}
