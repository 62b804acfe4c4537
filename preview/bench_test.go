package preview

import (
	"bytes"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"wxacode/internal/wechattest"

	"github.com/mattn/go-sixel"

	"wxacode/internal/testenv"
	"wxacode/internal/testimage"
	"wxacode/wechat"
)

// The benchmark inputs: a 430 px JPEG (how WeChat sends opaque codes) and a
// 1280 px PNG, in an 80×24 terminal with 10×20 px cells (the 430 px code fits
// 1:1, the 1280 px one is area-averaged down to 480 px).
func benchInputs(b *testing.B) []struct {
	name, ext string
	data      []byte
} {
	sim430, _ := wechattest.Code(b, wechat.UnlimitedRequest{Scene: "id=42"})
	sim1280, _ := wechattest.Code(b, wechat.UnlimitedRequest{Scene: "id=42", Width: 1280, IsHyaline: true})
	return []struct {
		name, ext string
		data      []byte
	}{
		// Plain QR codes, black on white.
		{"qr430jpeg", ".jpg", testimage.JPEG(testimage.QRSized(testURL, 430, black, white))},
		{"qr1280png", ".png", testimage.PNG(testimage.QRSized(testURL, 1280, black, white))},
		// The simulator's codes: a QR on a grey badge with a ring and a label,
		// JPEG as WeChat sends opaque codes, RGBA PNG as it sends is_hyaline ones.
		{"sim430jpeg", ".jpg", sim430},
		{"sim1280png", ".png", sim1280},
	}
}

var benchBox = Box{Cols: 80, Rows: 24}

// cpuTime is this process's user+system CPU time. The machine is shared, so
// wall time per op is inflated by other load; CPU time per op is reported
// next to it ("cpu-ns/op") as the steadier figure.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// childCPUTime is the CPU time of waited-for child processes (img2sixel).
func childCPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, start time.Duration, now func() time.Duration) {
	b.ReportMetric(float64(now()-start)/float64(b.N), "cpu-ns/op")
}

// BenchmarkPipeline is the whole pipeline from file bytes to the sixel
// string: decode, fit, flatten, binarise, encode (no cache).
func BenchmarkPipeline(b *testing.B) {
	for _, in := range benchInputs(b) {
		b.Run(in.name, func(b *testing.B) {
			var n int
			c0 := cpuTime()
			for b.Loop() {
				img, err := Decode(in.data)
				if err != nil {
					b.Fatal(err)
				}
				out, err := Render(img, benchBox, Caps{Sixel: true}, Options{})
				if err != nil {
					b.Fatal(err)
				}
				n = len(out.Raw)
			}
			reportCPU(b, c0, cpuTime)
			b.ReportMetric(float64(n), "bytes")
		})
	}
}

// BenchmarkRender is the pipeline without decoding (what Render costs the UI
// for an image it already holds).
func BenchmarkRender(b *testing.B) {
	for _, in := range benchInputs(b) {
		img, err := Decode(in.data)
		if err != nil {
			b.Fatal(err)
		}
		for _, mode := range []Mode{ModeSixel, ModeKitty, ModeBlocks} {
			b.Run(in.name+"/"+mode.String(), func(b *testing.B) {
				var n int
				c0 := cpuTime()
				for b.Loop() {
					out, err := Render(img, benchBox, Caps{}, Options{Mode: mode})
					if err != nil {
						b.Fatal(err)
					}
					n = len(out.Raw) + len(out.Text)
				}
				reportCPU(b, c0, cpuTime)
				b.ReportMetric(float64(n), "bytes")
			})
		}
	}
}

// BenchmarkGoSixelUnprepared is go-sixel on the decoded image as it is (it
// crops rather than scales, so the 1280 px code is encoded whole): the size
// and time our output is compared with.
func BenchmarkGoSixelUnprepared(b *testing.B) {
	for _, in := range benchInputs(b) {
		b.Run(in.name, func(b *testing.B) {
			var n int
			c0 := cpuTime()
			defer func() { reportCPU(b, c0, cpuTime) }()
			for b.Loop() {
				img, err := Decode(in.data)
				if err != nil {
					b.Fatal(err)
				}
				var buf bytes.Buffer
				if err := sixel.NewEncoder(&buf).Encode(img); err != nil {
					b.Fatal(err)
				}
				n = buf.Len()
			}
			b.ReportMetric(float64(n), "bytes")
		})
	}
}

// BenchmarkImg2sixel runs libsixel's img2sixel on the same files, scaled to the
// same height as ours (whole process: start-up, decoding, encoding), so the
// ratio can be read off one run.
func BenchmarkImg2sixel(b *testing.B) {
	bin := testenv.Tool(b, "img2sixel", "libsixel-bin")
	for _, in := range benchInputs(b) {
		path := writeTemp(b, "code"+in.ext, in.data)
		b.Run(in.name, func(b *testing.B) {
			var n int
			c0 := childCPUTime()
			defer func() { reportCPU(b, c0, childCPUTime) }()
			for b.Loop() {
				out, err := exec.Command(bin, "-h", "480", path).Output()
				if err != nil {
					b.Fatal(err)
				}
				n = len(out)
			}
			b.ReportMetric(float64(n), "bytes")
		})
	}
}

// BenchmarkDecode is the standard library's decoding alone, the floor under
// BenchmarkPipeline.
func BenchmarkDecode(b *testing.B) {
	for _, in := range benchInputs(b) {
		b.Run(in.name, func(b *testing.B) {
			c0 := cpuTime()
			for b.Loop() {
				if _, err := Decode(in.data); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, c0, cpuTime)
		})
	}
}
