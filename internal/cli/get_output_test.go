package cli

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/codefile"
	"wxacode/codeimage"
	"wxacode/internal/testenv"
	"wxacode/internal/wechattest"
	"wxacode/wechat"
)

var getJSONKeys = []string{"file", "format", "width", "height", "bytes", "sha256", "num_used", "received"}

func TestGetJSON(t *testing.T) {
	testenv.Isolate(t)
	jpg := jpegBytes(t)
	_, base := startFake(t, func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.URL.Path, "unlimit") {
			w.Header().Set("Num-Used", "17")
		}
		serveImage("image/jpeg", jpg)(w, r)
	})
	dir := t.TempDir()
	for _, tc := range []struct {
		name    string
		args    []string
		numUsed any
	}{
		{"unlimited", []string{"--scene", "id=1"}, nil},
		{"limited, Num-Used", []string{"--kind", "limited", "--path", "pages/i?x=1"}, 17.0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, tc.name+".jpg")
			start := time.Now().Add(-time.Second)
			code, stdout, stderr := runCLI(t, nil, append(append([]string{"get", "--base-url", base, "--json"}, tc.args...), "-o", out)...)
			require.Equal(t, exitOK, code, stderr)
			m := decodeJSON(t, stdout)
			assert.ElementsMatch(t, getJSONKeys, keys(m))
			saved, err := os.ReadFile(out)
			require.NoError(t, err)
			assert.Equal(t, jpg, saved)
			assert.Equal(t, out, m["file"])
			assert.Equal(t, "jpeg", m["format"])
			assert.Equal(t, float64(len(jpg)), m["bytes"])
			assert.Equal(t, codefile.ContentSHA256(jpg), m["sha256"])
			cfg, _, err := image.DecodeConfig(bytes.NewReader(jpg))
			require.NoError(t, err)
			assert.Equal(t, float64(cfg.Width), m["width"])
			assert.Equal(t, float64(cfg.Height), m["height"])
			assert.Equal(t, tc.numUsed, m["num_used"])
			rec, err := time.Parse(time.RFC3339, m["received"].(string))
			require.NoError(t, err)
			assert.WithinDuration(t, start, rec, time.Minute)
			assert.NotContains(t, stdout, out+": jpeg", "the JSON replaces the summary line")
			assert.NotContains(t, stdout+stderr, fakeToken)
		})
	}
}

func TestGetJSONAPIError(t *testing.T) {
	testenv.Isolate(t)
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		code    int
		rid     string
		hint    bool
	}{
		{"41030 with rid", serveErr(41030, "invalid page rid: 6743ab12-1b2c3d4e-5f607182"), 41030, "6743ab12-1b2c3d4e-5f607182", true},
		{"unknown errcode, no rid", serveErr(61234, "something new"), 61234, "", true},
		{"errmsg echoing the token", func(w http.ResponseWriter, r *http.Request) {
			serveErr(40001, "invalid credential, access_token is invalid or not latest: "+r.URL.RawQuery+" "+strings.ToUpper(fakeToken))(w, r)
		}, 40001, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, base := startFake(t, tc.handler)
			out := filepath.Join(t.TempDir(), "c.jpg")
			code, stdout, stderr := runCLI(t, nil, "get", "--base-url", base, "--json", "--scene", "a", "--page", "pages/x", "-o", out)
			assert.Equal(t, exitAPI, code)
			assert.NoFileExists(t, out)
			m := decodeJSON(t, stdout)
			assert.ElementsMatch(t, []string{"errcode", "errmsg", "rid", "request_time", "hint"}, keys(m))
			assert.Equal(t, float64(tc.code), m["errcode"])
			assert.Equal(t, tc.rid, m["rid"])
			assert.Contains(t, stderr, fmt.Sprintf("errcode %d", tc.code), "the report stays on stderr")
			if tc.rid != "" {
				at, err := time.Parse(time.RFC3339, m["request_time"].(string))
				require.NoError(t, err)
				assert.Equal(t, 2024, at.Year())
				assert.NotContains(t, m["errmsg"], "rid:")
			} else {
				assert.Nil(t, m["request_time"])
			}
			h, ok := m["hint"].(map[string]any)
			require.True(t, ok, "hint is an object: %v", m["hint"])
			assert.ElementsMatch(t, []string{"errcode", "title", "causes", "fixes"}, keys(h))
			assert.Equal(t, float64(tc.code), h["errcode"])
			assert.NotEmpty(t, h["title"])
			assert.NotContains(t, stdout+stderr, fakeToken)
			assert.NotContains(t, strings.ToLower(stdout), strings.ToLower(fakeToken[:12]))
		})
	}
}

