package codeimage

import (
	"errors"
	"fmt"
	"image/color"
	"strconv"
	"strings"
)

// HexError is why a colour written in hexadecimal was refused. Callers word
// their own advice around it (--flatten's, --line-color's), so the two cases
// are told apart instead of only printed.
type HexError struct {
	Digits string // as typed: no # and no surrounding space
	NotHex bool   // a character outside 0-9a-f; else the wrong number of digits
	Short  bool   // #rgb was accepted too
}

func (e *HexError) Error() string {
	if e.NotHex {
		return fmt.Sprintf("%q is not hexadecimal", e.Digits)
	}
	if e.Short {
		return fmt.Sprintf("%q has %d digits: write #rrggbb or #rgb", e.Digits, len(e.Digits))
	}
	return fmt.Sprintf("%q has %d digits: write #rrggbb", e.Digits, len(e.Digits))
}

// ParseHex reads an opaque colour written #rrggbb (the # may be left out):
// the one reader of hexadecimal colours, for --flatten and, through
// wechat.ParseColor, --line-color and the simulator's theme. A refusal is a
// *HexError.
func ParseHex(s string) (color.RGBA, error) { return parseHex(s, false) }

// ParseHexShort is ParseHex taking #rgb too, each digit doubled as in CSS
// (#f00 is #ff0000).
func ParseHexShort(s string) (color.RGBA, error) { return parseHex(s, true) }

func parseHex(s string, short bool) (color.RGBA, error) {
	typed := strings.TrimPrefix(strings.TrimSpace(s), "#")
	h := typed
	if short && len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	if len(h) != 6 {
		return color.RGBA{}, &HexError{Digits: typed, Short: short}
	}
	// Base 16 given, so ParseUint takes no sign, 0x or underscore.
	v, err := strconv.ParseUint(h, 16, 32)
	if err != nil {
		// What was typed, not its #rgb expansion ("red" is not "rreedd").
		return color.RGBA{}, &HexError{Digits: typed, NotHex: true, Short: short}
	}
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}, nil
}

// Hex is c as #rrggbb, what ParseHex reads back.
func Hex(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// ParseBackground reads a flatten colour: white, or #rrggbb (the # may be
// left out; #rgb is not taken, as the flag's help and the README say).
// Alpha is always opaque: the point is a code with none.
func ParseBackground(s string) (color.RGBA, error) {
	if strings.EqualFold(strings.TrimSpace(s), "white") {
		return color.RGBA{255, 255, 255, 255}, nil
	}
	c, err := ParseHex(s)
	var he *HexError
	switch {
	case err == nil:
		return c, nil
	case errors.As(err, &he) && he.NotHex:
		return color.RGBA{}, fmt.Errorf("%q is not a colour: %v; give white or #rrggbb", s, he)
	}
	return color.RGBA{}, fmt.Errorf("%q is not a colour: give white or #rrggbb (for example #fff8e7)", s)
}
