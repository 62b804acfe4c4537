package preview

import (
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/codeimage"
	"wxacode/hugebuf"
)

// TestRealCodesSameFromHugebuf: `wxacode preview` draws from hugebuf's
// region (never reused, zeroed only by the kernel); every real code, read
// and drawn in each mode and at two sizes, comes out byte for byte as it
// does from the Go heap, so no step relies on memory that make would have
// cleared or on a buffer reused.
func TestRealCodesSameFromHugebuf(t *testing.T) {
	render := func(path string, mode Mode, cols int) string {
		data, err := codeimage.ReadFile(path)
		require.NoError(t, err)
		img, err := Decode(data)
		require.NoError(t, err)
		out, err := Render(img, Box{Cols: cols}, Caps{CellW: 10, CellH: 20}, Options{Mode: mode, ImageID: 7})
		require.NoError(t, err)
		return out.Text + out.Raw
	}
	paths := realCodePaths(t)
	modes := []Mode{ModeSixel, ModeKitty, ModeITerm, ModeBlocks}
	want := map[string]string{}
	for _, p := range paths {
		for _, m := range modes {
			for _, cols := range []int{40, 97} {
				want[filepath.Base(p)+m.String()+string(rune(cols))] = render(p, m, cols)
			}
		}
	}
	// Two collections empty the pools, so the drawing below takes fresh
	// buffers from the region, and none of them outlives this test.
	emptyPools := func() { runtime.GC(); runtime.GC() }
	emptyPools()
	require.True(t, hugebuf.Use(256<<20) || runtime.GOOS != "linux")
	t.Cleanup(func() { hugebuf.Use(0); emptyPools() })
	for _, p := range paths {
		for _, m := range modes {
			for _, cols := range []int{40, 97} {
				got := render(p, m, cols)
				assert.Equal(t, want[filepath.Base(p)+m.String()+string(rune(cols))], got, "%s %s %d", filepath.Base(p), m, cols)
			}
		}
	}
}
