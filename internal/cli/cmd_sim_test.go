package cli

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/wechat/sim"
)

func TestCmdSimStartsAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		code := runOn(ctx, []string{"sim", "--addr", "127.0.0.1:0", "--appid", "wxtest", "--secret", "s3cret"}, pw, &stderr)
		pw.Close()
		done <- code
	}()
	lines := bufio.NewScanner(pr)
	require.True(t, lines.Scan())
	base := lines.Text()
	require.Regexp(t, `^http://127\.0\.0\.1:[0-9]+$`, base)
	require.True(t, lines.Scan())
	assert.Equal(t, "appid: wxtest", lines.Text())
	require.True(t, lines.Scan())
	assert.Equal(t, "secret: s3cret", lines.Text())

	resp, err := http.Get(base + "/cgi-bin/token?grant_type=client_credential&appid=wxtest&secret=s3cret")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(body), `"expires_in":7200`)

	cancel()
	for lines.Scan() {
	}
	assert.Equal(t, exitOK, <-done)
	assert.Contains(t, stderr.String(), "GET /cgi-bin/token")
	assert.NotContains(t, stderr.String(), "s3cret", "the request log redacts the secret")
}

func TestCmdSimDefaults(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // already cancelled: start, print, stop
	var out, errb bytes.Buffer
	code := runOn(ctx, []string{"sim", "--addr", "127.0.0.1:0"}, &out, &errb)
	require.Equal(t, exitOK, code, errb.String())
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 3)
	assert.Equal(t, "appid: "+sim.DefaultAppID, lines[1])
	assert.Equal(t, "secret: "+sim.DefaultSecret, lines[2])
}

func TestCmdSimUsageErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "sim.toml")
	require.NoError(t, os.WriteFile(bad, []byte("released = []\n"), 0o600))
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--addr", "0.0.0.0:8717"}, "loopback only"},
		{[]string{"--addr", "8717"}, "host:port"},
		{[]string{"--config", bad}, "unknown key(s) released"},
		{[]string{"--config", filepath.Join(t.TempDir(), "none.toml")}, "no such file"},
		{[]string{"--nope"}, "unknown flag: --nope"},
		{[]string{"extra"}, "unexpected argument"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			code := runOn(context.Background(), append([]string{"sim"}, tc.args...), &out, &errb)
			assert.Equal(t, exitUsage, code)
			assert.Contains(t, errb.String(), tc.want)
			assert.Empty(t, out.String())
		})
	}
}
