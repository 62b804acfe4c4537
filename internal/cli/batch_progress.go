package cli

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"wxacode/batch"
	"wxacode/ui"
)

// progressPrinter draws a bar in place on a terminal, and a plain line every
// two seconds otherwise (logs, CI).
type progressPrinter struct {
	w     io.Writer
	tty   bool
	width int
	last  time.Time
	drawn bool
	plain bool // NO_COLOR: the bar without its colours
}

func newProgressPrinter(ios *IOStreams) *progressPrinter {
	p := &progressPrinter{w: ios.Out, tty: ios.OutTTY, width: 100, plain: os.Getenv("NO_COLOR") != ""}
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 20 {
		p.width = n - 1
	} else if cols, _, ok := ios.OutSize(); ok && cols > 20 {
		p.width = cols - 1
	}
	return p
}

func (p *progressPrinter) update(pr batch.Progress) {
	every := 2 * time.Second
	if p.tty {
		every = 200 * time.Millisecond
	}
	if time.Since(p.last) < every {
		return
	}
	p.last = time.Now()
	if p.tty {
		bar := ui.BatchProgress(ui.BatchStatus{Done: pr.Done, Total: pr.Total, Text: pr.Line()}, p.width)
		if p.plain {
			// no-color.org: set and not empty. The bar's half blocks take
			// their fill from the colours; without them a full block reads right.
			bar = strings.ReplaceAll(ansi.Strip(bar), "▌", "█")
		}
		fmt.Fprintf(p.w, "\r%s\x1b[K", bar)
		p.drawn = true
		return
	}
	fmt.Fprintln(p.w, pr.Line())
}

func (p *progressPrinter) finish() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
