package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// runCLI runs the command line in-process on buffers, as main runs it on the
// process's streams.
func runCLI(t *testing.T, ctx context.Context, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	if ctx == nil {
		ctx = context.Background()
	}
	var out, errb bytes.Buffer
	code = runOn(ctx, args, &out, &errb)
	return code, out.String(), errb.String()
}

// runOn runs the command line on the given writers (a pipe, for a command
// that keeps running) with an empty stdin.
func runOn(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return Run(ctx, args, strings.NewReader(""), stdout, stderr)
}

// startRaw serves h on loopback for the test's lifetime.
func startRaw(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}
