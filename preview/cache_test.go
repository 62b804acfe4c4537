package preview

import (
	"image"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testimage"
)

func TestRenderDecodedUsesTheGivenImage(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 64, 64))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	data := testimage.PNG(img)
	caps := Caps{CellW: 8, CellH: 16}
	box := Box{Cols: 20, Rows: 10}
	want, err := NewRenderer(8).RenderBytes(data, box, caps, Options{Mode: ModeBlocks})
	require.NoError(t, err)
	got, err := NewRenderer(8).RenderDecoded(data, img, box, caps, Options{Mode: ModeBlocks})
	require.NoError(t, err)
	assert.Equal(t, want, got, "the same output as decoding the bytes")

	// The given image is what is drawn: a black one differs from the white bytes.
	black := image.NewGray(image.Rect(0, 0, 64, 64))
	other, err := NewRenderer(8).RenderDecoded(data, black, box, caps, Options{Mode: ModeBlocks})
	require.NoError(t, err)
	assert.NotEqual(t, want.Text, other.Text)
	// nil decodes the bytes.
	again, err := NewRenderer(8).RenderDecoded(data, nil, box, caps, Options{Mode: ModeBlocks})
	require.NoError(t, err)
	assert.Equal(t, want, again)
}
