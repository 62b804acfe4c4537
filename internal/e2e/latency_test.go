//go:build linux

package e2e

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
)

// End-to-end latency of the designer in a real pseudo-terminal: the binary
// runs on the simulator, a stand-in terminal (ptyTerm) types keys into the
// master side and stamps what comes back. Measured with:
//
//	go test -run '^$' -bench PTY -benchtime 30x .
//
// Key → frame starts just before the key's byte is written to the master
// and ends when the end of the first frame (mode 2026) that draws the typed
// character has been read back. Generate → preview starts just before ctrl+g
// is written and ends when the last byte of the new image has been read: the
// ESC \ closing the sixel, or the end of the first frame with half blocks.
// Speed is reported, never asserted; ns/op is a whole step, waiting for
// the screen to settle included, so read the p50/p95 metrics.

const (
	ptyCols, ptyRows   = 120, 40
	ptyCellW, ptyCellH = 10, 20
	// typingPause is ui's debounce: on the simulator a pause in typing
	// regenerates once more, which must not land in the next measurement.
	typingPause = 300 * time.Millisecond
	// sceneChars make a new scene, hence a new image, at each step; more
	// of them than the preview cache holds.
	sceneChars = "abcdefghijklmnopqrstuvwxyz0123456789"
)

type designer struct {
	term  *ptyTerm
	sixel bool
	// startup is from starting the process to reading its first image back.
	startup time.Duration
}

// startDesigner runs the designer in a 120×40 pty with scene id=0 and the
// given preview mode and width, waits for its first image, and moves the
// focus to the scene field.
func startDesigner(tb testing.TB, mode string, width int) *designer {
	tb.Helper()
	return startDesignerOn(tb, mode, width, "")
}

// startDesignerOn is startDesigner with the simulator answering every code
// with the real code in codeImage (its code_image), or drawing codes ("").
func startDesignerOn(tb testing.TB, mode string, width int, codeImage string) *designer {
	tb.Helper()
	bin := buildWxacode(tb)
	home := testenv.Isolate(tb)
	var extra []string
	if codeImage != "" {
		abs, err := filepath.Abs(codeImage)
		require.NoError(tb, err)
		simToml := filepath.Join(home, "sim.toml")
		require.NoError(tb, os.WriteFile(simToml, []byte(fmt.Sprintf("code_image = %q\n", abs)), 0o600))
		conf := filepath.Join(home, "config.toml")
		require.NoError(tb, os.WriteFile(conf, []byte(fmt.Sprintf("[sim]\nenabled = true\nconfig = %q\n", simToml)), 0o600))
		extra = []string{"--config", conf}
	}
	master, slave, err := openPTY(ptyCols, ptyRows, ptyCellW, ptyCellH)
	if err != nil && os.Getenv("CI") != "true" {
		tb.Skipf("no pseudo-terminal: %v", err)
	}
	require.NoError(tb, err)
	cmd := exec.Command(bin, append([]string{"--sim", "--graphics", mode, "--page", "pages/index/index", "--scene", "id=0",
		"--width", strconv.Itoa(width)}, extra...)...)
	cmd.Dir = home
	cmd.Env = ptyEnv()
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	// A session of its own with the pty as controlling terminal, as a shell
	// in a terminal window gives it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	started := time.Now()
	require.NoError(tb, cmd.Start())
	slave.Close()
	tb.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		master.Close()
	})
	d := &designer{term: newPTYTerm(master, ptyCellW, ptyCellH), sixel: mode == "sixel"}
	// Half blocks: the first frame may come before the reply that turns on
	// mode 2026, so look for the image in the raw bytes.
	var first time.Time
	if d.sixel {
		var e termEvent
		e, _, err = d.term.waitFor(0, 30*time.Second, d.isImage)
		first = e.at
	} else {
		err = d.term.waitBytes("▀", 30*time.Second)
		first = d.term.bytesAt("▀")
	}
	require.NoError(tb, err, "no first image from the designer")
	d.startup = first.Sub(started)
	// Replies to the queries re-render the preview: let that pass.
	require.NoError(tb, d.term.waitQuiet(300*time.Millisecond, 10*time.Second))
	_, _, err = d.term.send("\t\t") // endpoint → page → scene
	require.NoError(tb, err)
	require.NoError(tb, d.term.waitQuiet(100*time.Millisecond, 10*time.Second))
	return d
}

