package e2e

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Helpers shared by the tests that run the real binary in real terminals.

var built struct {
	once sync.Once
	dir  string
	bin  string
	err  error
	out  []byte
}

// buildWxacode builds the binary once per test run: linking it is the slow
// part of every real-terminal test.
func buildWxacode(t testing.TB) string {
	t.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "wxacode-bin-")
		if built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "wxacode")
		built.out, built.err = exec.Command("go", "build", "-o", built.bin, "wxacode").CombinedOutput()
	})
	require.NoError(t, built.err, string(built.out))
	return built.bin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// freeDisplay finds an X display number nobody uses.
func freeDisplay() int {
	for n := 90 + rand.IntN(400); ; n++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); os.IsNotExist(err) {
			if _, err := os.Stat(fmt.Sprintf("/tmp/.X%d-lock", n)); os.IsNotExist(err) {
				return n
			}
		}
	}
}

// startXvfb starts a virtual X server on a free display and stops it when
// the test ends. Tests in other packages may start theirs at the same time,
// so a display taken between the check and the start is retried.
func startXvfb(t *testing.T, xvfb string) string {
	t.Helper()
	for try := 0; try < 5; try++ {
		n := freeDisplay()
		display := fmt.Sprintf(":%d", n)
		// -noreset: by default Xvfb resets when its last client leaves, and
		// the next xterm can hit the reset.
		cmd := exec.Command(xvfb, display, "-screen", "0", "1280x1024x24", "-nolisten", "tcp", "-noreset")
		require.NoError(t, cmd.Start())
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
				t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
				return display
			}
		}
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
	t.Fatal("Xvfb did not start on any free display")
	return ""
}

// scanWindow screenshots X window wid on display (ImageMagick's import)
// until zbar reads a code in it or within runs out: the image is drawn a
// moment after the program starts. It returns what zbar read ("" for
// nothing) and the last screenshot, for the failure message.
func scanWindow(t *testing.T, importBin, display, wid string, within, every time.Duration) (got, shot string) {
	t.Helper()
	shot = filepath.Join(t.TempDir(), "shot.png")
	for deadline := time.Now().Add(within); time.Now().Before(deadline) && got == ""; time.Sleep(every) {
		out, err := exec.Command(importBin, "-display", display, "-window", wid, shot).CombinedOutput()
		if err != nil {
			t.Logf("import: %v: %s", err, out)
			continue
		}
		got = zbarFile(t, shot)
	}
	return got, shot
}

// xtermWindow waits for the xterm titled title to map and returns its window
// id; errPath ("" for none) is its stderr, shown when it never appears.
func xtermWindow(t *testing.T, xwininfo, display, title, errPath string) string {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		out, err := exec.Command(xwininfo, "-display", display, "-name", title).Output()
		if err != nil {
			continue
		}
		for _, l := range strings.Split(string(out), "\n") {
			if f := strings.Fields(l); len(f) >= 4 && strings.Contains(l, "Window id:") {
				return f[3]
			}
		}
	}
	var msg []byte
	if errPath != "" {
		msg, _ = os.ReadFile(errPath)
	}
	t.Fatalf("xterm window never appeared: %s", msg)
	return ""
}
