package wechat

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseColor(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Color
		err  string
	}{
		{in: "#1aad19", want: Color{0x1a, 0xad, 0x19}},
		{in: "f00", want: Color{255, 0, 0}},
		{in: "0, 128 ,255", want: Color{0, 128, 255}},
		// The message quotes what was typed, not its #rgb expansion.
		{in: "red", err: `line colour "red": "red" is not hexadecimal`},
		{in: "#12345", err: "write it as #rrggbb"},
		{in: "1,2,300", err: "each of r,g,b"},
	} {
		t.Run(c.in, func(t *testing.T) {
			got, err := ParseColor(c.in)
			if c.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), c.err)
				assert.NotContains(t, err.Error(), "rreedd")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}
}

// Hex is what ParseColor reads back; a colour no #rrggbb can say is
// written r,g,b, which ParseColor refuses with the reason.
func TestColorHex(t *testing.T) {
	for _, c := range []struct {
		in   Color
		want string
		err  string
	}{
		{in: Color{0x1a, 0xad, 0x19}, want: "#1aad19"},
		{in: Color{}, want: "#000000"},
		{in: Color{255, 255, 255}, want: "#ffffff"},
		{in: Color{300, 0, 0}, want: "300,0,0", err: "each of r,g,b must be a whole number from 0 to 255"},
		{in: Color{0, -1, 0}, want: "0,-1,0", err: "each of r,g,b"},
	} {
		t.Run(c.want, func(t *testing.T) {
			assert.Equal(t, c.want, c.in.Hex())
			back, err := ParseColor(c.in.Hex())
			if c.err != "" {
				assert.ErrorContains(t, err, c.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.in, back)
		})
	}
}