// ptyEnv is a plain xterm's environment: nothing that names another
// terminal, nothing from the user's wxacode setup.
func ptyEnv() []string {
	env := []string{"TERM=xterm-256color", "LANG=C.UTF-8"}
	for _, k := range []string{"PATH", "HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"} {
		env = append(env, k+"="+os.Getenv(k))
	}
	for _, k := range testenv.Vars {
		env = append(env, k+"=")
	}
	return env
}

func (d *designer) isImage(e termEvent) bool {
	if d.sixel {
		return e.kind == evSixel
	}
	return e.kind == evFrame && strings.ContainsAny(e.text, "▀▄█")
}

// stepResult is what one step measured. overlapped marks a ctrl+g answer
// that came after the typing pause, when the automatic regenerate may have
// replaced it; the benchmarks count those.
type stepResult struct {
	key, gen   time.Duration
	typed      byte
	image      termEvent
	overlapped bool
	from       int // first event of the step
}

// step is one round: backspace and type character i of sceneChars into the
// scene (timed: key → frame), then, when generate is set, ctrl+g (timed:
// generate → preview). It waits for the typing pause's regenerate to pass.
func (d *designer) step(tb testing.TB, i int, generate bool) stepResult {
	tb.Helper()
	t := d.term
	isFrame := func(e termEvent) bool { return e.kind == evFrame }
	_, from, err := t.send("\x7f")
	require.NoError(tb, err)
	_, _, err = t.waitFor(from, 5*time.Second, isFrame)
	require.NoError(tb, err, "no frame after backspace")

	r := stepResult{typed: sceneChars[i%len(sceneChars)], from: from}
	offBeat()
	t0, from, err := t.send(string(r.typed))
	require.NoError(tb, err)
	f, _, err := t.waitFor(from, 5*time.Second, func(e termEvent) bool {
		return e.kind == evFrame && strings.IndexByte(e.text, r.typed) >= 0
	})
	require.NoError(tb, err, "no frame with the typed %q", r.typed)
	r.key = f.at.Sub(t0)

	if generate {
		offBeat()
		t1, from, err := t.send("\x07") // ctrl+g
		require.NoError(tb, err)
		r.image, _, err = t.waitFor(from, 30*time.Second, d.isImage)
		require.NoError(tb, err, "no image after ctrl+g")
		r.gen = r.image.at.Sub(t1)
		r.overlapped = r.image.at.After(t0.Add(typingPause))
	}

	// The typing pause regenerates the same request: wait for that answer
	// (a sixel, or a status frame for half blocks), then for silence.
	time.Sleep(time.Until(t0.Add(typingPause)))
	_, _, err = t.waitFor(from, 3*time.Second, func(e termEvent) bool {
		return e.at.After(t0.Add(typingPause)) && (e.kind == evSixel || !d.sixel)
	})
	if err != nil && !r.overlapped {
		require.NoError(tb, err, "nothing after the typing pause")
	}
	require.NoError(tb, t.waitQuiet(250*time.Millisecond, 10*time.Second))
	return r
}

// offBeat waits a random part of 50 ms. The harness would otherwise type
// just after a frame arrived, always at the same point of the renderer's
// 60 Hz tick, and measure one tick every time; a person types at any point.
func offBeat() {
	time.Sleep(rand.N(50 * time.Millisecond))
}

