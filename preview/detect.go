package preview

import (
	"strconv"
	"strings"
)

// Default cell size when the terminal tells nothing: what xterm's default
// font and Windows Terminal's virtual sixel cell use.
const (
	DefaultCellW = 10
	DefaultCellH = 20
)

// Caps is what the terminal can show, folded from the environment and from
// its replies to Queries. The zero value means "text only, cell size unknown".
type Caps struct {
	Sixel  bool // DA1 attribute 4, or a terminal known to have it
	Kitty  bool // kitty graphics protocol
	ITerm2 bool // OSC 1337 inline images
	// CellW, CellH are one cell's size in pixels; 0 when unknown (Cell then
	// gives the default).
	CellW, CellH int
	// InTmux is true inside tmux or screen (by the environment or XTVERSION).
	// The pane's replies then describe the multiplexer, not the terminal, so
	// Resolve decides from Tmux instead.
	InTmux bool
	// Screen is true inside GNU screen ($STY): no passthrough to trust.
	Screen   bool
	Colors   int    // sixel colour registers from XTSMGRAPHICS; 0 when unknown
	Terminal string // terminal name from the environment or XTVERSION, for display
	// Tmux is what the tmux server said about the client showing the pane
	// (AskTmux, folded by ApplyTmux); zero when not asked.
	Tmux TmuxClient
}

// Cell returns the cell size in pixels, falling back to DefaultCellW×DefaultCellH.
// Inside tmux the attached client's cell wins: tmux scales a sixel from the
// pane's cell to it, and the pane's own pixel size may be tmux's default.
func (c Caps) Cell() (w, h int) {
	w, h = c.CellW, c.CellH
	if c.InTmux && c.Tmux.CellW > 0 && c.Tmux.CellH > 0 {
		w, h = c.Tmux.CellW, c.Tmux.CellH
	}
	if w <= 0 || h <= 0 {
		return DefaultCellW, DefaultCellH
	}
	return w, h
}

// FromEnv guesses capabilities from environment variables. getenv is
// os.Getenv in production and a map lookup in tests. Environment variables
// are lost over ssh and inherited into tmux, so replies to Queries, folded
// with the Apply methods, take precedence.
func FromEnv(getenv func(string) string) Caps {
	var c Caps
	term := getenv("TERM")
	prog := getenv("TERM_PROGRAM")
	c.Terminal = prog
	if c.Terminal == "" {
		c.Terminal = term
	}
	if getenv("TMUX") == "" && getenv("STY") != "" {
		c.InTmux, c.Screen = true, true
		return c
	}
	if getenv("TMUX") != "" || strings.HasPrefix(term, "tmux") || strings.HasPrefix(term, "screen") || prog == "tmux" {
		// The variables below then describe the terminal the tmux server
		// was started from, maybe long ago: no graphics from the
		// environment alone. AskTmux asks the server about the client.
		c.InTmux = true
		return c
	}
	switch {
	case getenv("KITTY_WINDOW_ID") != "" || term == "xterm-kitty":
		c.Kitty, c.Terminal = true, "kitty"
	case term == "xterm-ghostty" || strings.EqualFold(prog, "ghostty"):
		c.Kitty, c.Terminal = true, "ghostty"
	case prog == "WezTerm" || getenv("WEZTERM_EXECUTABLE") != "" || getenv("WEZTERM_PANE") != "":
		c.Sixel, c.ITerm2, c.Terminal = true, true, "WezTerm"
	case getenv("LC_TERMINAL") == "iTerm2" || prog == "iTerm.app":
		c.Sixel, c.ITerm2, c.Terminal = true, true, "iTerm2"
	case strings.HasPrefix(term, "foot"):
		c.Sixel, c.Terminal = true, "foot"
	case term == "mlterm" || getenv("MLTERM") != "":
		c.Sixel, c.ITerm2, c.Terminal = true, true, "mlterm"
	case term == "mintty" || prog == "mintty":
		c.Sixel, c.ITerm2, c.Terminal = true, true, "mintty"
	case getenv("KONSOLE_VERSION") != "":
		// Konsole shows sixel from 22.04 (KONSOLE_VERSION 220400).
		if v, err := strconv.Atoi(getenv("KONSOLE_VERSION")); err == nil && v >= 220400 {
			c.Sixel = true
		}
		c.Terminal = "Konsole"
	case getenv("WT_SESSION") != "":
		// Windows Terminal draws sixel on a virtual 10×20 cell whatever the
		// font; whether it has sixel at all is left to DA1.
		c.CellW, c.CellH, c.Terminal = 10, 20, "Windows Terminal"
	}
	// VS Code (TERM_PROGRAM=vscode) and VTE (VTE_VERSION) show images only
	// when a setting or build option allows it: DA1 decides (see ApplyDA1).
	return c
}

