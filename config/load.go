package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// Environment variables, applied over the file.
const (
	EnvAppID       = "WXACODE_APPID"
	EnvSecret      = "WXACODE_SECRET"
	EnvAccessToken = "WXACODE_ACCESS_TOKEN"
	EnvTokenCmd    = "WXACODE_TOKEN_CMD"
	EnvBaseURL     = "WXACODE_BASE_URL"
	EnvConfig      = "WXACODE_CONFIG"
)

// DefaultPath is wxacode/config.toml under os.UserConfigDir(); "" when the
// platform has no config directory (no HOME).
func DefaultPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "wxacode", "config.toml")
}

// StateDir is where the quota ledger and history live: $XDG_STATE_HOME/wxacode,
// or ~/.local/state/wxacode; "" when neither can be found.
func StateDir() string {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "wxacode")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".local", "state", "wxacode")
}

// CacheDir is where token caches (0600 files) live: os.UserCacheDir()/wxacode;
// "" when there is none (tokens are then kept in memory only).
func CacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "wxacode")
}

// Load builds the configuration: Default(), then the file, then the
// environment (env is os.Getenv in production; nil means no variables).
//
// path is the --config flag; "" means $WXACODE_CONFIG, and failing that
// DefaultPath(). A missing default file is fine; a missing file that was
// named explicitly is an error. Warnings (a secret in a file others can read,
// the classic token mode) are returned for the caller to print.
func Load(path string, env func(string) string) (Config, []string, error) {
	if env == nil {
		env = func(string) string { return "" }
	}
	cfg := Default()
	var warnings []string
	explicit := true
	if path == "" {
		path = env(EnvConfig)
	}
	if path == "" {
		path, explicit = DefaultPath(), false
	}
	if path != "" {
		w, err := loadFile(&cfg, path, explicit)
		if err != nil {
			return cfg, nil, err
		}
		warnings = append(warnings, w...)
	}
	applyEnv(&cfg, env)
	if err := cfg.Check(); err != nil {
		where := "configuration"
		if cfg.File != "" {
			where = cfg.File
		}
		return cfg, warnings, fmt.Errorf("%s: %w", where, err)
	}
	if cfg.TokenMode == TokenClassic {
		warnings = append(warnings, "token_mode = \"classic\" uses /cgi-bin/token, which invalidates the token every other server of this mini program holds (they get 40001); use \"stable\" unless nothing else uses this appid")
	}
	return cfg, warnings, nil
}

// loadFile decodes path over cfg.
func loadFile(cfg *Config, path string, explicit bool) ([]string, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		return nil, nil
	}
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("config file %s does not exist: create it (see config.example.toml) or drop --config / %s", path, EnvConfig)
		}
		return nil, fmt.Errorf("config file: %w", err)
	}
	md, err := toml.Decode(string(data), cfg)
	if err != nil {
		return nil, fmt.Errorf("config file %s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		sort.Strings(keys)
		return nil, fmt.Errorf("config file %s: unknown key(s) %s; see config.example.toml for every key", path, strings.Join(keys, ", "))
	}
	cfg.File = path
	if cfg.Sim.Config != "" && !filepath.IsAbs(cfg.Sim.Config) {
		cfg.Sim.Config = filepath.Join(filepath.Dir(path), cfg.Sim.Config)
	}
	var warnings []string
	if cfg.HoldsSecret() {
		if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
			warnings = append(warnings, fmt.Sprintf("config file %s holds a secret but other users can read it (mode %04o); fix: chmod 600 %s", path, st.Mode().Perm(), path))
		}
	}
	return warnings, nil
}

// applyEnv lays the WXACODE_* variables over cfg; an empty variable counts as unset.
func applyEnv(cfg *Config, env func(string) string) {
	for name, dst := range map[string]*string{
		EnvAppID: &cfg.AppID, EnvSecret: &cfg.Secret, EnvAccessToken: &cfg.AccessToken,
		EnvTokenCmd: &cfg.TokenCmd, EnvBaseURL: &cfg.BaseURL,
	} {
		if v := strings.TrimSpace(env(name)); v != "" {
			*dst = v
		}
	}
}
