package scene

import (
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEncodeURIComponent(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"id=42", "id%3D42"},
		{"a b", "a%20b"}, // url.QueryEscape would write +
		{"~", "~"},       // unreserved in JS, escaped by url.QueryEscape
		{"'", "'"},
		{"!", "!"},
		{"(", "("},
		{")", ")"},
		{"*", "*"},
		{"-_.", "-_."},
		{"&", "%26"},
		{"=", "%3D"},
		{"%", "%25"},
		{"+", "%2B"},
		{"#$,/:;?@", "%23%24%2C%2F%3A%3B%3F%40"},
		{"\x00\x1f\x7f", "%00%1F%7F"},
		{"中", "%E4%B8%AD"},
		{"é", "%C3%A9"},
		{"😀", "%F0%9F%98%80"}, // astral: one code point, four bytes, not two surrogates
		{"\U0010FFFF", "%F4%8F%BF%BF"},
		{"\uFFFD", "%EF%BF%BD"}, // a real U+FFFD is fine
		{"a=1&b=2", "a%3D1%26b%3D2"},
	}
	for _, tt := range tests {
		got, err := EncodeURIComponent(tt.in)
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, "encode %q", tt.in)
		back, err := DecodeURIComponent(got)
		require.NoError(t, err)
		assert.Equal(t, tt.in, back)
	}
}

func TestEncodeInvalidUTF8(t *testing.T) {
	for _, in := range []string{"\xff", "a\xc3", "\xed\xa0\x80" /* an encoded lone surrogate */, "ok\x80"} {
		_, err := EncodeURIComponent(in)
		var ue *URIError
		require.True(t, errors.As(err, &ue), "%q", in)
		assert.Equal(t, URIErrorInvalidUTF8, ue.Kind)
	}
	assert.Equal(t, "a%EF%BF%BD%EF%BF%BDb", MustEncode("a\xff\xfeb"), "MustEncode replaces each bad byte, never panics")
	assert.Equal(t, "id%3D1", MustEncode("id=1"))
}

func TestDecodeURIComponent(t *testing.T) {
	tests := []struct {
		in, want string
		kind     string // "" = no error
		pos      int
	}{
		{"", "", "", 0},
		{"plain", "plain", "", 0},
		{"a+b", "a+b", "", 0}, // + stays +: not a space
		{"a%20b", "a b", "", 0},
		{"%3d%3D", "==", "", 0}, // hex case does not matter
		{"%26%3D%23%2F%3F", "&=#/?", "", 0},
		{"%25", "%", "", 0},
		{"%2525", "%25", "", 0}, // one layer only
		{"%E4%B8%AD", "中", "", 0},
		{"%F0%9F%98%80", "😀", "", 0},
		{"%F4%8F%BF%BF", "\U0010FFFF", "", 0},
		{"中%20", "中 ", "", 0}, // unescaped non-ASCII passes through
		{"%", "", URIErrorBadEscape, 0},
		{"%2", "", URIErrorBadEscape, 0},
		{"ab%ZZ", "", URIErrorBadEscape, 2},
		{"%G0", "", URIErrorBadEscape, 0},
		{"%u4E2D", "", URIErrorBadEscape, 0},
		{"%E4%B8", "", URIErrorTruncated, 0},
		{"x%E4%B8", "", URIErrorTruncated, 1},
		{"%E4%B", "", URIErrorBadEscape, 3},
		{"%E4xx%AD", "", URIErrorBadContinuation, 0},
		{"%E4%41%AD", "", URIErrorBadContinuation, 0},
		{"%80", "", URIErrorBadLead, 0},
		{"%BF", "", URIErrorBadLead, 0},
		{"%F8%80%80%80%80", "", URIErrorBadLead, 0},
		{"%FF", "", URIErrorBadLead, 0},
		{"%C0%80", "", URIErrorInvalidSequence, 0},       // overlong NUL
		{"%C1%BF", "", URIErrorInvalidSequence, 0},       // overlong
		{"%E0%80%80", "", URIErrorInvalidSequence, 0},    // overlong
		{"%ED%A0%80", "", URIErrorInvalidSequence, 0},    // U+D800, a surrogate
		{"%ED%BF%BF", "", URIErrorInvalidSequence, 0},    // U+DFFF
		{"%F4%90%80%80", "", URIErrorInvalidSequence, 0}, // U+110000
		{"%F5%80%80%80", "", URIErrorInvalidSequence, 0},
		{"%D6%D0", "", URIErrorBadContinuation, 0}, // 中 in GBK
	}
	for _, tt := range tests {
		got, err := DecodeURIComponent(tt.in)
		if tt.kind == "" {
			require.NoError(t, err, tt.in)
			assert.Equal(t, tt.want, got, "decode %q", tt.in)
			continue
		}
		var ue *URIError
		require.True(t, errors.As(err, &ue), "decode %q: want %s, got %v", tt.in, tt.kind, err)
		assert.Equal(t, tt.kind, ue.Kind, "decode %q", tt.in)
		assert.Equal(t, tt.pos, ue.Pos, "decode %q", tt.in)
		assert.Contains(t, ue.Error(), "URIError")
	}
}

func FuzzEncodeDecode(f *testing.F) {
	for _, s := range []string{"", "id=42&from=poster", "a b+c", "~'!()*", "中文", "😀x", "%25", "\x00", "\uFFFD"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		enc, err := EncodeURIComponent(s)
		if !utf8.ValidString(s) {
			if err == nil {
				t.Fatalf("invalid UTF-8 %q encoded without error", s)
			}
			return
		}
		if err != nil {
			t.Fatalf("encode %q: %v", s, err)
		}
		for i := 0; i < len(enc); i++ {
			if enc[i] >= utf8.RuneSelf {
				t.Fatalf("encode %q produced non-ASCII %q", s, enc)
			}
		}
		dec, err := DecodeURIComponent(enc)
		if err != nil || dec != s {
			t.Fatalf("round trip of %q: %q, %v", s, dec, err)
		}
	})
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{"%", "%E4%B8", "%ZZ", "%C0%80", "%ED%A0%80", "%F4%90%80%80", "a%20b", "%E4%B8%AD", "%%%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		dec, err := DecodeURIComponent(s)
		if err != nil {
			var ue *URIError
			if !errors.As(err, &ue) || ue.Pos < 0 || ue.Pos >= len(s) || s[ue.Pos] != '%' {
				t.Fatalf("decode %q: bad error %#v", s, err)
			}
			return
		}
		// What decodes re-encodes to something that decodes to the same text.
		if utf8.ValidString(dec) {
			enc, err := EncodeURIComponent(dec)
			if err != nil {
				t.Fatalf("re-encode %q: %v", dec, err)
			}
			again, err := DecodeURIComponent(enc)
			if err != nil || again != dec {
				t.Fatalf("decode(encode(%q)) = %q, %v", dec, again, err)
			}
		}
	})
}

func BenchmarkEncodeURIComponent(b *testing.B) {
	s := "productId=12345678901&channel=微信&from=poster😀"
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		_, _ = EncodeURIComponent(s)
	}
}

func BenchmarkDecodeURIComponent(b *testing.B) {
	s := MustEncode("productId=12345678901&channel=微信&from=poster😀")
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		_, _ = DecodeURIComponent(s)
	}
}
