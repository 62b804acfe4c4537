package e2e

import (
	"bytes"
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

	"wxacode/internal/blockscan"
	"wxacode/internal/testenv"
	"wxacode/shell"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A real plain QR code (codeimage/testdata/realcodes, SOURCES.md #13) and
// what it decodes to.
const (
	realQR     = "../../codeimage/testdata/realcodes/wxaqrcode-Linton-chen-wxHB5800-1.jpg"
	realQRWant = "https://mp.weixin.qq.com/a/~03ygstYyVqdoHOK-ZGPm1A~~"
)

// sixelDCS is the start of a sixel image: ESC P, parameters, q.
var sixelDCS = regexp.MustCompile(`\x1bP[0-9;]*q`)

// tmuxServer is one tmux server of the test's own (-L), started with a
// detached session "s" running sh, whose output is recorded (pipe-pane) in
// raw: what programs wrote to the pane, before tmux turns it into cells.
type tmuxServer struct {
	t    *testing.T
	bin  string
	sock string
	raw  string
}

func startTmux(t *testing.T, bin string, cols, rows int) *tmuxServer {
	t.Helper()
	s := &tmuxServer{t: t, bin: bin, sock: fmt.Sprintf("wxsix%d-%d", os.Getpid(), rand.IntN(1e6)), raw: filepath.Join(t.TempDir(), "pane.raw")}
	cmd := exec.Command(bin, "-L", s.sock, "-f", "/dev/null", "new-session", "-d", "-s", "s",
		"-x", fmt.Sprint(cols), "-y", fmt.Sprint(rows), "sh")
	cmd.Env = append(withoutTMUX(os.Environ()), "TERM=xterm-256color", "PS1=$ ")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	t.Cleanup(func() { _ = exec.Command(bin, "-L", s.sock, "kill-server").Run() })
	s.run("pipe-pane", "-o", "-t", "s", "cat >> "+shell.Quote(s.raw))
	return s
}

func (s *tmuxServer) run(args ...string) string {
	s.t.Helper()
	out, err := run5s(s.bin, append([]string{"-L", s.sock}, args...)...)
	require.NoError(s.t, err, "tmux %v: %s", args, out)
	return string(out)
}

// preview types `wxacode preview --cols N file` (N = 0: no --cols, the
// terminal's size) into the pane's shell and waits for it to finish; it
// returns the pane's text above the end mark and everything the pane was sent.
func (s *tmuxServer) preview(bin, file string, cols int) (text, raw string) {
	s.t.Helper()
	flags := ""
	if cols > 0 {
		flags = fmt.Sprintf(" --cols %d", cols)
	}
	// The mark is computed by the shell, so its typed-in echo does not match.
	s.run("send-keys", "-t", "s", fmt.Sprintf("clear; %s preview%s %s; echo $((6*7))DONE", shell.Quote(bin), flags, shell.Quote(file)), "Enter")
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		capture := s.run("capture-pane", "-p", "-t", "s")
		if before, _, ok := strings.Cut(capture, "42DONE"); ok {
			b, err := os.ReadFile(s.raw)
			require.NoError(s.t, err)
			return before, string(b)
		}
	}
	s.t.Fatal("the preview never finished in tmux")
	return "", ""
}

// scanBlocks decodes half-block text with zbarimg.
func scanBlocks(t *testing.T, text string) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, blockscan.Text(text)))
	path := filepath.Join(t.TempDir(), "blocks.png")
	require.NoError(t, os.WriteFile(path, b.Bytes(), 0o644))
	return zbarFile(t, path)
}

