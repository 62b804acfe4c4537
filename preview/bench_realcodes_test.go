package preview

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkRealCodes is the pipeline on the real codes (decode, fit,
// quantise, encode, then all of it from the file's bytes), in sixel at 40
// columns of 10×20 px cells: 400 px, what `wxacode preview --cols 40` draws.
// Run beside BenchmarkImg2sixelRealCodes for the ratio.
func BenchmarkRealCodes(b *testing.B) {
	box, caps := Box{Cols: 40}, Caps{Sixel: true}
	for _, path := range realCodePaths(b) {
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		name := realCodeName(path)
		img, err := Decode(data)
		if err != nil {
			b.Fatal(err)
		}
		w, h := pixelSize(img.Bounds().Dx(), img.Bounds().Dy(), box, DefaultCellW, DefaultCellH)
		b.Run(name+"/decode", func(b *testing.B) {
			for b.Loop() {
				if _, err := Decode(data); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/fit", func(b *testing.B) {
			for b.Loop() {
				m, grey := resampleGrey(img, w, h, true)
				if grey != nil {
					putBytes(grey)
				} else {
					release(m)
				}
			}
		})
		b.Run(name+"/fit+quantise", func(b *testing.B) {
			for b.Loop() {
				Prepare(img, w, h, BackgroundWhite)
			}
		})
		p := Prepare(img, w, h, BackgroundWhite)
		b.Run(name+"/encode", func(b *testing.B) {
			var n int
			for b.Loop() {
				s, err := encodeSixel(p)
				if err != nil {
					b.Fatal(err)
				}
				n = len(s)
			}
			b.ReportMetric(float64(n), "bytes")
		})
		b.Run(name+"/pipeline", func(b *testing.B) {
			for b.Loop() {
				img, err := Decode(data)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := Render(img, box, caps, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// realCodeName is a real code's file name without the extension and the
// "wxacode-" prefix, for sub-test and benchmark names.
func realCodeName(path string) string {
	base := filepath.Base(path)
	return strings.TrimPrefix(strings.TrimSuffix(base, filepath.Ext(base)), "wxacode-")
}
