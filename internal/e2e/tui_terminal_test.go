package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
	"wxacode/wechat/sim"
)

// The designer in real terminals: the binary runs on the simulator with a
// page and scene from flags, regenerates at once, and the code on screen
// must scan to what the simulator encoded.

const terminalScene = "id=42"

func wantLaunch() string { return sim.LaunchURL("release", "pages/index/index", terminalScene) }

func run5s(name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return exec.CommandContext(ctx, name, args...).Output()
}

// TestTUIXtermSixel runs the designer in xterm (VT340, sixel) under Xvfb,
// screenshots the window and decodes the code from the screenshot.
// WXACODE_SCREENSHOT=path keeps the screenshot (docs/screenshot.png).
func TestTUIXtermSixel(t *testing.T) {
	xvfb := testenv.Tool(t, "Xvfb", "xvfb")
	xterm := testenv.Tool(t, "xterm", "xterm")
	testenv.Tool(t, "xwininfo", "x11-utils")
	testenv.Tool(t, "zbarimg", "zbar-tools")
	importBin := testenv.File(t, "/usr/bin/import", "imagemagick")
	bin := buildWxacode(t)
	dir := t.TempDir()

	display := startXvfb(t, xvfb)
	// The designer sets the window title; the display is ours alone, so the name is unique.
	const title = "wxacode"

	xt := exec.Command(xterm, "-ti", "vt340", "-xrm", "XTerm*decTerminalID: vt340",
		"-xrm", "XTerm*numColorRegisters: 256", "-xrm", "XTerm*allowWindowOps: true",
		"-bg", "#202020", "-fg", "#e0e0e0", "-geometry", "120x40+0+0", "-fa", "Monospace", "-fs", "10", "-title", title,
		"-e", bin, "--sim", "--graphics", "sixel", "--page", "pages/index/index", "--scene", terminalScene)
	xt.Env = append(os.Environ(), "DISPLAY="+display, "XDG_STATE_HOME="+dir, "WXACODE_APPID=", "WXACODE_ACCESS_TOKEN=")
	require.NoError(t, xt.Start())
	t.Cleanup(func() { xt.Process.Kill(); xt.Wait() })

	shot := filepath.Join(dir, "shot.png")
	// scan screenshots the window until the code on it decodes to want.
	scan := func(want string, wait time.Duration) (wid, last string) {
		for deadline := time.Now().Add(wait); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
			if wid == "" {
				info, err := runEnv(display, "xwininfo", "-name", title)
				if err != nil {
					continue
				}
				for _, line := range strings.Split(string(info), "\n") {
					if i := strings.Index(line, "Window id: "); i >= 0 {
						wid = strings.Fields(line[i+len("Window id: "):])[0]
					}
				}
				if wid == "" {
					continue
				}
			}
			if _, err := runEnv(display, importBin, "-window", wid, shot); err != nil {
				continue
			}
			out, _ := run5s("zbarimg", "-q", "--raw", shot)
			if last = strings.TrimSpace(string(out)); last == want {
				return wid, last
			}
		}
		return wid, last
	}
	wid, last := scan(wantLaunch(), 60*time.Second)
	require.Equal(t, wantLaunch(), last, "the code in the xterm screenshot never scanned to the launch URL")
	if p := os.Getenv("WXACODE_SCREENSHOT"); p != "" {
		data, err := os.ReadFile(shot)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(p, data, 0o644))
	}

	// A second code of the same size is drawn straight over the first, with
	// no clear and no repaint: it must scan as the new one, with nothing of
	// the old left. Keys go in through XTEST to the window under the pointer.
	xdotool := testenv.Tool(t, "xdotool", "xdotool")
	out, err := runEnv(display, xdotool, "mousemove", "--window", wid, "200", "200")
	require.NoError(t, err, string(out))
	out, err = runEnv(display, xdotool, "key", "--delay", "50", "Tab", "Tab", "End", "7", "ctrl+g")
	require.NoError(t, err, string(out))
	second := sim.LaunchURL("release", "pages/index/index", terminalScene+"7")
	_, last = scan(second, 30*time.Second)
	require.Equal(t, second, last, "the second code, drawn over the first, scans")
}

