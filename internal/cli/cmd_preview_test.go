package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"wxacode/internal/wechattest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/wechat"
)

func previewRun(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = runOn(context.Background(), append([]string{"preview"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

func TestPreviewCommand(t *testing.T) {
	path, _ := wechattest.CodeFile(t, wechat.UnlimitedRequest{Scene: "id=42", Page: "pages/index/index", CheckPath: wechat.Bool(false)})

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
		{[]string{path, "--cols", "-3"}, "--cols -3 is out of range"},
		{[]string{filepath.Join(t.TempDir(), "missing.png")}, "cannot read"},
		{[]string{"--nope"}, "unknown flag: --nope"},
	} {
		code, _, errs := previewRun(t, c.args...)
		assert.Equal(t, exitUsage, code, c.args)
		assert.Contains(t, errs, c.want, c.args)
	}
	notImage := filepath.Join(t.TempDir(), "x.png")
	require.NoError(t, os.WriteFile(notImage, []byte("hello"), 0o644))
	code, _, errs = previewRun(t, notImage)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errs, "not a PNG, JPEG, GIF, BMP or WebP image")

	// Several files: each under its name; a bad one is reported, the others
	// are still shown, and the exit status says something failed.
	code, out, errs = previewRun(t, path, notImage, path, "--graphics", "none")
	assert.Equal(t, exitUsage, code)
	assert.Equal(t, path+"\n"+path+": 430×430 px\n"+notImage+"\n"+path+"\n"+path+": 430×430 px\n", out)
	assert.Contains(t, errs, notImage+": not a PNG, JPEG, GIF, BMP or WebP image")

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

// TestPreviewTooSmallToScan: half blocks that cannot be scanned are still
// drawn (exit 0), and stderr says so with the box that would scan and the
// flags that draw it; stdout holds the drawing alone, for pipes and files.
func TestPreviewTooSmallToScan(t *testing.T) {
	dir := filepath.Join("..", "..", "codeimage", "testdata", "realcodes")
	qr := filepath.Join(dir, "wxaqrcode-Linton-chen-wxHB5800-1.jpg") // 37 modules, quiet zone 3
	round := filepath.Join(dir, "wxacode-Mr-Pao-MaoPu-2.png")
	for _, c := range []struct {
		name string
		args []string
		want string // on stderr; "" for nothing
	}{
		{"qr, too narrow", []string{qr, "--graphics", "blocks", "--cols", "30"}, "needs 39×20 cells (try --cols 39)"},
		{"qr, exactly the box", []string{qr, "--graphics", "blocks", "--cols", "39"}, ""},
		{"qr, too low", []string{qr, "--graphics", "blocks", "--cols", "60", "--rows", "19"}, "needs 39×20 cells (try --cols 39 --rows 20)"},
		{"qr, rows enough", []string{qr, "--graphics", "blocks", "--cols", "60", "--rows", "20"}, ""},
		{"round code", []string{round, "--graphics", "blocks", "--cols", "80"}, "needs 96×48 cells (try --cols 96)"},
		{"round code, wide enough", []string{round, "--graphics", "blocks", "--cols", "96"}, ""},
		{"graphics are not judged", []string{qr, "--graphics", "sixel", "--cols", "10"}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := previewRun(t, c.args...)
			require.Equal(t, exitOK, code, errs)
			assert.NotEmpty(t, out)
			assert.NotContains(t, out, "scan", "stdout is the drawing alone")
			if c.want == "" {
				assert.Empty(t, errs)
				return
			}
			assert.Equal(t, "wxacode preview: "+c.args[0]+": too small to scan: "+c.want+"\n", errs)
		})
	}
}

// Inside tmux, `preview` asks tmux about the terminal outside it (through
// the Factory's seam) and draws what that terminal can show: the code in
// kitty passthrough only with allow-passthrough on, half blocks otherwise.
func TestPreviewAsksTmux(t *testing.T) {
	path, _ := wechattest.CodeFile(t, wechat.UnlimitedRequest{Scene: "id=42", Page: "pages/index/index", CheckPath: wechat.Bool(false)})
	cases := []struct {
		name     string
		answer   string
		err      error
		graphics string
		asked    bool
		want     string // what the output has
	}{
		{"kitty outside, passthrough on", "RGB\txterm-kitty\tkitty(0.39.1)\t10\t21\ton\n", nil, "auto", true, "\x1bPtmux;\x1b\x1b_G"},
		{"kitty outside, passthrough off", "RGB\txterm-kitty\tkitty(0.39.1)\t10\t21\toff\n", nil, "auto", true, "\x1b[38;2;"},
		{"xterm with sixel outside, no DA1 from the pane", "RGB,sixel\txterm\tXTerm(379)\t6\t13\toff\n", nil, "auto", true, "\x1b[38;2;"},
		{"no client", "\t\t\t\t\toff\n", nil, "auto", true, "\x1b[38;2;"},
		{"tmux fails", "", errors.New("exit status 1"), "auto", true, "\x1b[38;2;"},
		{"forced kitty: not asked, still passed through", "", errors.New("not asked"), "kitty", false, "\x1bPtmux;\x1b\x1b_G"},
		{"forced sixel: plain, tmux draws it", "", errors.New("not asked"), "sixel", false, "\x1bP0;1;0q"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("TMUX", "/tmp/tmux-0/default,1,0")
			t.Setenv("TMUX_PANE", "%1")
			t.Setenv("TERM", "tmux-256color")
			t.Setenv("KITTY_WINDOW_ID", "")
			var asked []string
			seam := func(f *Factory) {
				f.tmux = func(_ context.Context, args ...string) ([]byte, error) {
					asked = args
					return []byte(c.answer), c.err
				}
			}
			code, out, errs := runCLIWith(t, seam, "preview", "--graphics", c.graphics, "--cols", "20", path)
			require.Equal(t, exitOK, code, errs)
			assert.Contains(t, out, c.want)
			if c.want == "\x1b[38;2;" {
				assert.NotContains(t, out, "\x1bP", "half blocks, no sixel for tmux's placeholder")
			}
			if c.asked {
				require.NotEmpty(t, asked)
				assert.Equal(t, []string{"display-message", "-p", "-t", "%1"}, asked[:4])
			} else {
				assert.Empty(t, asked)
			}
		})
	}
}
