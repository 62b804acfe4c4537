package e2e

import (
	"bytes"
	"image/png"
	"os"

	"wxacode/internal/blockscan"
)

// blocksToPNG rebuilds the half blocks right of column fromCol in a colour
// capture (tmux capture-pane -e) as a PNG for zbarimg.
func blocksToPNG(capture string, fromCol int, path string) error {
	img, err := blockscan.Capture(capture, fromCol)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}
