package jpeg

import (
	"image"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The planes' layout must be the standard library's: the decoder and every
// reader of the image index them by its strides.
func TestAllocLayoutIsTheStandardLibrarys(t *testing.T) {
	ratios := []image.YCbCrSubsampleRatio{
		image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
		image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
	}
	for _, size := range []image.Point{{8, 8}, {16, 8}, {24, 40}, {432, 432}, {1, 1}, {7, 13}} {
		for _, r := range ratios {
			want := image.NewYCbCr(image.Rect(0, 0, size.X, size.Y), r)
			got := newYCbCr(size.X, size.Y, r)
			assert.Equal(t, want, got, "%v %v", size, r)
		}
		assert.Equal(t, image.NewGray(image.Rect(0, 0, size.X, size.Y)), newGray(size.X, size.Y))
	}
}
