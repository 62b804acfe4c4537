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
	InTmux       bool   // inside tmux or screen: graphics do not survive redraws
	Colors       int    // sixel colour registers from XTSMGRAPHICS; 0 when unknown
	Terminal     string // terminal name from the environment or XTVERSION, for display
}

// Cell returns the cell size in pixels, falling back to DefaultCellW×DefaultCellH.
func (c Caps) Cell() (w, h int) {
	w, h = c.CellW, c.CellH
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
	if getenv("TMUX") != "" || strings.HasPrefix(term, "tmux") || strings.HasPrefix(term, "screen") || prog == "tmux" {
		// The variables below then describe the outer terminal, which tmux
		// ≤ 3.3 hides: no graphics from the environment alone.
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

// Resolve turns a requested mode into the mode to draw with. An explicit
// mode is kept as asked (the user knows their terminal); auto picks kitty,
// then sixel (inside tmux only when the terminal itself said so in DA1),
// then iTerm2, then half blocks.
func (c Caps) Resolve(m Mode) Mode {
	if m != ModeAuto {
		return m
	}
	switch {
	case c.Kitty && !c.InTmux:
		return ModeKitty
	case c.Sixel:
		return ModeSixel
	case c.ITerm2 && !c.InTmux:
		return ModeITerm
	}
	return ModeBlocks
}
