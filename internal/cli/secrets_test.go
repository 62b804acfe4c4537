package cli

import (
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
	"wxacode/internal/wechattest"
	"wxacode/wechat"
)

const (
	// leakSecret has characters that URL and JSON escaping change.
	leakSecret = "fqZg+/mdS7=jnqFCiI5ydYgqTxIBAiC"
	leakToken  = "91_nFIGLj5M7YYpHCOTHUtuJvbipRdkJAWZ4moUxm-yI5B-KGnplJJpdu0ol29vX6N-631mG8YE5-is-I4cZ2cSV8HTMyf8GmXmeyNdaKTGoeszaDGHxFAQLVeuzU-XFXO-eF28R"
)

// TestSecretsInEverySink drives every command that talks to WeChat against a
// fake that echoes the app secret and the access token in every field it
// can, and checks that no sink (stdout, stderr, the debug log, failed.csv,
// the manifest) holds either, nor any 8-character run of either, in any case
// or escaping.
func TestSecretsInEverySink(t *testing.T) {
	modes := append(append([]wechattest.Leak{}, wechattest.TokenLeaks...), wechattest.CodeLeaks...)
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) {
			testenv.Isolate(t)
			fake := &wechattest.Hostile{Secret: leakSecret, Token: leakToken, Mode: mode}
			srv := httptest.NewServer(fake)
			t.Cleanup(srv.Close)
			dir := t.TempDir()
			logPath := filepath.Join(dir, "debug.log")
			t.Setenv("WXACODE_APPID", "wx0123456789abcdef")
			t.Setenv("WXACODE_SECRET", leakSecret)
			t.Setenv("WXACODE_BASE_URL", srv.URL)
			t.Setenv(debugLogVar, logPath)

			in := filepath.Join(dir, "in.csv")
			require.NoError(t, os.WriteFile(in, []byte("scene\nid=1\nid=2\n"), 0o600))
			out := filepath.Join(dir, "out")
			runs := [][]string{
				{"get", "--scene", "id=42", "-o", filepath.Join(dir, "c.jpg")},
				{"get", "--json", "--scene", "id=42", "-o", filepath.Join(dir, "j.jpg")},
				{"get", "--json", "--data-uri", "--scene", "id=42"},
				{"token"},
				{"token", "--json"},
				{"batch", "--in", in, "--out", out, "--concurrency", "1"},
			}
			for _, args := range runs {
				code, stdout, stderr := runCLIWith(t, noWaits, args...)
				if args[0] != "token" || mode != wechattest.LeakTokenStringExpiry && slices.Contains(wechattest.TokenLeaks, mode) {
					require.NotEqual(t, exitOK, code, "%v must fail in mode %s (stdout %q)", args, mode, stdout)
				}
				requireNoRun(t, args[0]+" stdout", stdout)
				requireNoRun(t, args[0]+" stderr", stderr)
			}
			require.NotZero(t, fake.Requests.Load())
			for _, f := range []string{logPath, filepath.Join(out, "failed.csv"), filepath.Join(out, "manifest.jsonl")} {
				data, err := os.ReadFile(f)
				if os.IsNotExist(err) && (f != logPath || !slices.Contains(wechattest.CodeLeaks, mode)) {
					continue // the log has a line only for calls that reached a code endpoint
				}
				require.NoError(t, err)
				requireNoRun(t, filepath.Base(f), string(data))
			}
			if slices.Contains(wechattest.CodeLeaks, mode) {
				// Rows fail one by one (a credential error would stop the run
				// instead, with its report on stderr, checked above).
				failed, err := os.ReadFile(filepath.Join(out, "failed.csv"))
				require.NoError(t, err, "batch writes its failed rows")
				require.Contains(t, string(failed), "errmsg")
			}
		})
	}
}

// noWaits makes retries immediate: the hostile modes are retryable (5xx,
// text bodies) and would otherwise wait out real back-offs.
func noWaits(f *Factory) {
	f.clientOptions = []wechat.Option{wechat.WithRetry(2, time.Millisecond)}
	f.batchBackoff = time.Millisecond
}

// requireNoRun fails when text holds any 8-character run of the secret or the
// token, in any case or escaping.
func requireNoRun(t *testing.T, sink, text string) {
	t.Helper()
	wechattest.RequireNoRun(t, sink, text, leakSecret, leakToken)
}

// TestPanicReportRedacted: a panic's value and stack are redacted like every
// other report.
func TestPanicReportRedacted(t *testing.T) {
	testenv.Isolate(t)
	t.Setenv("WXACODE_SECRET", leakSecret)
	f := NewFactory(NewIOStreams(strings.NewReader(""), io.Discard, io.Discard))
	var b strings.Builder
	f.reportPanic(&b, errors.New("boom "+strings.ToUpper(leakSecret)), []byte("goroutine 1 [running]:\n"+leakSecret[:12]))
	assert.Contains(t, b.String(), "internal error")
	requireNoRun(t, "panic report", b.String())
}

// TestDebugLogHandlerRedacts: whatever is logged, the file gets it redacted.
func TestDebugLogHandlerRedacts(t *testing.T) {
	var b strings.Builder
	red := wechat.NewRedactor(leakSecret, leakToken)
	l := slog.New(redactingHandler{slog.NewTextHandler(&b, &slog.HandlerOptions{Level: slog.LevelDebug}), red.Redact})
	l.With("pre", strings.ToUpper(leakToken)).WithGroup("g").Debug("msg "+leakSecret, "s", leakToken[:40],
		"err", errors.New(url.QueryEscape(leakSecret)), "n", 3)
	assert.Contains(t, b.String(), "n=3")
	requireNoRun(t, "debug log", b.String())
}
