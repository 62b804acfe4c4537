package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"

	"wxacode/internal/testenv"
)

func TestExitCodeMapping(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, exitOK},
		{"reported ok is nil", reported(exitOK), exitOK},
		{"usage", usageErrorf("wxacode get: no"), exitUsage},
		{"api, wrapped", fmt.Errorf("batch: %w", fail(exitAPI, "errcode 41030")), exitAPI},
		{"reported", reported(exitInterrupted), exitInterrupted},
		{"context.Canceled", fmt.Errorf("get: %w", context.Canceled), exitInterrupted},
		{"anything else", errors.New("boom"), exitUnexpected},
	} {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, exitCode(tt.err))
		})
	}
}

// Each exit code, through the whole command line.
func TestExitCodes(t *testing.T) {
	testenv.Isolate(t)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	code := filepath.Join(t.TempDir(), "a.jpg")
	for _, tt := range []struct {
		name string
		ctx  context.Context
		args []string
		want int
	}{
		{"ok", nil, []string{"hint", "41030"}, exitOK},
		{"ok, a code on the simulator", nil, []string{"get", "--scene", "a", "-o", code}, exitOK},
		{"unexpected: the token command fails", nil, []string{"token", "--token-cmd", "exit 3"}, exitUnexpected},
		{"usage: no -o", nil, []string{"get", "--scene", "a"}, exitUsage},
		{"usage: unknown flag", nil, []string{"token", "--bogus"}, exitUsage},
		{"validation: invalid scene", nil, []string{"scene", "check", "a b"}, exitUsage},
		{"api: an unreleased page on the simulator", nil, []string{"get", "--scene", "a", "--page", "pages/not/released", "-o", code}, exitAPI},
		{"interrupted: get", cancelled, []string{"get", "--scene", "b", "-o", code}, exitInterrupted},
		{"interrupted: token", cancelled, []string{"token"}, exitInterrupted},
		{"interrupted: preview", cancelled, []string{"preview", code}, exitInterrupted},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, _, stderr := runCLI(t, tt.ctx, tt.args...)
			assert.Equal(t, tt.want, got, stderr)
		})
	}
}

// The error handler prints our reports as they are, with no credential.
func TestPrintError(t *testing.T) {
	testenv.Isolate(t)
	t.Setenv("WXACODE_SECRET", fakeSecret)
	f := NewFactory(NewIOStreams(nil, &bytes.Buffer{}, &bytes.Buffer{}))
	for _, tt := range []struct {
		err  error
		want string
	}{
		{usageErrorf("wxacode get: nothing was called; fix these first:\n  - scene: empty\n"), "wxacode get: nothing was called; fix these first:\n  - scene: empty\n"},
		{reported(exitAPI), ""},
		{errors.New("boom"), "wxacode: boom\n"},
		{fail(exitUnexpected, "wxacode token: GET https://x/cgi-bin/token?secret=%s&access_token=abc refused", fakeSecret), "wxacode token: GET https://x/cgi-bin/token?secret=REDACTED&access_token=REDACTED refused\n"},
		{fail(exitUnexpected, "wxacode get: the server said %s", fakeSecret), "wxacode get: the server said REDACTED\n"},
	} {
		var b bytes.Buffer
		f.report(&b, tt.err)
		assert.Equal(t, tt.want, b.String())
	}
}

// Our errors are kept from fang (catchErrors): its error path asks the
// terminal for its background colour, which holds the exit for seconds on a
// terminal that does not answer.
func TestErrorsDoNotReachFang(t *testing.T) {
	testenv.Isolate(t)
	for _, args := range [][]string{
		{"get"}, {"get", "--bogus"}, {"gte"}, {"scene"}, {"scene", "check"}, {"hint"},
		{"completion", "tcsh"}, {"completion", "bash", "stray"}, {"help", "nope"}, {"token", "stray"},
	} {
		f := NewFactory(NewIOStreams(nil, io.Discard, io.Discard))
		root := newRootCmd(f)
		root.SetArgs(args)
		assert.NoError(t, root.ExecuteContext(t.Context()), args)
		assert.Equal(t, exitUsage, exitCode(f.err), args)
	}
}
