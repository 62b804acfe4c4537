package preview

import (
	"image"
	"testing"

	"github.com/stretchr/testify/require"

	"wxacode/internal/blockscan"
	"wxacode/internal/wechattest"
	"wxacode/wechat"
)

func TestSimCodes(t *testing.T) {
	for _, c := range []struct {
		name string
		req  wechat.UnlimitedRequest
	}{
		{"jpeg 430", wechat.UnlimitedRequest{Scene: "id=42"}},
		{"jpeg 1280", wechat.UnlimitedRequest{Scene: "id=43", Width: 1280}},
		{"transparent png 1280", wechat.UnlimitedRequest{Scene: "id=44", Width: 1280, IsHyaline: true}},
		{"green jpeg 280", wechat.UnlimitedRequest{Scene: "id=45", Width: 280, LineColor: &wechat.Color{R: 7, G: 193, B: 96}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			data, want := wechattest.Code(t, c.req)
			img := decodeT(t, data)
			// Sixel: pixel-exact against the prepared image when that has
			// exact colour registers; close to it (median cut) when the JPEG
			// has more colours than registers.
			out, err := Render(img, Box{80, 24}, Caps{Sixel: true}, Options{})
			require.NoError(t, err)
			prepared := Prepare(img, out.Width, out.Height, BackgroundWhite)
			got := sixelRoundTrip(t, out.Raw)
			require.Equal(t, prepared.Bounds().Size(), got.Bounds().Size())
			if _, exact := prepared.(*image.Paletted); exact {
				bad := 0
				for y := 0; y < out.Height; y++ {
					for x := 0; x < out.Width; x++ {
						if !sameColour(prepared.At(x, y), got.At(x, y)) {
							bad++
						}
					}
				}
				require.Zero(t, bad)
			} else {
				require.Greater(t, psnr(t, prepared, got), 30.0)
			}
			require.Equal(t, want, zbar(t, got), "the decoded sixel scans")
			// Half blocks scan too: the whole badge when it fits at a column
			// per module, the QR alone in an 80×24 terminal.
			for _, box := range []Box{{80, 0}, {80, 24}} {
				out, err = Render(img, box, Caps{}, Options{Mode: ModeBlocks})
				require.NoError(t, err)
				if box.Rows > 0 {
					require.LessOrEqual(t, out.Rows, box.Rows)
				}
				require.Equal(t, want, zbar(t, blockscan.Text(out.Text)), "box %v", box)
			}
		})
	}
}