// In a detached session nobody can see an image: whether tmux was built with
// sixel (and then says 4 in DA1) or not, `wxacode preview` (auto) draws half
// blocks, never a sixel for tmux to replace with its placeholder.
func TestPreviewInDetachedTmuxIsBlocks(t *testing.T) {
	testenv.Tool(t, "zbarimg", "zbar-tools")
	bin := buildWxacode(t)
	for _, c := range []struct{ name, tmux string }{
		{"debian tmux", testenv.Tool(t, "tmux", "tmux")},
		{"tmux 3.5a with sixel", testenv.TmuxSixel(t)},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := startTmux(t, c.tmux, 160, 100)
			text, raw := s.preview(bin, realQR, 100)
			assert.NotRegexp(t, sixelDCS, raw, "a sixel was sent")
			assert.Contains(t, raw, "▀", "half blocks were sent")
			assert.Equal(t, realQRWant, scanBlocks(t, text), "the half blocks scan")
		})
	}
}

// Attached in a real terminal under Xvfb: the tmux built with sixel inside
// xterm. In VT340 mode xterm has sixel, tmux learns it, and the preview is a
// sixel tmux draws: the screenshot scans. In xterm's default VT420 mode it
// has none; tmux would print "SIXEL IMAGE (…)" for a sixel, so the preview
// must be half blocks, and they scan.
func TestPreviewInTmuxSixelAttached(t *testing.T) {
	xvfb := testenv.Tool(t, "Xvfb", "xvfb")
	xterm := testenv.Tool(t, "xterm", "xterm")
	xwininfo := testenv.Tool(t, "xwininfo", "x11-utils")
	importBin := testenv.File(t, "/usr/bin/import", "imagemagick")
	testenv.Tool(t, "zbarimg", "zbar-tools")
	tmux := testenv.TmuxSixel(t)
	bin := buildWxacode(t)
	display := startXvfb(t, xvfb)

	for i, c := range []struct {
		id    string
		sixel bool
		cols  int // 0: the terminal's size
	}{{"vt340", true, 40}, {"vt420", false, 0}} {
		t.Run(c.id, func(t *testing.T) {
			s := startTmux(t, tmux, 100, 45)
			title := fmt.Sprintf("wxtmux-%d-%d", os.Getpid(), i)
			term := exec.Command(xterm, "-display", display, "-ti", c.id,
				"-xrm", "XTerm*decTerminalID: "+c.id, "-xrm", "XTerm*numColorRegisters: 256",
				"-fn", "10x20", "-geometry", "100x45+0+0", "-title", title,
				"-e", tmux, "-L", s.sock, "attach", "-t", "s")
			term.Env = withoutTMUX(os.Environ())
			errFile, err := os.Create(filepath.Join(t.TempDir(), "xterm.err"))
			require.NoError(t, err)
			defer errFile.Close()
			term.Stderr = errFile
			require.NoError(t, term.Start())
			defer func() { _ = term.Process.Kill(); _ = term.Wait() }()
			wid := xtermWindow(t, xwininfo, display, title, errFile.Name())

			// 10×20 cells: half a cell is square, so half blocks keep whole modules.
			// tmux learns the client's features from xterm's replies, just
			// after it attaches: wait for them (XTVERSION comes with them).
			var client string
			for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
				client = s.run("display-message", "-p", "-t", "s", "#{client_termtype} #{client_termfeatures}")
				if strings.HasPrefix(client, "XTerm(") && (!c.sixel || strings.Contains(client, "sixel")) {
					break
				}
			}
			require.True(t, strings.HasPrefix(client, "XTerm("), "no client attached: %q", client)
			assert.Equal(t, c.sixel, strings.Contains(client, "sixel"), "client features: %s", client)

			text, raw := s.preview(bin, realQR, c.cols)
			if !c.sixel {
				assert.NotRegexp(t, sixelDCS, raw, "a sixel was sent to a client without sixel (tmux shows its placeholder)")
				assert.Contains(t, raw, "▀", "half blocks were sent")
				assert.Equal(t, realQRWant, scanBlocks(t, text), "the half blocks scan")
				return
			}
			assert.Regexp(t, sixelDCS, raw, "no sixel was sent")
			got, shot := scanWindow(t, importBin, display, wid, 15*time.Second, 300*time.Millisecond)
			assert.Equal(t, realQRWant, got, "the sixel tmux drew does not scan: screenshot %s", shot)
		})
	}
}
