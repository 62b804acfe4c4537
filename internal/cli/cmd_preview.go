package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"time"

	"golang.org/x/term"

	"wxacode/preview"
)

const previewUsage = `Usage: wxacode preview FILE... [--graphics MODE] [--cols N] [--background white|checker|none]

Shows saved codes (PNG or JPEG) inline in the terminal, each under its name
when there are several. A file that cannot be shown is reported and the
others are still shown (exit 2).

  --graphics MODE   auto (default), sixel, kitty, iterm, blocks or none
  --cols N          width in terminal columns (default: the terminal's width;
                    the height is then not limited)
  --background BG   what transparent pixels are drawn over: white (default),
                    checker (shows what is transparent) or none (kitty and
                    iTerm2 only; the other modes use white)
`

// cmdPreview prints a saved code inline: graphics when the terminal has them,
// half blocks otherwise.
func cmdPreview(ctx context.Context, args []string, io stdio) int {
	fs := flag.NewFlagSet("preview", flag.ContinueOnError)
	fs.SetOutput(io.err)
	fs.Usage = func() { fmt.Fprint(io.err, previewUsage) }
	graphics := fs.String("graphics", "auto", "")
	cols := fs.Int("cols", 0, "")
	background := fs.String("background", "white", "")
	// Flags may come before or after FILE.
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return exitOK
			}
			return exitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(io.err, "wxacode preview: "+format+"\n", a...)
		return exitUsage
	}
	if len(files) == 0 {
		fs.Usage()
		return fail("give at least one FILE")
	}
	mode, err := preview.ParseMode(*graphics)
	if err != nil {
		return fail("--graphics: %v", err)
	}
	bg, err := preview.ParseBackground(*background)
	if err != nil {
		return fail("--background: %v", err)
	}
	if *cols < 0 {
		return fail("--cols must be a positive number of columns, got %d", *cols)
	}

	caps := preview.FromEnv(os.Getenv)
	box := preview.Box{Cols: *cols}
	if f, ok := io.out.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if w, h, err := term.GetSize(int(f.Fd())); err == nil {
			if box.Cols == 0 {
				box.Cols = w
				box.Rows = max(h-2, 1) // room for the prompt after the image
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
	code := exitOK
	for i, path := range files {
		if ctx.Err() != nil {
			return exitInterrupted
		}
		if len(files) > 1 {
			fmt.Fprintln(io.out, path)
		}
		opts := preview.Options{Mode: mode, Background: bg, ImageID: firstID + uint32(i)}
		if problem := showFile(io, path, box, caps, opts); problem != "" {
			fmt.Fprintf(io.err, "wxacode preview: %s\n", problem)
			code = exitUsage
		}
	}
	return code
}

// showFile prints one saved code; it returns what went wrong, if anything.
func showFile(io stdio, path string, box preview.Box, caps preview.Caps, opts preview.Options) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("cannot read %s: %v", path, errors.Unwrap(err))
	}
	img, err := preview.Decode(data)
	if err != nil {
		return fmt.Sprintf("%s: %v", path, err)
	}
	out, err := preview.Render(img, box, caps, opts)
	if err != nil {
		return fmt.Sprintf("%s: %v", path, err)
	}
	switch out.Mode {
	case preview.ModeNone:
		b := img.Bounds()
		fmt.Fprintf(io.out, "%s: %d×%d px\n", path, b.Dx(), b.Dy())
	case preview.ModeBlocks:
		fmt.Fprintln(io.out, out.Text)
	default:
		// After the image the cursor is on its last text row (sixel) or past
		// it (kitty, iTerm2): a newline puts the prompt below it.
		fmt.Fprint(io.out, out.Raw+"\n")
	}
	return ""
}
