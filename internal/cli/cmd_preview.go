package cli

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"math/rand/v2"
	"os"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"

	"wxacode/codeimage"
	"wxacode/hugebuf"
	"wxacode/preview"
)

// newPreviewCmd is `wxacode preview FILE...`: saved codes inline, graphics
// when the terminal has them, half blocks otherwise.
func newPreviewCmd(f *Factory) *cobra.Command {
	var graphics, background string
	var cols, rows int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "preview FILE...",
		Short: "Show saved codes in the terminal",
		Long: `Shows saved codes (PNG, JPEG, GIF, BMP or WebP, by content) inline in the terminal, each under its name
when there are several. A file that cannot be shown is reported and the
others are still shown (exit 2).

--json draws nothing and prints, as a JSON array with one object a file,
what would be drawn: the mode, the cells and pixels it takes, and for half
blocks whether the drawing scans (null for the graphics modes, which draw
the pixels themselves) and the cells it would need.`,
		Example: `  wxacode preview code.jpg
  wxacode preview out/*.jpg --cols 40
  wxacode preview clear.png --graphics kitty --background checker
  wxacode preview code.jpg --graphics blocks --cols 40 --json`,
		RunE: func(cmd *cobra.Command, files []string) error {
			box := boxFlags{cols, rows, cmd.Flags().Changed("cols"), cmd.Flags().Changed("rows")}
			return runPreview(cmd.Context(), f, files, graphics, background, box, asJSON)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&graphics, "graphics", "auto", "auto, sixel, kitty, iterm, blocks or none")
	fs.IntVar(&cols, "cols", 0, "width in terminal columns, 1 to the terminal's width or 1000 (default: the terminal's width; the height is then not limited)")
	fs.IntVar(&rows, "rows", 0, "height limit in terminal rows, 1 to the terminal's height or 1000 (default: none, or the terminal's height without --cols)")
	fs.BoolVar(&asJSON, "json", false, "draw nothing: print what would be drawn (mode, cells, pixels, scannable) as JSON")
	fs.StringVar(&background, "background", "white", "what transparent pixels are drawn over: white, checker (shows what is transparent) or none (kitty and iTerm2 only; the other modes use white)")
	return cmd
}

func runPreview(ctx context.Context, f *Factory, files []string, graphics, background string, flags boxFlags, asJSON bool) error {
	ios, render := f.IOStreams, f.render
	if render == nil {
		render = showFile
	}
	if f.ownProcess {
		noGCUntil(1<<30 - 256<<20) // the region below is outside the Go heap's limit
		// The image's buffers, written once each, from huge pages: a
		// tenth of the faults (see package hugebuf). Address space only
		// until written; a larger image's buffers come from the heap.
		hugebuf.Use(256 << 20)
	}
	if len(files) == 0 {
		return usageErrorf("wxacode preview: give at least one FILE, e.g. wxacode preview code.jpg (see wxacode preview --help)")
	}
	mode, err := preview.ParseMode(graphics)
	if err != nil {
		return usageErrorf("wxacode preview: --graphics: %v", err)
	}
	bg, err := preview.ParseBackground(background)
	if err != nil {
		return usageErrorf("wxacode preview: --background: %v", err)
	}
	termW, termH, termOK := 0, 0, false
	if ios.OutTTY {
		termW, termH, termOK = ios.OutSize()
	}
	if !termOK {
		termW = 0
	}
	box, err := flags.check(termW, termH, termOK)
	if err != nil {
		return err
	}

	// The environment, and inside tmux what tmux says about the terminal
	// outside it; the terminal's replies go on top, and Resolve decides.
	caps := preview.FromEnv(os.Getenv)
	if mode == preview.ModeAuto {
		caps = preview.Detect(ctx, os.Getenv, f.tmuxRunner())
	}
	if ios.OutTTY {
		if termOK && box.Cols == 0 {
			box.Cols = min(termW, preview.MaxCells)
			if box.Rows == 0 {
				box.Rows = min(max(termH-2, 1), preview.MaxCells) // room for the prompt after the image
			}
		}
		if mode != preview.ModeBlocks && mode != preview.ModeNone && os.Getenv("TERM") != "dumb" {
			if tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0); err == nil {
				caps = preview.ProbeTTY(tty, caps, time.Second)
				tty.Close()
			}
		}
	}
	if box.Cols == 0 {
		box.Cols = 80
	}
	// Kitty replaces an image with the same id: each image printed here gets
	// its own, so earlier ones stay in the scrollback.
	firstID := rand.Uint32()>>1 + 1
	failed := false
	var answers []previewJSON
	for i, path := range files {
		if ctx.Err() != nil {
			return reported(exitInterrupted)
		}
		if len(files) > 1 && !asJSON {
			fmt.Fprintln(ios.Out, path)
		}
		opts := preview.Options{Mode: mode, Background: bg, ImageID: firstID + uint32(i)}
		// Decoding and encoding a large image takes seconds and cannot be
		// cancelled: it runs aside, so ctrl+c or SIGTERM ends the command at
		// once (exit 130); the process exits with the work left unfinished.
		done := make(chan shown, 1)
		go func() { done <- render(path, box, caps, opts) }()
		select {
		case <-ctx.Done():
			return reported(exitInterrupted)
		case r := <-done:
			if asJSON {
				answers = append(answers, r.json(path))
				failed = failed || r.problem != ""
				continue
			}
			if r.problem != "" {
				fmt.Fprintf(ios.ErrOut, "wxacode preview: %s\n", r.problem)
				failed = true
				continue
			}
			// Written as it is: through fmt, a sixel's 100 KB would be
			// copied into fresh memory once more.
			io.WriteString(ios.Out, r.text)
			io.WriteString(ios.Out, "\n")
			if r.scan != nil {
				// On stderr: stdout stays the drawing alone for a pipe or a
				// file, and in a terminal the note comes right under it.
				fmt.Fprintf(ios.ErrOut, "wxacode preview: %s: %s (try %s)\n", path, r.scan.problem, flags.fix(r.scan.need, termW))
			}
		}
	}
	if asJSON {
		if err := f.printJSON(ios.Out, answers); err != nil {
			return err
		}
	}
	if failed {
		return reported(exitUsage)
	}
	return nil
}

