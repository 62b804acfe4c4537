package main

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/config/testenv"
	"wxacode/preview/blockscan"
	"wxacode/wechat"
	"wxacode/wechat/sim"
)

func previewRun(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), append([]string{"preview"}, args...), stdio{strings.NewReader(""), &out, &errb})
	return code, out.String(), errb.String()
}

// simCode gets a real simulated unlimited code and returns its file and the
// URL it must decode to.
func simCode(t *testing.T, req *wechat.UnlimitedRequest) (path, want string) {
	t.Helper()
	s := sim.New(sim.DefaultConfig())
	base, err := s.Listen("127.0.0.1:0")
	require.NoError(t, err)
	defer s.Close()
	c := wechat.NewClient(wechat.WithBaseURL(base),
		wechat.WithTokenSource(wechat.NewStableToken(sim.DefaultAppID, sim.DefaultSecret, wechat.TokenOptions{BaseURL: base})))
	code, err := c.Get(context.Background(), req)
	require.NoError(t, err)
	path = filepath.Join(t.TempDir(), "code"+code.Format.Ext())
	require.NoError(t, os.WriteFile(path, code.Bytes, 0o644))
	page := req.Page
	if page == "" {
		page = "pages/index/index"
	}
	return path, sim.LaunchURL("release", page, req.Scene)
}

func TestPreviewCommand(t *testing.T) {
	path, _ := simCode(t, &wechat.UnlimitedRequest{Scene: "id=42", Page: "pages/index/index", CheckPath: wechat.Bool(false)})

	code, out, errs := previewRun(t, path, "--graphics", "blocks", "--cols", "50")
	require.Equal(t, exitOK, code, errs)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	assert.True(t, strings.HasPrefix(lines[0], "\x1b[38;2;"), "forced dark-on-light colours")

	code, out, _ = previewRun(t, "--graphics=sixel", "--cols=40", path)
	require.Equal(t, exitOK, code)
	assert.True(t, strings.HasPrefix(out, "\x1bP0;1;0q\"1;1;"))

	code, out, _ = previewRun(t, path, "--graphics", "none")
	require.Equal(t, exitOK, code)
	assert.Equal(t, path+": 430×430 px\n", out)

	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "give at least one FILE"},
		{[]string{path, "--graphics", "ascii"}, "--graphics: unknown graphics mode"},
		{[]string{path, "--background", "black"}, "--background: unknown background"},
		{[]string{path, "--cols", "-3"}, "--cols must be a positive"},
		{[]string{filepath.Join(t.TempDir(), "missing.png")}, "cannot read"},
		{[]string{"--nope"}, "flag provided but not defined"},
	} {
		code, _, errs := previewRun(t, c.args...)
		assert.Equal(t, exitUsage, code, c.args)
		assert.Contains(t, errs, c.want, c.args)
	}
	notImage := filepath.Join(t.TempDir(), "x.png")
	require.NoError(t, os.WriteFile(notImage, []byte("hello"), 0o644))
	code, _, errs = previewRun(t, notImage)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errs, "not a PNG or JPEG image")

	// Several files: each under its name; a bad one is reported, the others
	// are still shown, and the exit status says something failed.
	code, out, errs = previewRun(t, path, notImage, path, "--graphics", "none")
	assert.Equal(t, exitUsage, code)
	assert.Equal(t, path+"\n"+path+": 430×430 px\n"+notImage+"\n"+path+"\n"+path+": 430×430 px\n", out)
	assert.Contains(t, errs, notImage+": not a PNG or JPEG image")

	// Kitty images get an id each, so the second does not replace the first.
	t.Setenv("KITTY_WINDOW_ID", "1")
	code, out, _ = previewRun(t, path, path, "--graphics", "kitty", "--cols", "20")
	require.Equal(t, exitOK, code)
	ids := map[string]bool{}
	for _, m := range regexp.MustCompile(`i=(\d+)`).FindAllStringSubmatch(out, -1) {
		ids[m[1]] = true
	}
	assert.Len(t, ids, 2, "two kitty image ids")
}

func zbarFile(t *testing.T, path string) string {
	t.Helper()
	out, _ := exec.Command(testenv.Tool(t, "zbarimg", "zbar-tools"), "-q", "--raw", path).Output()
	return strings.TrimSpace(string(out))
}

