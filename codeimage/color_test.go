package codeimage

import (
	"image/color"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseHex(t *testing.T) {
	for _, tc := range []struct {
		in          string
		short       bool // ParseHexShort
		want        color.RGBA
		err, notHex string
	}{
		{in: "#1aad19", want: color.RGBA{0x1a, 0xad, 0x19, 255}},
		{in: " FFF8E7 ", want: color.RGBA{0xff, 0xf8, 0xe7, 255}},
		{in: "#000000", short: true, want: color.RGBA{0, 0, 0, 255}},
		{in: "f00", short: true, want: color.RGBA{255, 0, 0, 255}},
		{in: "#f00", err: `"f00" has 3 digits: write #rrggbb`},
		{in: "#12345", short: true, err: `"12345" has 5 digits: write #rrggbb or #rgb`},
		{in: "", err: `"" has 0 digits`},
		// What was typed is quoted, never its #rgb expansion.
		{in: "red", short: true, err: `"red" is not hexadecimal`, notHex: "red"},
		{in: "#gggggg", err: `"gggggg" is not hexadecimal`, notHex: "gggggg"},
		// Base 16 is given: no sign, no 0x, no underscore.
		{in: "-12345", err: "is not hexadecimal", notHex: "-12345"},
		{in: "0x1234", err: "is not hexadecimal", notHex: "0x1234"},
		{in: "12_345", err: "is not hexadecimal", notHex: "12_345"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			parse := ParseHex
			if tc.short {
				parse = ParseHexShort
			}
			got, err := parse(tc.in)
			if tc.err == "" {
				require.NoError(t, err)
				assert.Equal(t, tc.want, got)
				return
			}
			require.ErrorContains(t, err, tc.err)
			var he *HexError
			require.ErrorAs(t, err, &he)
			assert.Equal(t, tc.notHex != "", he.NotHex)
			assert.NotContains(t, err.Error(), "rreedd")
		})
	}
}

// FuzzParseHex: whatever is typed, a colour read is opaque and Hex writes
// it back as what ParseHex reads; a refusal is always a *HexError.
func FuzzParseHex(f *testing.F) {
	for _, s := range []string{"#1aad19", "fff", "#FFF8E7", "red", "#-12345", " 000000 ", "#ф12", "0x1234"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, parse := range []func(string) (color.RGBA, error){ParseHex, ParseHexShort} {
			c, err := parse(s)
			if err != nil {
				var he *HexError
				require.ErrorAs(t, err, &he)
				continue
			}
			assert.Equal(t, uint8(255), c.A)
			back, err := ParseHex(Hex(c))
			require.NoError(t, err)
			assert.Equal(t, c, back)
			if typed := strings.TrimPrefix(strings.TrimSpace(s), "#"); len(typed) == 6 {
				assert.Equal(t, "#"+strings.ToLower(typed), Hex(c))
			}
		}
	})
}
