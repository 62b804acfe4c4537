package e2e

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
	"wxacode/wechat/sim"
)

// TestTUIXtermErrorLineKeepsTheImage is issue 13's first complaint, in the
// terminal where it was seen: xterm (VT340, sixel) on a white background
// with DejaVu Sans Mono 10, 140×45 cells, a 1280 px code. A problem line
// appears under the scene (a 33rd character) and goes again (backspace),
// and by screenshots: the form never scrolled (the tab bar is still the
// top row), the image box is pixel for pixel what it was before (no strip
// of an old image above or in it) and the code still scans.
func TestTUIXtermErrorLineKeepsTheImage(t *testing.T) {
	xvfb := testenv.Tool(t, "Xvfb", "xvfb")
	xterm := testenv.Tool(t, "xterm", "xterm")
	testenv.Tool(t, "xwininfo", "x11-utils")
	xdotool := testenv.Tool(t, "xdotool", "xdotool")
	testenv.Tool(t, "zbarimg", "zbar-tools")
	testenv.File(t, "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", "fonts-dejavu-core")
	importBin := testenv.File(t, "/usr/bin/import", "imagemagick")
	bin := buildWxacode(t)
	dir := t.TempDir()
	display := startXvfb(t, xvfb)

	const (
		cols, rows = 140, 45
		scene      = "id=42&from=qrcode&campaign=abcde" // 32 characters: the most a scene takes
		title      = "wxacode"
		// The layout at 140×45 (ui.layoutFor): a 46-cell form, the pane
		// from column 47, its image box from row 3 to the status row.
		formW, boxX, boxY, statusY = 46, 48, 3, rows - 2
	)
	require.Len(t, scene, 32)
	want := sim.LaunchURL("release", "pages/index/index", scene)

	// internalBorder 0: the window is exactly the cells, so a cell's pixels
	// are the window's size over the cell count.
	xt := exec.Command(xterm, "-ti", "vt340", "-xrm", "XTerm*decTerminalID: vt340",
		"-xrm", "XTerm*numColorRegisters: 256", "-xrm", "XTerm*allowWindowOps: true", "-xrm", "XTerm*internalBorder: 0",
		"-bg", "white", "-fg", "black", "-fa", "DejaVu Sans Mono", "-fs", "10",
		"-geometry", fmt.Sprintf("%dx%d+0+0", cols, rows), "-title", title,
		"-e", bin, "--sim", "--width", "1280", "--page", "pages/index/index", "--scene", scene)
	xt.Env = append(os.Environ(), "DISPLAY="+display, "XDG_STATE_HOME="+dir, "WXACODE_APPID=", "WXACODE_ACCESS_TOKEN=")
	require.NoError(t, xt.Start())
	t.Cleanup(func() { xt.Process.Kill(); xt.Wait() })

	wid := xtermWindow(t, testenv.Tool(t, "xwininfo", "x11-utils"), display, title, "")

	n := 0
	shoot := func() (image.Image, string) {
		n++
		path := filepath.Join(dir, fmt.Sprintf("shot%d.png", n))
		out, err := runEnv(display, importBin, "-window", wid, path)
		require.NoError(t, err, string(out))
		f, err := os.Open(path)
		require.NoError(t, err)
		defer f.Close()
		img, err := png.Decode(f)
		require.NoError(t, err)
		return img, path
	}
	scans := func(path string) string {
		out, _ := run5s("zbarimg", "-q", "--raw", path)
		return strings.TrimSpace(string(out))
	}

	// A: the first code, once it scans.
	var a image.Image
	var last string
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		// The window may be found by name a moment before it can be
		// captured: until the first capture, a failing import is retried.
		if out, err := runEnv(display, importBin, "-window", wid, filepath.Join(dir, "probe.png")); err != nil {
			t.Logf("import: %v: %s", err, out)
			continue
		}
		var path string
		a, path = shoot()
		if last = scans(path); last == want {
			break
		}
	}
	require.Equal(t, want, last, "the 1280 px code never scanned in the screenshot")
	b := a.Bounds()
	require.Zero(t, b.Dx()%cols, "window %v is not whole cells", b)
	require.Zero(t, b.Dy()%rows, "window %v is not whole cells", b)
	cw, ch := b.Dx()/cols, b.Dy()/rows
	t.Logf("cell %d×%d px", cw, ch)
	cells := func(x0, y0, x1, y1 int) image.Rectangle { return image.Rect(x0*cw, y0*ch, x1*cw, y1*ch) }
	// The tab bar up to "History", whose count grows with every code.
	tabBar := cells(0, 0, len("wxacode designer  Preview  Hint  Scene  Request  History"), 1)
	form := cells(0, 1, formW, statusY)
	box := cells(boxX, boxY, cols, statusY)
	belowInfo := cells(formW+1, boxY-1, cols, statusY) // the mode line and the box

	// The image must have reached the box: it is not all white.
	require.NotZero(t, differing(a, image.NewUniform(color.White), box), "no image in the box")

	// B: a 33rd character puts a problem line under the scene.
	out, err := runEnv(display, xdotool, "mousemove", "--window", wid, "100", "100")
	require.NoError(t, err, string(out))
	key := func(k ...string) {
		out, err := runEnv(display, xdotool, append([]string{"key", "--delay", "60"}, k...)...)
		require.NoError(t, err, string(out))
	}
	key("Tab", "Tab", "End") // the scene, its cursor at the end
	var shot image.Image
	var path string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if shot, _ = shoot(); differing(a, shot, form) > 0 {
			break
		}
	}
	time.Sleep(time.Second)
	focused, _ := shoot() // the form as it will be again after the backspace
	key("x")
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if shot, _ = shoot(); differing(focused, shot, form) > 0 {
			break
		}
	}
	require.NotZero(t, differing(focused, shot, form), "the form never changed")
	time.Sleep(time.Second) // any redraw after the frame is done by now
	shot, path = shoot()
	requireSame(t, a, shot, tabBar, "with the problem line: the tab bar is still the top row (the screen did not scroll)", path)
	requireSame(t, a, shot, box, "with the problem line: the image box is unchanged", path)

	// C: backspace takes it away; the simulator regenerates the same code.
	key("BackSpace")
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
		if shot, path = shoot(); differing(focused, shot, form) == 0 && differing(a, shot, belowInfo) == 0 {
			break
		}
	}
	time.Sleep(time.Second)
	shot, path = shoot()
	requireSame(t, a, shot, tabBar, "without it again: the tab bar is the top row", path)
	requireSame(t, focused, shot, form, "without it again: the form is as it was", path)
	requireSame(t, a, shot, belowInfo, "without it again: the pane below the info line, the image box with it, is as it was", path)
	require.Equal(t, want, scans(path), "the code still scans")
}