func runEnv(display, name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	return cmd.Output()
}

// TestTUITmuxBlocks runs the designer in tmux with half blocks, captures the
// pane with its colours, rebuilds a bitmap from the block glyphs and scans it.
// Then it saves with ctrl+s and enter, as a user would, checks the file and
// its sidecar, and quits with ctrl+c: the shell sees exit status 130.
func TestTUITmuxBlocks(t *testing.T) {
	tmux := testenv.Tool(t, "tmux", "tmux")
	testenv.Tool(t, "zbarimg", "zbar-tools")
	bin := buildWxacode(t)
	dir := t.TempDir()
	saveDir := filepath.Join(dir, "codes")
	require.NoError(t, os.Mkdir(saveDir, 0o755))
	exitFile := filepath.Join(dir, "exit")
	sock := fmt.Sprintf("wxacode-test-%d", os.Getpid())
	shell := fmt.Sprintf("cd %s && XDG_STATE_HOME=%s WXACODE_APPID= WXACODE_ACCESS_TOKEN= %s --sim --graphics blocks --page pages/index/index --scene %s; echo $? > %s; sleep 30",
		saveDir, dir, bin, terminalScene, exitFile)
	out, err := exec.Command(tmux, "-L", sock, "-f", "/dev/null", "new-session", "-d", "-s", "cap",
		"-x", "120", "-y", "40", shell).CombinedOutput()
	require.NoError(t, err, string(out))
	t.Cleanup(func() { exec.Command(tmux, "-L", sock, "kill-server").Run() })

	img := filepath.Join(dir, "cap.png")
	var last string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && last != wantLaunch(); time.Sleep(300 * time.Millisecond) {
		cap, err := run5s(tmux, "-L", sock, "capture-pane", "-e", "-p", "-t", "cap")
		if err != nil {
			continue
		}
		// The form takes the first 47 columns at this width.
		if err := blocksToPNG(string(cap), 47, img); err != nil {
			continue
		}
		res, _ := run5s("zbarimg", "-q", "--raw", img)
		last = strings.TrimSpace(string(res))
	}
	require.Equal(t, wantLaunch(), last, "the half-block code in tmux never scanned to the launch URL")

	// ctrl+s proposes a name in the current folder; enter accepts it.
	keys := func(k ...string) {
		out, err := exec.Command(tmux, append([]string{"-L", sock, "send-keys", "-t", "cap"}, k...)...).CombinedOutput()
		require.NoError(t, err, string(out))
	}
	keys("C-s")
	time.Sleep(300 * time.Millisecond)
	keys("Enter")
	var saved []string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && len(saved) == 0; time.Sleep(200 * time.Millisecond) {
		saved, _ = filepath.Glob(filepath.Join(saveDir, "*.jpg"))
	}
	require.Len(t, saved, 1, "ctrl+s then enter saves one code in the current folder")
	res, err := run5s("zbarimg", "-q", "--raw", saved[0])
	require.NoError(t, err)
	assert.Equal(t, wantLaunch(), strings.TrimSpace(string(res)), "the saved file is the code on screen")
	var sidecar map[string]any
	data, err := os.ReadFile(saved[0] + ".json")
	require.NoError(t, err, "a sidecar NAME.jpg.json beside the code")
	require.NoError(t, json.Unmarshal(data, &sidecar))
	assert.NotEmpty(t, sidecar["sha256"])
	entries, err := os.ReadDir(saveDir)
	require.NoError(t, err)
	assert.Len(t, entries, 2, "the code and its sidecar, no temp file left")

	keys("C-c")
	var status string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && status == ""; time.Sleep(200 * time.Millisecond) {
		b, _ := os.ReadFile(exitFile)
		status = strings.TrimSpace(string(b))
	}
	assert.Equal(t, "130", status, "ctrl+c quits with exit status 130")
}