// TestGetToStdout: -o - is the image's bytes, --data-uri and --base64 its
// text; the summary line goes to stderr and no file is made.
func TestGetToStdout(t *testing.T) {
	testenv.Isolate(t)
	jpg := jpegBytes(t)
	hyaline, _ := wechattest.Code(t, wechat.UnlimitedRequest{Scene: "a", IsHyaline: true})
	f, base := startFake(t, serveImage("image/jpeg", jpg))
	dir := t.TempDir()
	t.Chdir(dir)
	b64 := base64.StdEncoding.EncodeToString
	for _, tc := range []struct {
		name   string
		serve  []byte
		args   []string
		stdout string
	}{
		{"-o -", jpg, []string{"-o", "-"}, string(jpg)},
		{"--data-uri", jpg, []string{"--data-uri"}, "data:image/jpeg;base64," + b64(jpg) + "\n"},
		{"-o - --data-uri", jpg, []string{"-o", "-", "--data-uri"}, "data:image/jpeg;base64," + b64(jpg) + "\n"},
		{"--base64", jpg, []string{"--base64"}, b64(jpg) + "\n"},
		{"-o - --base64", jpg, []string{"--base64", "-o", "-"}, b64(jpg) + "\n"},
		// Labelled image/jpeg, and a PNG: the type is the bytes'.
		{"hyaline --data-uri", hyaline, []string{"--hyaline", "--data-uri"}, "data:image/png;base64," + b64(hyaline) + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.mu.Lock()
			f.code = serveImage("image/jpeg", tc.serve)
			f.mu.Unlock()
			code, stdout, stderr := runCLI(t, nil, append([]string{"get", "--base-url", base, "--scene", "a"}, tc.args...)...)
			require.Equal(t, exitOK, code, stderr)
			assert.Equal(t, tc.stdout, stdout)
			format, _ := wechat.SniffFormat(tc.serve)
			assert.Contains(t, stderr, fmt.Sprintf("stdout: %s ", format))
			assert.Contains(t, stderr, fmt.Sprintf(", %d bytes", len(tc.serve)))
			ents, err := os.ReadDir(dir)
			require.NoError(t, err)
			assert.Empty(t, ents, "nothing written to a file")
		})
	}

	// --json with the image as text: one object carries both.
	f.mu.Lock()
	f.code = serveImage("image/jpeg", jpg)
	f.mu.Unlock()
	for _, flag := range []string{"--data-uri", "--base64"} {
		code, stdout, stderr := runCLI(t, nil, "get", "--base-url", base, "--scene", "a", "--json", flag)
		require.Equal(t, exitOK, code, stderr)
		m := decodeJSON(t, stdout)
		assert.Nil(t, m["file"])
		assert.Equal(t, codefile.ContentSHA256(jpg), m["sha256"])
		key, prefix := "data_uri", "data:image/jpeg;base64,"
		if flag == "--base64" {
			key, prefix = "base64", ""
		}
		assert.ElementsMatch(t, append([]string{key}, getJSONKeys...), keys(m))
		text, _ := m[key].(string)
		require.True(t, strings.HasPrefix(text, prefix), text[:min(40, len(text))])
		got, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(text, prefix))
		require.NoError(t, err)
		assert.Equal(t, jpg, got)
		assert.NotContains(t, stderr, "stdout:", "the JSON is the report")
	}
}