// differing counts the pixels of r that differ between a and b.
func differing(a, b image.Image, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 {
				n++
			}
		}
	}
	return n
}

// requireSame fails, naming the screenshot kept, when r differs between a and b.
func requireSame(t *testing.T, a, b image.Image, r image.Rectangle, what, path string) {
	t.Helper()
	if n := differing(a, b, r); n > 0 {
		keep := filepath.Join(os.TempDir(), "wxacode-"+filepath.Base(path))
		if data, err := os.ReadFile(path); err == nil {
			_ = os.WriteFile(keep, data, 0o644)
		}
		t.Fatalf("%s: %d pixels of %v differ (screenshot kept as %s)", what, n, r, keep)
	}
}

// TestTUIXtermCompareSideBySide: two codes from the History pane, side by
// side in one sixel (alt+m marks, enter compares), both scan from the
// same screenshot.
func TestTUIXtermCompareSideBySide(t *testing.T) {
	xvfb := testenv.Tool(t, "Xvfb", "xvfb")
	xterm := testenv.Tool(t, "xterm", "xterm")
	testenv.Tool(t, "xwininfo", "x11-utils")
	xdotool := testenv.Tool(t, "xdotool", "xdotool")
	testenv.Tool(t, "zbarimg", "zbar-tools")
	importBin := testenv.File(t, "/usr/bin/import", "imagemagick")
	bin := buildWxacode(t)
	dir := t.TempDir()
	display := startXvfb(t, xvfb)
	const title = "wxacode"
	// metaSendsEscape: alt+y arrives as ESC y, as most terminals send it.
	xt := exec.Command(xterm, "-ti", "vt340", "-xrm", "XTerm*decTerminalID: vt340",
		"-xrm", "XTerm*numColorRegisters: 256", "-xrm", "XTerm*allowWindowOps: true", "-xrm", "XTerm*metaSendsEscape: true",
		"-bg", "white", "-fg", "black", "-fa", "DejaVu Sans Mono", "-fs", "10", "-geometry", "140x45+0+0", "-title", title,
		"-e", bin, "--sim", "--page", "pages/index/index", "--scene", "id=1")
	xt.Env = append(os.Environ(), "DISPLAY="+display, "XDG_STATE_HOME="+dir, "WXACODE_APPID=", "WXACODE_ACCESS_TOKEN=")
	require.NoError(t, xt.Start())
	t.Cleanup(func() { xt.Process.Kill(); xt.Wait() })

	wid := xtermWindow(t, testenv.Tool(t, "xwininfo", "x11-utils"), display, title, "")
	shot := filepath.Join(dir, "shot.png")
	// scan waits until every one of want is in the screenshot's symbols.
	scan := func(wait time.Duration, want ...string) []string {
		var got []string
		for deadline := time.Now().Add(wait); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
			if _, err := runEnv(display, importBin, "-window", wid, shot); err != nil {
				continue
			}
			out, _ := run5s("zbarimg", "-q", "--raw", shot)
			got = strings.Fields(string(out))
			all := true
			for _, w := range want {
				all = all && slices.Contains(got, w)
			}
			if all {
				break
			}
		}
		return got
	}
	first, second := sim.LaunchURL("release", "pages/index/index", "id=1"), sim.LaunchURL("release", "pages/index/index", "id=12")
	require.Contains(t, scan(60*time.Second, first), first)
	out, err := runEnv(display, xdotool, "mousemove", "--window", wid, "100", "100")
	require.NoError(t, err, string(out))
	key := func(k ...string) {
		out, err := runEnv(display, xdotool, append([]string{"key", "--delay", "80"}, k...)...)
		require.NoError(t, err, string(out))
	}
	key("Tab", "Tab", "End", "2") // the simulator regenerates: id=12
	require.Contains(t, scan(30*time.Second, second), second)
	// The History pane: id=12 on top, selected; mark it, select id=1, compare.
	key("alt+y", "alt+m", "Down", "Return")
	got := scan(30*time.Second, first, second)
	require.Contains(t, got, first, "the left code scans")
	require.Contains(t, got, second, "the right code scans")
	if p := os.Getenv("WXACODE_COMPARE_SCREENSHOT"); p != "" {
		data, err := os.ReadFile(shot)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(p, data, 0o644))
	}
}
