package e2e

import (
	"bytes"
	"fmt"
	"image/png"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"wxacode/internal/blockscan"
	"wxacode/internal/testenv"
	"wxacode/internal/wechattest"
	"wxacode/wechat"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The half-block fallback, in tmux (which cannot show sixel), captured as text
// and scanned.
func TestPreviewBlocksScanInTmux(t *testing.T) {
	tmux := testenv.Tool(t, "tmux", "tmux")
	testenv.Tool(t, "zbarimg", "zbar-tools")
	bin := buildWxacode(t)
	path, want := wechattest.CodeFile(t, wechat.UnlimitedRequest{Scene: "id=42&from=tmux", Page: "pages/index/index", CheckPath: wechat.Bool(false)})
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
			path, want := wechattest.CodeFile(t, *c.req)
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
			got, shot := scanWindow(t, importBin, display, wid, 20*time.Second, 500*time.Millisecond)
			assert.Equal(t, want, got, "screenshot %s", shot)
		})
	}
}
