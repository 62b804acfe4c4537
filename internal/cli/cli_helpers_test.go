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
// that keeps running) with an empty stdin; seams, if any, set the Factory's
// test seams first.
func runOn(ctx context.Context, args []string, stdout, stderr io.Writer, seams ...func(*Factory)) int {
	f := NewFactory(NewIOStreams(strings.NewReader(""), stdout, stderr))
	for _, s := range seams {
		s(f)
	}
	return run(ctx, f, args)
}

// runCLIWith is runCLI with the Factory's test seams set by seam.
func runCLIWith(t *testing.T, seam func(*Factory), args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = runOn(context.Background(), args, &out, &errb, seam)
	return code, out.String(), errb.String()
}

// startRaw serves h on loopback for the test's lifetime.
func startRaw(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}