// shown is what preview prints for one file: the text (a newline follows
// it), or what went wrong;
// scan is set when half blocks were drawn that cannot be scanned. out,
// format and size describe the drawing for --json.
type shown struct {
	text, problem string
	scan          *scanNote
	out           *preview.Output
	format        codeimage.Format
	size          image.Point
}

// previewJSON is one file of `preview --json`: what would be drawn.
// Width and Height are the drawing's pixels (for half blocks, one a
// column and two a row); scannable is for half blocks only (null
// otherwise), with need, the cells that would scan, when it is false.
type previewJSON struct {
	File        string     `json:"file"`
	Format      string     `json:"format,omitempty"`
	ImageWidth  int        `json:"image_width,omitempty"`
	ImageHeight int        `json:"image_height,omitempty"`
	Mode        string     `json:"mode,omitempty"`
	Cols        int        `json:"cols"`
	Rows        int        `json:"rows"`
	Width       int        `json:"width"`
	Height      int        `json:"height"`
	Scannable   *bool      `json:"scannable"`
	Need        *cellsJSON `json:"need,omitempty"`
	Error       string     `json:"error,omitempty"`
}

type cellsJSON struct {
	Cols int `json:"cols"`
	Rows int `json:"rows"`
}

// json is r as one element of preview --json's array.
func (r shown) json(path string) previewJSON {
	j := previewJSON{File: path, Format: string(r.format), ImageWidth: r.size.X, ImageHeight: r.size.Y, Error: r.problem}
	if o := r.out; o != nil {
		j.Mode, j.Cols, j.Rows, j.Width, j.Height = o.Mode.String(), o.Cols, o.Rows, o.Width, o.Height
		if o.Mode == preview.ModeBlocks {
			ok := o.Scan.Exact
			j.Scannable = &ok
			if !ok && o.Scan.Need != (preview.Box{}) {
				j.Need = &cellsJSON{o.Scan.Need.Cols, o.Scan.Need.Rows}
			}
		}
	}
	return j
}

// scanNote is why a half-block drawing cannot be scanned and the box it needs.
type scanNote struct {
	problem string
	need    preview.Box
}

// showFile renders one saved code.
func showFile(path string, box preview.Box, caps preview.Caps, opts preview.Options) shown {
	data, err := codeimage.ReadFile(path)
	if err != nil {
		if u := errors.Unwrap(err); u != nil {
			err = u // the *PathError's copy of the path
		}
		return shown{problem: fmt.Sprintf("cannot read %s: %v", path, err)}
	}
	img, err := preview.Decode(data)
	if err != nil {
		return shown{problem: fmt.Sprintf("%s: %v", path, err)}
	}
	format, _ := codeimage.Sniff(data)
	size := img.Bounds().Size()
	r, err := preview.Render(img, box, caps, opts)
	if err != nil {
		return shown{problem: fmt.Sprintf("%s: %v", path, err), format: format, size: size}
	}
	s := shown{out: &r, format: format, size: size}
	switch r.Mode {
	case preview.ModeNone:
		s.text = fmt.Sprintf("%s: %d×%d px", path, size.X, size.Y)
	case preview.ModeBlocks:
		s.text = r.Text
		if p := r.ScanProblem(); p != "" {
			s.scan = &scanNote{p, r.Scan.Need}
		}
	default:
		// After the image the cursor is on its last text row (sixel) or past
		// it (kitty, iTerm2): a newline puts the prompt below it.
		s.text = r.Inline()
	}
	return s
}

// noGCUntil turns the collector off below limit bytes, unless the user set
// GOGC or GOMEMLIMIT: a preview allocates a few megabytes once and exits,
// so collecting them is time wasted (a tenth of a 430 px code's preview);
// the limit still bounds a huge image's heap.
func noGCUntil(limit int64) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(limit)
}
