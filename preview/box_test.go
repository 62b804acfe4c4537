package preview

import (
	"image"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRenderRefusesHugeBox: a box beyond MaxCells is an error from Render
// itself, in every mode, so no caller reaches the pixel buffers' makeslice.
func TestRenderRefusesHugeBox(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 40, 40))
	for _, tc := range []struct {
		box  Box
		want string
	}{
		{Box{0, 0}, "a box of 0 columns is too small: give at least 1"},
		{Box{-1, 0}, "a box of -1 columns is too small"},
		{Box{MaxCells + 1, 0}, "a box of 1001 columns is too wide: give at most 1000"},
		{Box{999999999, 0}, "a box of 999999999 columns is too wide"},
		{Box{10, MaxCells + 1}, "a box of 1001 rows is too tall: give at most 1000"},
	} {
		for _, mode := range []Mode{ModeBlocks, ModeSixel, ModeKitty, ModeITerm} {
			out, err := Render(img, tc.box, Caps{}, Options{Mode: mode})
			require.Error(t, err, "%v %v", tc.box, mode)
			assert.Contains(t, err.Error(), tc.want)
			assert.Equal(t, Output{}, out)
		}
	}
	for _, box := range []Box{{1, 0}, {MaxCells, 0}, {MaxCells, MaxCells}} {
		_, err := Render(img, box, Caps{}, Options{Mode: ModeSixel})
		assert.NoError(t, err, "%v", box)
	}
}