// TestGetOutputRefusals: combinations with no sensible meaning are exit 2,
// before any call, with what to do instead.
func TestGetOutputRefusals(t *testing.T) {
	testenv.Isolate(t)
	f, base := startFake(t, serveImage("image/jpeg", jpegBytes(t)))
	dir := t.TempDir()
	file := filepath.Join(dir, "c.jpg")
	tty := func(f *Factory) { f.IOStreams.OutTTY = true }
	for _, tc := range []struct {
		name string
		args []string
		seam func(*Factory)
		want string
	}{
		{"no output at all", nil, nil, "-o FILE is required"},
		{"two text forms", []string{"--data-uri", "--base64"}, nil, "--data-uri and --base64 are two ways"},
		{"text and a file", []string{"--data-uri", "-o", file}, nil, "--data-uri prints the image as text on stdout, and -o " + file + " saves the image itself: give one"},
		{"base64 and a file", []string{"--base64", "-o", file}, nil, "--base64 prints the image as text on stdout"},
		{"json and the bytes on stdout", []string{"--json", "-o", "-"}, nil, "--json and -o - would both write to stdout"},
		{"bytes to a terminal", []string{"-o", "-"}, tty, "which is a terminal: redirect it"},
		{"flatten an opaque code", []string{"--flatten", "white", "-o", file}, nil, "this request is not --hyaline"},
		{"flatten a qrcode", []string{"--kind", "qrcode", "--path", "pages/i", "--flatten", "white", "-o", file}, nil, "--kind qrcode has no is_hyaline"},
		{"flatten a trial QR", []string{"--kind", "trial", "--path", "pages/i", "--hyaline", "--flatten", "white", "-o", file}, nil, "--kind trial has no is_hyaline"},
		{"flatten onto no colour", []string{"--hyaline", "--flatten", "red", "-o", file}, nil, `--flatten "red" is not a colour: give white or #rrggbb`},
		{"flatten into a name of no format", []string{"--hyaline", "--flatten", "white", "-o", filepath.Join(dir, "c.gif")}, nil, "give -o a name ending .jpg (JPEG) or .png"},
		{"print and json", []string{"--print", "body", "--json"}, nil, "--print writes the request, not a code: drop --json"},
		{"print and flatten", []string{"--print", "curl", "--hyaline", "--flatten", "white"}, nil, "drop --flatten"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seam := tc.seam
			if seam == nil {
				seam = func(*Factory) {}
			}
			code, stdout, stderr := runCLIWith(t, seam, append([]string{"get", "--base-url", base, "--scene", "a"}, tc.args...)...)
			assert.Equal(t, exitUsage, code, stderr)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, tc.want)
			calls, _ := f.snapshot()
			assert.Zero(t, calls, "nothing was called")
			assert.NoFileExists(t, file)
		})
	}
	// Text to a terminal is fine: it is text.
	code, stdout, stderr := runCLIWith(t, tty, "get", "--base-url", base, "--scene", "a", "--base64")
	require.Equal(t, exitOK, code, stderr)
	assert.NotEmpty(t, stdout)
}

