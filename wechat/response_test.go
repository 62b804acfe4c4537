package wechat

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testimage"
)

func TestClassify(t *testing.T) {
	jpg := testimage.JPEG(testimage.Checker(430, 430))
	pngb := testimage.PNG(testimage.Checker(280, 280))
	cases := []struct {
		name, ct string
		body     []byte
		format   Format
		code     int   // errcode expected
		is       error // sentinel expected
	}{
		{"jpeg", "image/jpeg", jpg, FormatJPEG, 0, nil},
		{"png labelled jpeg", "image/jpeg", pngb, FormatPNG, 0, nil},
		{"jpeg without type", "", jpg, FormatJPEG, 0, nil},
		{"jpeg labelled json", "application/json", jpg, FormatJPEG, 0, nil},
		{"errcode json", "application/json; encoding=utf-8", []byte(`{"errcode":40129,"errmsg":"invalid scene rid: 663b1af7-1-2"}`), "", 40129, nil},
		{"errcode charset", "application/json; charset=UTF-8", []byte(`{"errcode":41030,"errmsg":"invalid page"}`), "", 41030, nil},
		{"errcode text/plain", "text/plain", []byte(`{"errcode":-1,"errmsg":"system error"}`), "", -1, nil},
		{"errcode as image", "image/jpeg", []byte("\n {\"errcode\":45029,\"errmsg\":\"qrcode count out of limit\"}"), "", 45029, nil},
		{"errcode string number", "application/json", []byte(`{"errcode":"40001","errmsg":"x"}`), "", 40001, nil},
		{"empty", "text/html", nil, "", 0, ErrEmptyBody},
		{"empty json", "application/json", []byte{}, "", 0, ErrEmptyBody},
		{"whitespace json type", "application/json", []byte("  "), "", 0, ErrNotImage},
		{"html", "text/html", []byte("<html></html>"), "", 0, ErrNotImage},
		{"bad media type", "text/plain;;;=", []byte("oops"), "", 0, ErrNotImage},
		{"binary", "application/octet-stream", []byte{0, 1, 2, 3}, "", 0, ErrNotImage},
		{"jpeg cut", "image/jpeg", jpg[:len(jpg)/2], "", 0, ErrBadImage},
		{"png cut", "image/jpeg", pngb[:len(pngb)-10], "", 0, ErrBadImage},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, err := Classify("/wxa/getwxacode", tc.ct, tc.body)
			switch {
			case tc.format != "":
				require.NoError(t, err)
				assert.Equal(t, tc.format, code.Format)
				assert.Equal(t, tc.ct, code.ContentType)
				assert.Equal(t, -1, code.NumUsed)
				assert.Positive(t, code.Width)
			case tc.code != 0:
				var ae *APIError
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, tc.code, ae.Code)
				assert.Equal(t, "/wxa/getwxacode", ae.Endpoint)
				assert.Nil(t, code)
			default:
				require.ErrorIs(t, err, tc.is)
				assert.Nil(t, code)
			}
		})
	}
}

func TestParseNumUsed(t *testing.T) {
	h := map[string][]string{}
	assert.Equal(t, -1, parseNumUsed(h))
	for v, want := range map[string]int{"12": 12, " 7 ": 7, "x": -1, "-3": -1, "0": 0} {
		assert.Equal(t, want, parseNumUsed(map[string][]string{"Num-Used": {v}}), v)
	}
}

func TestExcerpt(t *testing.T) {
	assert.Equal(t, `"{\"access_token\":\"REDACTED\"}"`, excerpt([]byte(`{"access_token":"abc"}`), nil))
	assert.Contains(t, excerpt(bytes.Repeat([]byte("a"), 300), nil), "…")
	assert.Contains(t, excerpt([]byte{0xff, 0xfe, 0, 1}, nil), "ff fe 00 01")
}

// FuzzClassify checks the response classifier never panics and never returns
// a Code for bytes that are not a whole JPEG or PNG.
func FuzzClassify(f *testing.F) {
	f.Add("image/jpeg", testimage.JPEG(testimage.Checker(8, 8)))
	f.Add("image/jpeg", testimage.PNG(testimage.Checker(8, 8)))
	f.Add("application/json; encoding=utf-8", []byte(`{"errcode":40001,"errmsg":"invalid credential rid: 663b1af7-1f2e3d4c-5b6a7988"}`))
	f.Add("application/json; charset=UTF-8", []byte(`{"errcode":0}`))
	f.Add("text/plain", []byte(`{"errcode":40159,"errmsg":"x hint: [abc]"}`))
	f.Add("text/html; charset=gbk", []byte{})
	f.Add("", []byte("\xff\xd8\xff"))
	f.Add("", []byte("\x89PNG\r\n\x1a\n"))
	f.Add("image/jpeg", []byte(" {"))
	f.Fuzz(func(t *testing.T, ct string, body []byte) {
		code, err := Classify("/wxa/getwxacodeunlimit", ct, body)
		if (code == nil) == (err == nil) {
			t.Fatalf("want exactly one of code and error, got %v, %v", code, err)
		}
		if err != nil {
			var ae *APIError
			var re *RequestError
			if !errors.As(err, &ae) && !errors.As(err, &re) {
				t.Fatalf("unexpected error type %T: %v", err, err)
			}
			if ae != nil && ae.Code == 0 {
				t.Fatal("errcode 0 is not an error")
			}
			if len(body) == 0 && !errors.Is(err, ErrEmptyBody) {
				t.Fatalf("empty body gave %v", err)
			}
			return
		}
		f, ok := SniffFormat(body)
		if !ok || f != code.Format || !bytes.Equal(code.Bytes, body) || code.Width <= 0 || code.Height <= 0 {
			t.Fatalf("bad code %+v for body % x", code, body[:min(16, len(body))])
		}
	})
}
