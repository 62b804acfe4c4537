package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
	"wxacode/ui"
	"wxacode/wechat"
)

// Bad designer flags stop before any terminal work, with exit 2 and a reason.
func TestTUIFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--graphics", "hologram"}, "unknown graphics mode"},
		{[]string{"--kind", "round"}, "--kind"},
		{[]string{"--line-color", "#12"}, "--line-color"},
		{[]string{"--flatten", "pink-ish"}, "--flatten"},
		{[]string{"extra"}, `unknown command "extra"`},
		{[]string{"--url", "ftp://example.com/a"}, `wxacode: --url (character 1): scheme "ftp"`},
		{[]string{"--url", "https://example.com/a b"}, "wxacode: --url (character 22): a space is not allowed in a URL"},
		{[]string{"--url", ""}, "wxacode: --url"},
		{[]string{"--url", "https://example.com/?" + strings.Repeat("a", 1300), "--ec", "H"}, "at level H"},
		{[]string{"--url", "https://example.com/", "--ec", "Z"}, `wxacode: --ec: error-correction level "Z"`},
		{[]string{"--url", "https://example.com/", "--width", "5000"}, "wxacode: --width: 5000 is outside 21–4096"},
		{[]string{"--url", "https://example.com/", "--line-color", "#eeeeee"}, "wxacode: --line-color: #eeeeee on #ffffff"},
		{[]string{"--url", "https://example.com/", "--kind", "limited"}, "--url starts on a link QR and --kind on another endpoint: give one of them"},
		{[]string{"--ec", "H"}, "--ec is a link QR's level: give --url URL too"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Setenv("XDG_CONFIG_HOME", t.TempDir())
			t.Setenv("WXACODE_CONFIG", "")
			var out, errb bytes.Buffer
			code := runOn(t.Context(), tc.args, &out, &errb)
			assert.Equal(t, exitUsage, code)
			assert.Contains(t, errb.String(), tc.want)
		})
	}
}

// --url and --ec start the designer on the link QR kind with that link and
// level; the other request flags only fill the form, as they do for any kind.
func TestDesignerStartsOnLinkQR(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		width int
		ec    wechat.ECLevel
	}{
		{[]string{"--url", "https://example.com/shop?id=42&from=qr", "--ec", "h"}, 0, wechat.ECHigh},
		{[]string{"--url", "https://example.com/shop?id=42&from=qr", "--width", "100", "--scene", "id=1"}, 100, wechat.ECMedium},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			testenv.Isolate(t)
			var got *ui.Deps
			var out, errb bytes.Buffer
			code := runOn(t.Context(), append([]string{"--sim"}, tc.args...), &out, &errb, func(f *Factory) {
				f.designer = func(_ context.Context, d ui.Deps) error { got = &d; return nil }
			})
			require.Equal(t, 0, code, errb.String())
			require.NotNil(t, got)
			assert.Equal(t, wechat.KindLinkQR, got.Initial.Kind)
			assert.Equal(t, "https://example.com/shop?id=42&from=qr", got.Initial.URL)
			assert.Equal(t, tc.ec, got.Initial.EC)
			assert.Equal(t, tc.width, got.Initial.Width)
		})
	}
}
