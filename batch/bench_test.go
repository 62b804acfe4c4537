package batch

import (
	"context"
	"testing"

	"wxacode/wechat"
)

// fixedGen answers every request with the same complete image, instantly:
// what is left is batch's own cost (parsing, fsyncs, manifest).
type fixedGen struct{ code wechat.Code }

func (f *fixedGen) Get(ctx context.Context, req wechat.Request) (*wechat.Code, error) {
	c := f.code
	return &c, nil
}

// BenchmarkRunDiskBound measures rows per second through Run when the
// generator costs nothing: the ceiling batch puts on top of the network.
func BenchmarkRunDiskBound(b *testing.B) {
	img := fakeImage([]byte("x"), &wechat.UnlimitedRequest{Scene: "x"})
	img.Width, img.Height = 8, 8
	const rows = 500
	in := writeInput(b, "rows.csv", csvRows(rows, "", nil))
	for b.Loop() {
		b.StopTimer()
		out := b.TempDir()
		b.StartTimer()
		sum, err := Run(context.Background(), Options{In: in, Out: out, Generator: &fixedGen{code: *img}, Concurrency: 8})
		if err != nil || sum.Written != rows {
			b.Fatal(err, sum)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
