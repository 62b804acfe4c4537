package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"wxacode/config"
)

// connFlags are the flags every command that talks to WeChat shares (get,
// token, batch, the designer), so they parse the same way everywhere. The
// secret is deliberately not among them as a value: a flag shows up in ps and
// shell history, so it comes from the environment, the config file or
// --secret-file.
type connFlags struct {
	config     string
	sim        bool
	baseURL    string
	tokenCmd   string
	appID      string
	secretFile string
}

// register adds --config, --sim, --base-url, --token-cmd, --appid and
// --secret-file to fs, bound to c.
func (c *connFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&c.config, "config", "", "configuration FILE (default $WXACODE_CONFIG, else "+displayPath(config.DefaultPath())+")")
	fs.BoolVar(&c.sim, "sim", false, "use the built-in simulator even when credentials are configured")
	fs.StringVar(&c.baseURL, "base-url", "", "base URL of the API (default https://api.weixin.qq.com; a wxacode sim prints its own)")
	fs.StringVar(&c.tokenCmd, "token-cmd", "", "COMMAND that prints an access token (sh -c), for a central token service")
	fs.StringVar(&c.appID, "appid", "", "mini program APPID (overrides appid and $WXACODE_APPID)")
	fs.StringVar(&c.secretFile, "secret-file", "", "read the app secret from FILE (chmod 600); the secret itself is never a flag")
}

// load reads the configuration (defaults < file < environment) and lays
// the flags that were given over it. Warnings are for stderr.
func (c *connFlags) load() (config.Config, []string, error) {
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
	if c.appID != "" {
		cfg.AppID = strings.TrimSpace(c.appID)
	}
	if c.secretFile != "" {
		secret, w, err := readSecretFile(c.secretFile)
		warnings = append(warnings, w...)
		if err != nil {
			return cfg, warnings, err
		}
		cfg.Secret = secret
	}
	if c.sim {
		cfg.Sim.Enabled = true
	}
	return cfg, warnings, cfg.Check()
}

// readSecretFile reads a secret kept in its own file: the first line, trimmed.
// Errors name the file, never its content.
func readSecretFile(path string) (string, []string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", nil, fmt.Errorf("--secret-file: %w", err)
	}
	line, _, _ := strings.Cut(string(data), "\n")
	secret := strings.TrimSpace(line)
	if secret == "" {
		return "", nil, fmt.Errorf("--secret-file %s is empty: put the app secret on its first line", path)
	}
	var warnings []string
	if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
		warnings = append(warnings, fmt.Sprintf("secret file %s can be read by other users (mode %04o); fix: chmod 600 %s", path, st.Mode().Perm(), path))
	}
	return secret, warnings, nil
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

// secretHint explains why there is no --secret flag.
const secretHint = "the secret is never a flag (it would show in ps and shell history): set WXACODE_SECRET, put it in the config file, or use --secret-file FILE"

// isSecretFlag reports whether a flag parse failed on --secret, a flag only
// wxacode sim has.
func isSecretFlag(err error) bool {
	var ne *pflag.NotExistError
	return errors.As(err, &ne) && ne.GetSpecifiedShortnames() == "" && ne.GetSpecifiedName() == "secret"
}