// reportLatency reports p50 and p95 in milliseconds, as ui's benchmarks do.
func reportLatency(b *testing.B, ds []time.Duration, unit string) {
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	p := func(q float64) float64 { return float64(ds[int(q*float64(len(ds)-1))].Microseconds()) / 1000 }
	b.ReportMetric(p(0.50), unit+"-p50-ms")
	b.ReportMetric(p(0.95), unit+"-p95-ms")
}

func BenchmarkPTYKeyToFrame(b *testing.B) {
	for _, mode := range []string{"blocks", "sixel"} {
		b.Run(mode, func(b *testing.B) {
			d := startDesigner(b, mode, 430)
			var ds []time.Duration
			b.ResetTimer()
			for i := range b.N {
				ds = append(ds, d.step(b, i, false).key)
			}
			reportLatency(b, ds, "key")
		})
	}
}

// realCodesDir holds the real codes; BenchmarkPTYGenerateToPreview's
// "real" runs have the simulator answer with one of them (code_image), so
// the preview decodes and draws a real image: a photo logo, coloured
// lines, hundreds of colours.
var realCodesDir = filepath.Join("..", "..", "codeimage", "testdata", "realcodes")

func BenchmarkPTYGenerateToPreview(b *testing.B) {
	for _, in := range []struct {
		name  string
		width int
		file  string // a real code, or "" for the simulator's drawing
	}{
		{"430px", 430, ""},
		{"1280px", 1280, ""},
		{"real430px", 430, "wxacode-TalkingData-iview-weapp-1.jpg"},
		{"real1280px", 1280, "wxacode-Mr-Pao-Cat-Atlas-1.jpg"},
	} {
		for _, mode := range []string{"blocks", "sixel"} {
			if in.file != "" && mode == "blocks" {
				// The same image every time: the half blocks do not change,
				// so no frame tells when the new code is drawn; a sixel is
				// sent again whole.
				continue
			}
			b.Run(in.name+"/"+mode, func(b *testing.B) {
				file := in.file
				if file != "" {
					file = filepath.Join(realCodesDir, file)
				}
				d := startDesignerOn(b, mode, in.width, file)
				var ds []time.Duration
				overlaps := 0
				b.ResetTimer()
				for i := range b.N {
					r := d.step(b, i, true)
					ds = append(ds, r.gen)
					if r.overlapped {
						overlaps++
					}
				}
				reportLatency(b, ds, "gen")
				b.ReportMetric(float64(overlaps), "overlaps")
			})
		}
	}
}

// BenchmarkPTYStartToPreview: from starting wxacode (on the simulator, no
// token cached) until its first code has been read back from the pty. The
// start includes the in-process simulator, a token fetch, the terminal
// queries and the first generate and render.
func BenchmarkPTYStartToPreview(b *testing.B) {
	for _, mode := range []string{"blocks", "sixel"} {
		b.Run(mode, func(b *testing.B) {
			var ds []time.Duration
			for range b.N {
				ds = append(ds, startDesigner(b, mode, 430).startup)
			}
			reportLatency(b, ds, "start")
		})
	}
}

// TestPTYHarness checks what the benchmarks rely on, without timing: a
// typed key comes back in a frame, and ctrl+g brings a complete new image
// (a different sixel each time; half blocks in a frame).
func TestPTYHarness(t *testing.T) {
	for _, mode := range []string{"sixel", "blocks"} {
		t.Run(mode, func(t *testing.T) {
			d := startDesigner(t, mode, 430)
			var seen [][32]byte
			for i := range 2 {
				r := d.step(t, i, true)
				// step failed the test if the frame or the image never came.
				assert.Positive(t, r.key)
				assert.Positive(t, r.gen)
				if mode == "blocks" {
					continue
				}
				assert.NotContains(t, seen, r.image.sum, "each scene draws a new image")
				seen = append(seen, r.image.sum)
				// A new scene, a new image: the key went into the scene field. (No
				// full repaint to read it from: a sixel of the same size is drawn
				// straight over the last one.)
			}
		})
	}
}