// TestGetFlatten: a simulated hyaline code (a QR symbol, PNG with alpha)
// flattened into each format: no alpha, the format of the name, the colour
// behind, it still decodes with zbarimg, and the report keeps WeChat's
// original bytes' sha256.
func TestGetFlatten(t *testing.T) {
	testenv.Isolate(t)
	orig, want := wechattest.Code(t, wechat.UnlimitedRequest{Scene: "id=42", IsHyaline: true})
	img, f, err := codeimage.Decode(orig, codeimage.File)
	require.NoError(t, err)
	require.Equal(t, codeimage.PNG, f)
	require.True(t, codeimage.HasAlpha(img), "the simulator's hyaline code is transparent")
	_, base := startFake(t, serveImage("image/jpeg", orig))
	testenv.Tool(t, "zbarimg", "zbar-tools")
	convert := testenv.File(t, "/usr/bin/convert", "imagemagick") // /usr/local/bin/convert is a stand-in
	dir := t.TempDir()
	for _, tc := range []struct {
		name, file, flatten string
		format              codeimage.Format
		bg                  string
	}{
		{"white jpg", "album.jpg", "white", codeimage.JPEG, "#ffffff"},
		{"cream jpeg", "album.JPEG", "#FFF8E7", codeimage.JPEG, "#fff8e7"},
		{"white png", "album.png", "white", codeimage.PNG, "#ffffff"},
		{"blue png", "blue.png", "d0e8ff", codeimage.PNG, "#d0e8ff"},
		{"stdout", "-", "white", codeimage.PNG, "#ffffff"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			out := path
			if tc.file == "-" {
				out = "-"
			}
			code, stdout, stderr := runCLI(t, nil, "get", "--base-url", base, "--scene", "id=42", "--hyaline", "--flatten", tc.flatten, "-o", out)
			require.Equal(t, exitOK, code, stderr)
			assert.NotContains(t, stderr, "warning", "a flattened file's name always fits its format")
			var data []byte
			if tc.file == "-" {
				data = []byte(stdout)
				assert.Contains(t, stderr, "stdout: png ")
			} else {
				data, err = os.ReadFile(path)
				require.NoError(t, err)
				assert.Contains(t, stdout, fmt.Sprintf("%s: %s ", path, tc.format))
			}
			got, gotF, err := codeimage.Decode(data, codeimage.File)
			require.NoError(t, err)
			assert.Equal(t, tc.format, gotF)
			assert.False(t, codeimage.HasAlpha(got))
			if gotF == codeimage.PNG {
				assert.Equal(t, byte(2), data[25], "PNG colour type 2: RGB, no alpha channel")
			}
			// A corner is quiet zone: the colour asked for.
			bg := must(codeimage.ParseBackground(tc.bg))
			r, g, b, _ := got.At(2, 2).RGBA()
			assert.InDelta(t, int(bg.R), int(r>>8), 3)
			assert.InDelta(t, int(bg.G), int(g>>8), 3)
			assert.InDelta(t, int(bg.B), int(b>>8), 3)
			summary := stdout
			if tc.file == "-" {
				summary = stderr
			}
			assert.Contains(t, summary, fmt.Sprintf("flattened onto %s (WeChat sent png, %d bytes, sha256 %s)", tc.bg, len(orig), codefile.ContentSHA256(orig)))

			scanned := filepath.Join(t.TempDir(), "scan."+string(gotF))
			require.NoError(t, os.WriteFile(scanned, data, 0o600))
			// ImageMagick's own reading: JPEG quality at least 92, PNG without alpha.
			im, err := exec.Command(convert, scanned, "-format", "%m %Q %A", "info:").Output()
			require.NoError(t, err)
			fields := strings.Fields(string(im))
			require.Len(t, fields, 3, string(im))
			if gotF == codeimage.JPEG {
				assert.Equal(t, "JPEG", fields[0])
				assert.GreaterOrEqual(t, must(strconv.Atoi(fields[1])), 92, "JPEG quality")
			} else {
				assert.Equal(t, "PNG", fields[0])
				assert.Equal(t, "False", fields[2], "no alpha channel")
			}
			assert.Equal(t, want, testenv.Zbar(t, scanned, false), "zbarimg decodes the flattened code")
		})
	}

	// --json says it was flattened, with WeChat's original.
	path := filepath.Join(dir, "j.jpg")
	code, stdout, stderr := runCLI(t, nil, "get", "--base-url", base, "--scene", "id=42", "--hyaline", "--flatten", "white", "-o", path, "--json")
	require.Equal(t, exitOK, code, stderr)
	m := decodeJSON(t, stdout)
	assert.ElementsMatch(t, append([]string{"flattened"}, getJSONKeys...), keys(m))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "jpeg", m["format"])
	assert.Equal(t, codefile.ContentSHA256(data), m["sha256"])
	assert.Equal(t, map[string]any{"background": "#ffffff", "original_format": "png", "original_bytes": float64(len(orig)),
		"original_sha256": codefile.ContentSHA256(orig)}, m["flattened"])

	// Strokes too light for the colour behind them: said before the call.
	code, _, stderr = runCLI(t, nil, "get", "--base-url", base, "--scene", "id=42", "--hyaline", "--line-color", "#dddddd", "--flatten", "white", "-o", filepath.Join(dir, "pale.png"))
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stderr, "warning: --flatten #ffffff behind strokes of #dddddd: a contrast of only 1.4:1")
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
