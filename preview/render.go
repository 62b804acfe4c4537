package preview

import (
	"errors"
	"fmt"
	"image"
	"math"
	"strconv"
	"strings"
)

// Box is the space the image may take, in terminal cells. Rows ≤ 0 means no
// limit on the height (printing inline, where the terminal scrolls).
type Box struct {
	Cols, Rows int
}

// MaxCells bounds a Box's columns and rows: no terminal is wider, and the
// pixel buffers grow with the box (10000 columns of sixel is gigabytes), so
// a larger box is refused rather than allocated.
const MaxCells = 1000

// Check says whether b can be rendered: 1…MaxCells columns, rows ≤ MaxCells
// (≤ 0 is no limit).
func (b Box) Check() error {
	if b.Cols < 1 {
		return fmt.Errorf("preview: a box of %d columns is too small: give at least 1", b.Cols)
	}
	if b.Cols > MaxCells {
		return fmt.Errorf("preview: a box of %d columns is too wide: give at most %d", b.Cols, MaxCells)
	}
	if b.Rows > MaxCells {
		return fmt.Errorf("preview: a box of %d rows is too tall: give at most %d", b.Rows, MaxCells)
	}
	return nil
}

// Options say how to draw.
type Options struct {
	Mode       Mode       // ModeAuto lets Caps decide
	Background Background // what transparent pixels are drawn over
	// ImageID is the kitty image id; a new preview with the same id replaces
	// the old one. 0 means 1.
	ImageID uint32
}

// Output is what to draw and how big it is.
type Output struct {
	Mode       Mode // the mode actually used (never ModeAuto)
	Cols, Rows int  // cells the image covers; reserve exactly this box
	// Text is the half-block rendering (ModeBlocks): Rows lines of Cols cells,
	// joined by "\n", to place inside the view.
	Text string
	// Raw is the sixel, kitty or iTerm2 escape sequence (graphics modes), to
	// write out of band with the cursor at the box's top-left corner (see Place).
	Raw string
	// Width, Height are the prepared image's size in pixels (for blocks, in
	// half-cells).
	Width, Height int
	// Scan says whether half blocks (ModeBlocks only) can be scanned; see
	// ScanProblem for what to tell the user.
	Scan Scan
	// Passthrough is true when Raw is wrapped for tmux to hand to the outer
	// terminal (Caps.Passthrough): tmux does not move its cursor past it.
	Passthrough bool
}

// Render draws img into box for a terminal with caps. ModeNone (asked or
// resolved) returns an Output with only Mode set.
func Render(img image.Image, box Box, caps Caps, opts Options) (Output, error) {
	if img == nil || img.Bounds().Empty() {
		return Output{}, errors.New("preview: the image is empty")
	}
	if err := box.Check(); err != nil {
		return Output{}, err
	}
	mode := caps.Resolve(opts.Mode)
	cw, ch := caps.Cell()
	out := Output{Mode: mode}
	switch mode {
	case ModeNone:
		return out, nil
	case ModeBlocks:
		w, h, crop, scan := blocksSize(img, box, cw, ch)
		qr := crop != image.Rectangle{}
		if qr {
			img = subImage(img, crop)
		}
		var p image.Image
		if qr && opts.Background != BackgroundChecker {
			// A QR, maybe on a badge (the simulator's codes: a ring, a
			// label): as text it only scans as two glyph colours, dark on
			// light, split straight from the averaged pixels.
			m := resample(img, w, h)
			flatten(m, BackgroundWhite)
			p, _ = snapTwo(m, true)
			release(m)
		} else {
			// 24-bit colour a half cell: never reduced to a palette.
			p = prepare(img, w, h, whiteUnlessChecker(opts.Background), forBlocks)
		}
		out.Text = EncodeBlocks(p)
		out.Cols, out.Rows, out.Width, out.Height = w, (h+1)/2, w, h
		out.Scan = scan
		return out, nil
	case ModeSixel, ModeKitty, ModeITerm:
	default:
		return Output{}, fmt.Errorf("preview: unknown mode %d", mode)
	}
	w, h := pixelSize(img.Bounds().Dx(), img.Bounds().Dy(), box, cw, ch)
	if w >= 2*img.Bounds().Dx() {
		// An integer upscale: replicated pixels for a QR's modules,
		// interpolated ones for anything else (a round code's strokes).
		if _, grid := moduleGrid(img); !grid {
			img = upscaleSmooth(img, w, h)
		}
	}
	var p image.Image
	if mode == ModeSixel {
		p = Prepare(img, w, h, whiteUnlessChecker(opts.Background))
	} else {
		// kitty and iTerm2 carry a PNG: the image itself, not a palette.
		p = PrepareLossless(img, w, h, opts.Background)
	}
	out.Width, out.Height = w, h
	out.Cols, out.Rows = ceilDiv(w, cw), ceilDiv(h, ch)
	var err error
	switch mode {
	case ModeSixel:
		out.Raw, err = encodeSixel(p)
	case ModeKitty:
		out.Raw, err = EncodeKitty(p, opts.ImageID, out.Cols, out.Rows)
	case ModeITerm:
		out.Raw, err = EncodeITerm(p, out.Cols, out.Rows)
	}
	if err != nil {
		return Output{}, fmt.Errorf("preview: encode %s: %w", mode, err)
	}
	if caps.Passthrough(mode) {
		out.Raw, out.Passthrough = Passthrough(out.Raw), true
	}
	return out, nil
}