// ApplyDA1 folds the primary device attributes (the numbers of
// ESC [ ? 63;1;2;4… c). Attribute 4 means sixel; its absence is trusted over
// the environment, since the reply comes from the terminal actually attached.
func (c Caps) ApplyDA1(attrs []int) Caps {
	sixel := false
	for _, a := range attrs {
		if a == 4 {
			sixel = true
		}
	}
	c.Sixel = sixel
	if sixel && strings.EqualFold(c.Terminal, "vscode") {
		// xterm.js's image addon brings sixel and iTerm2 images together.
		c.ITerm2 = true
	}
	return c
}

// ApplyKitty folds the kitty graphics query: ok is true when the terminal
// answered the query with OK.
func (c Caps) ApplyKitty(ok bool) Caps {
	c.Kitty = ok
	return c
}

// ApplyCellSize folds a cell size in pixels (from CSI 16 t or CellFromWinsize);
// non-positive sizes are ignored.
func (c Caps) ApplyCellSize(w, h int) Caps {
	if w > 0 && h > 0 && w < 1000 && h < 1000 {
		c.CellW, c.CellH = w, h
	}
	return c
}

// ApplyColors folds the number of sixel colour registers (XTSMGRAPHICS).
func (c Caps) ApplyColors(n int) Caps {
	if n > 0 {
		c.Colors = n
	}
	return c
}

// ApplyVersion folds the XTVERSION name, e.g. "XTerm(379)", "WezTerm 20240203",
// "iTerm2 3.5.0", "tmux 3.3a", "kitty(0.35.2)".
func (c Caps) ApplyVersion(v string) Caps {
	v = strings.TrimSpace(v)
	if v == "" {
		return c
	}
	c.Terminal = v
	lv := strings.ToLower(v)
	switch {
	case strings.HasPrefix(lv, "tmux"):
		c.InTmux = true
	case strings.HasPrefix(lv, "wezterm"):
		c.ITerm2 = true
	case strings.HasPrefix(lv, "iterm2"):
		c.ITerm2 = true
	case strings.HasPrefix(lv, "kitty"), strings.HasPrefix(lv, "ghostty"):
		c.Kitty = true
	}
	return c
}

// Resolve turns a requested mode into the mode to draw with: the one
// decision, for `wxacode preview` and the designer alike. An explicit mode
// is kept as asked (the user knows their terminal); auto picks kitty, then
// sixel, then iTerm2, then half blocks.
//
// Inside tmux the pane's answers are tmux's own: a tmux built with sixel
// says 4 in DA1 in every pane and then prints a "SIXEL IMAGE" placeholder on
// a client that cannot show one. So auto there draws sixel only when the
// pane says 4 and the attached client has tmux's sixel feature and a known
// cell size; kitty or iTerm2 only through allow-passthrough to an outer
// terminal that has them; half blocks otherwise, and always in screen or
// when tmux could not be asked or no client is attached.
func (c Caps) Resolve(m Mode) Mode {
	if m != ModeAuto {
		return m
	}
	if c.InTmux {
		t := c.Tmux
		switch {
		case c.Screen || !t.Attached:
			return ModeBlocks
		case c.Sixel && t.Sixel && t.CellW > 0 && t.CellH > 0:
			return ModeSixel
		case t.Passthrough && t.Kitty:
			return ModeKitty
		case t.Passthrough && t.ITerm2:
			return ModeITerm
		}
		return ModeBlocks
	}
	switch {
	case c.Kitty:
		return ModeKitty
	case c.Sixel:
		return ModeSixel
	case c.ITerm2:
		return ModeITerm
	}
	return ModeBlocks
}

// Passthrough says whether an image drawn in mode m goes to the outer
// terminal wrapped in tmux's passthrough (see Passthrough): kitty and iTerm2
// inside tmux, where tmux would otherwise swallow them. Sixel is left to
// tmux, which draws it itself or shows a placeholder.
func (c Caps) Passthrough(m Mode) bool {
	return c.InTmux && !c.Screen && (m == ModeKitty || m == ModeITerm)
}

// Queries returns the queries to send this terminal (see the package
// function Queries). Inside tmux or screen the kitty query is left out:
// nothing there answers it, and tmux takes an APC string for the pane's title.
func (c Caps) Queries() string {
	if c.InTmux {
		return QueryCellSize + QueryColors + QueryXTVersion + QueryDA1
	}
	return Queries()
}
