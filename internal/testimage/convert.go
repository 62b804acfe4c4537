package testimage

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"wxacode/internal/testenv"
)

// ConvertFormat is one way a user's code may be stored, as ImageMagick's
// convert writes it.
type ConvertFormat struct {
	Name string   // for a subtest
	Args []string // convert's options before the output
	Out  string   // the output's coder prefix ("GIF:"), whatever the name says
}

// ConvertFormats are the formats of issue 12's table.
var ConvertFormats = []ConvertFormat{
	{"png8 paletted", nil, "PNG8:"},
	{"png 8-bit rgb", []string{"-alpha", "off"}, "PNG24:"},
	{"png 16-bit with alpha", []string{"-alpha", "on", "-depth", "16"}, "PNG64:"},
	{"jpeg baseline", []string{"-background", "white", "-flatten", "-interlace", "none"}, "JPEG:"},
	{"jpeg progressive", []string{"-background", "white", "-flatten", "-interlace", "Plane"}, "JPEG:"},
	{"jpeg cmyk", []string{"-background", "white", "-flatten", "-colorspace", "CMYK"}, "JPEG:"},
	{"jpeg grey", []string{"-background", "white", "-flatten", "-colorspace", "Gray"}, "JPEG:"},
	{"jpeg 4:4:4", []string{"-background", "white", "-flatten", "-sampling-factor", "1x1"}, "JPEG:"},
	{"jpeg 4:2:2", []string{"-background", "white", "-flatten", "-sampling-factor", "2x1"}, "JPEG:"},
	{"gif", nil, "GIF:"},
	{"bmp", []string{"-alpha", "off"}, "BMP3:"},
	{"bmp with alpha", nil, "BMP:"},
	{"webp lossy", nil, "WEBP:"},
	{"webp lossless", []string{"-define", "webp:lossless=true"}, "WEBP:"},
}

// Converted is one source file converted into one format.
type Converted struct {
	Source, Format, Path string
}

// ConvertAll converts every source into every ConvertFormat inside dir, each
// named .jpg whatever it holds (users' extensions lie). Unlike the fakes
// above it needs a T: ImageMagick is a real tool, missing → skip (or fail
// under CI=true, naming the package). The real convert is asked for by path:
// a stand-in of that name may come first on PATH.
func ConvertAll(t testing.TB, dir string, sources []string) []Converted {
	t.Helper()
	bin := testenv.File(t, "/usr/bin/convert", "imagemagick")
	var out []Converted
	for _, src := range sources {
		for i, f := range ConvertFormats {
			name := fmt.Sprintf("%s-%d.jpg", strings.TrimSuffix(filepath.Base(src), filepath.Ext(src)), i)
			out = append(out, Converted{Source: src, Format: f.Name, Path: filepath.Join(dir, name)})
		}
	}
	// convert takes a fraction of a second each: run them side by side.
	errs := make([]error, len(out))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i, c := range out {
		f := ConvertFormats[i%len(ConvertFormats)]
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			args := append(append([]string{c.Source + "[0]"}, f.Args...), f.Out+c.Path)
			if b, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
				errs[i] = fmt.Errorf("convert %s: %v: %s", strings.Join(args, " "), err, b)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}