// Inline is Raw as a command prints it at the cursor, in column 0. tmux
// keeps no cells for a passthrough image, so the rows are first made with
// newlines (scrolling if need be) and the image drawn from the top one; the
// cursor ends on the image's last row, as after a kitty or iTerm2 image.
func (o Output) Inline() string {
	if !o.Passthrough || o.Rows <= 1 {
		return o.Raw
	}
	up := strconv.Itoa(o.Rows - 1)
	return strings.Repeat("\n", o.Rows-1) + "\x1b[" + up + "A\r" + o.Raw + "\x1b[" + up + "B"
}

// Place wraps raw so that it is drawn with its top-left corner at the
// 0-based cell (row, col) and the cursor is put back where it was:
// ESC 7, CUP, raw, ESC 8. Needs absolute coordinates, i.e. the alt screen.
func Place(raw string, row, col int) string {
	return "\x1b7\x1b[" + strconv.Itoa(row+1) + ";" + strconv.Itoa(col+1) + "H" + raw + "\x1b8"
}

func whiteUnlessChecker(b Background) Background {
	if b == BackgroundChecker {
		return b
	}
	return BackgroundWhite
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// pixelSize fits sw×sh into the box's pixels: an integer upscale when the
// image is at most half the box (replicated pixels stay crisp), 1:1 when it
// fits, otherwise the largest area-averaged size that fits.
func pixelSize(sw, sh int, box Box, cw, ch int) (int, int) {
	bw := box.Cols * cw
	bh := math.MaxInt32
	if box.Rows > 0 {
		bh = box.Rows * ch
	}
	if sw <= bw && sh <= bh {
		k := min(bw/sw, bh/sh)
		return sw * k, sh * k
	}
	s := math.Min(float64(bw)/float64(sw), float64(bh)/float64(sh))
	return max(1, int(float64(sw)*s)), max(1, int(float64(sh)*s))
}

// blocksSize picks the half-block grid: columns an integer multiple of the
// module count when a QR finder pattern is found (so every module gets the
// same number of cells and the code still scans), else the widest fit. The
// height is corrected for the cell's aspect (a half cell is cw × ch/2 pixels);
// for a QR it is a whole number of pixel rows a module as well. scan says
// whether the result can be scanned and, if not, the smallest box that would.
func blocksSize(img image.Image, box Box, cw, ch int) (w, h int, crop image.Rectangle, scan Scan) {
	b := img.Bounds()
	sw, sh := b.Dx(), b.Dy()
	aspect := float64(sh) / float64(sw) * 2 * float64(cw) / float64(ch)
	fitsRows := func(h int) bool { return box.Rows <= 0 || (h+1)/2 <= box.Rows }
	height := func(w int) int { return max(1, int(math.Round(float64(w)*aspect))) }
	if g, ok := moduleGrid(img); ok {
		scan.Grid = true
		m, o := g.module, g.origin
		// The frames that may be drawn, largest first: the whole image, cut
		// so the module grid starts on a pixel boundary and holds whole
		// modules (every output pixel then covers exactly 1/k of a module
		// instead of straddling two), then only the symbol and a quiet zone
		// of 4, 2 or 1 modules (a badge around the QR is decoration).
		type frame struct{ x0, y0, nx, ny float64 }
		ox, oy := math.Mod(float64(o.X), m), math.Mod(float64(o.Y), m)
		// A quarter module of slack: the last quiet-zone module may be a pixel short.
		frames := []frame{{ox, oy, math.Floor((float64(sw)-ox)/m + 0.25), math.Floor((float64(sh)-oy)/m + 0.25)}}
		if g.symbol > 0 {
			for _, q := range []float64{4, 2, 1} {
				x0, y0 := float64(o.X)-q*m, float64(o.Y)-q*m
				n := float64(g.symbol) + 2*q
				if x0 < -0.5 || y0 < -0.5 || x0+n*m > float64(sw)+0.5 || y0+n*m > float64(sh)+0.5 {
					continue
				}
				frames = append(frames, frame{x0, y0, n, n})
			}
		}
		for _, f := range frames {
			nx, ny := int(f.nx), int(f.ny)
			for k := box.Cols / nx; k >= 1; k-- {
				if h := moduleRows(k, cw, ch) * ny; fitsRows(h) {
					r := image.Rect(int(math.Round(f.x0)), int(math.Round(f.y0)),
						int(math.Round(f.x0+f.nx*m)), int(math.Round(f.y0+f.ny*m))).Add(b.Min).Intersect(b)
					return k * nx, h, r, Scan{Exact: true, Grid: true}
				}
			}
		}
		// The smallest frame at one column a module is the smallest box.
		f := frames[len(frames)-1]
		scan.Need = Box{int(f.nx), (moduleRows(1, cw, ch)*int(f.ny) + 1) / 2}
	}
	w = min(box.Cols, sw)
	for ; w > 1 && !fitsRows(height(w)); w-- {
	}
	h = height(w)
	if !scan.Grid {
		scan.Exact = w >= roundMinPx
		if !scan.Exact && sw >= roundMinPx {
			scan.Need = Box{roundMinPx, (height(roundMinPx) + 1) / 2}
		}
	}
	return w, h, image.Rectangle{}, scan
}

// moduleRows is how many half-block pixel rows a module k columns wide
// takes so it stays about square: k with the usual 1:2 cells, never 0.
func moduleRows(k, cw, ch int) int {
	return max(1, int(math.Round(float64(k)*2*float64(cw)/float64(ch))))
}

// subImage crops img to r (r within the bounds).
func subImage(img image.Image, r image.Rectangle) image.Image {
	if s, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	}); ok {
		return s.SubImage(r)
	}
	return img
}
