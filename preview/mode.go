package preview

import (
	"fmt"
	"strings"
)

// Mode is how an image is drawn.
type Mode int

// The modes, in the spelling of --graphics.
const (
	ModeAuto Mode = iota
	ModeSixel
	ModeKitty
	ModeITerm
	ModeBlocks
	ModeNone
)

var modeNames = [...]string{"auto", "sixel", "kitty", "iterm", "blocks", "none"}

// String is the flag spelling of the mode.
func (m Mode) String() string {
	if m < 0 || int(m) >= len(modeNames) {
		return fmt.Sprintf("Mode(%d)", int(m))
	}
	return modeNames[m]
}

// ParseMode reads a --graphics value (case-insensitive; "" is auto).
func ParseMode(s string) (Mode, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return ModeAuto, nil
	}
	if s == "iterm2" {
		return ModeITerm, nil
	}
	for i, n := range modeNames {
		if s == n {
			return Mode(i), nil
		}
	}
	return ModeAuto, fmt.Errorf("unknown graphics mode %q: use one of %s", s, strings.Join(modeNames[:], ", "))
}

// Background is what transparent pixels are drawn over.
type Background int

// Backgrounds: white (the default, what a scanner needs), a checkerboard that
// shows what is transparent, or none (alpha kept; only kitty and iTerm2 can
// show it, the other modes fall back to white).
const (
	BackgroundWhite Background = iota
	BackgroundChecker
	BackgroundNone
)

var backgroundNames = [...]string{"white", "checker", "none"}

// String is the flag spelling of the background.
func (b Background) String() string {
	if b < 0 || int(b) >= len(backgroundNames) {
		return fmt.Sprintf("Background(%d)", int(b))
	}
	return backgroundNames[b]
}

// ParseBackground reads a --background value (case-insensitive; "" is white).
func ParseBackground(s string) (Background, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return BackgroundWhite, nil
	}
	for i, n := range backgroundNames {
		if s == n {
			return Background(i), nil
		}
	}
	return BackgroundWhite, fmt.Errorf("unknown background %q: use white, checker or none", s)
}
