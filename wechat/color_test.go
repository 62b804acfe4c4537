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
