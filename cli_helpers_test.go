package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// isolateUser points HOME and the XDG folders at a temp dir and clears the
// WXACODE_* variables, so no test reads or writes the real user's files.
func isolateUser(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "config"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(home, "state"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(home, "cache"))
	for _, k := range []string{"WXACODE_APPID", "WXACODE_SECRET", "WXACODE_ACCESS_TOKEN", "WXACODE_TOKEN_CMD", "WXACODE_BASE_URL", "WXACODE_CONFIG"} {
		t.Setenv(k, "")
	}
	return home
}

// runCLI runs the command line in-process.
func runCLI(t *testing.T, ctx context.Context, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	if ctx == nil {
		ctx = context.Background()
	}
	var out, errb bytes.Buffer
	code = run(ctx, args, stdio{strings.NewReader(""), &out, &errb})
	return code, out.String(), errb.String()
}

// startRaw serves h on loopback for the test's lifetime.
func startRaw(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}