// The half-block fallback, in tmux (which cannot show sixel), captured as text
// and scanned.
func TestPreviewBlocksScanInTmux(t *testing.T) {
	tmux := testenv.Tool(t, "tmux", "tmux")
	testenv.Tool(t, "zbarimg", "zbar-tools")
	bin := buildWxacode(t)
	path, want := simCode(t, &wechat.UnlimitedRequest{Scene: "id=42&from=tmux", Page: "pages/index/index", CheckPath: wechat.Bool(false)})
	sock := fmt.Sprintf("wxprev%d-%d", os.Getpid(), rand.IntN(1e6))
	defer exec.Command(tmux, "-L", sock, "kill-server").Run() //nolint:errcheck

	for _, cols := range []int{72, 150} {
		t.Run(fmt.Sprint(cols), func(t *testing.T) {
			session := fmt.Sprintf("c%d", cols)
			cmdline := fmt.Sprintf("%s preview --graphics blocks --cols %d %s; echo END; sleep 30", bin, cols, path)
			cmd := exec.Command(tmux, "-L", sock, "-f", "/dev/null", "new-session", "-d", "-s", session,
				"-x", "160", "-y", "100", cmdline)
			cmd.Env = append(withoutTMUX(os.Environ()), "TERM=xterm-256color")
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, string(out))
			var text string
			for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
				b, err := exec.Command(tmux, "-L", sock, "capture-pane", "-p", "-t", session).Output()
				if err == nil && strings.Contains(string(b), "END") {
					text = string(b)
					break
				}
			}
			require.NotEmpty(t, text, "the preview never finished in tmux")
			text, _, _ = strings.Cut(text, "END")
			lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
			var b bytes.Buffer
			require.NoError(t, png.Encode(&b, blockscan.Text(strings.Join(lines, "\n"))))
			shot := filepath.Join(t.TempDir(), "tmux.png")
			require.NoError(t, os.WriteFile(shot, b.Bytes(), 0o644))
			assert.Equal(t, want, zbarFile(t, shot))
		})
	}
}

// withoutTMUX drops $TMUX so the test's own tmux server also starts when the
// tests themselves run inside tmux.
func withoutTMUX(env []string) []string {
	var out []string
	for _, e := range env {
		if !strings.HasPrefix(e, "TMUX=") && !strings.HasPrefix(e, "TERM=") {
			out = append(out, e)
		}
	}
	return out
}

// A real terminal: xterm in VT340 mode (sixel) under Xvfb runs
// `wxacode preview --graphics sixel`; the screenshot must scan back to the URL.
func TestPreviewSixelInXterm(t *testing.T) {
	xvfb := testenv.Tool(t, "Xvfb", "xvfb")
	xterm := testenv.Tool(t, "xterm", "xterm")
	xwininfo := testenv.Tool(t, "xwininfo", "x11-utils")
	importBin := testenv.File(t, "/usr/bin/import", "imagemagick")
	testenv.Tool(t, "zbarimg", "zbar-tools")
	bin := buildWxacode(t)

	display := startXvfb(t, xvfb)

	cases := []struct {
		name string
		req  *wechat.UnlimitedRequest
		bg   string
	}{
		{"jpeg 430", &wechat.UnlimitedRequest{Scene: "id=42&from=xterm", Page: "pages/index/index", CheckPath: wechat.Bool(false)}, "white"},
		{"transparent png 1280", &wechat.UnlimitedRequest{Scene: "t=1", Page: "pages/index/index", CheckPath: wechat.Bool(false), IsHyaline: true, Width: 1280}, "white"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path, want := simCode(t, c.req)
			title := fmt.Sprintf("wxprev-%d-%d", os.Getpid(), i)
			// A dark background makes a black transparent area or an erase bug visible.
			term := exec.Command(xterm, "-display", display, "-ti", "vt340",
				"-xrm", "XTerm*decTerminalID: vt340", "-xrm", "XTerm*numColorRegisters: 256",
				"-xrm", "XTerm*allowWindowOps: true", "-bg", "#202020", "-fg", "#e0e0e0",
				"-geometry", "100x45+0+0", "-title", title,
				"-e", "sh", "-c", fmt.Sprintf("%s preview --graphics sixel --background %s %s; sleep 60", bin, c.bg, path))
			errFile, err := os.Create(filepath.Join(t.TempDir(), "xterm.err"))
			require.NoError(t, err)
			defer errFile.Close()
			term.Stderr = errFile
			require.NoError(t, term.Start())
			defer func() { _ = term.Process.Kill(); _ = term.Wait() }()

			var wid string
			for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline) && wid == ""; time.Sleep(100 * time.Millisecond) {
				out, err := exec.Command(xwininfo, "-display", display, "-name", title).Output()
				if err != nil {
					continue
				}
				for _, l := range strings.Split(string(out), "\n") {
					if f := strings.Fields(l); len(f) >= 4 && strings.Contains(l, "Window id:") {
						wid = f[3]
					}
				}
			}
			if wid == "" {
				msg, _ := os.ReadFile(errFile.Name())
				t.Fatalf("xterm window never appeared: %s", msg)
			}
			shot := filepath.Join(t.TempDir(), "shot.png")
			var got string
			// The image is drawn once the preview has run: retry the screenshot a few times.
			for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && got == ""; time.Sleep(500 * time.Millisecond) {
				out, err := exec.Command(importBin, "-display", display, "-window", wid, shot).CombinedOutput()
				if err != nil {
					t.Logf("import: %v: %s", err, out)
					continue
				}
				got = zbarFile(t, shot)
			}
			assert.Equal(t, want, got, "screenshot %s", shot)
		})
	}
}
