package wechat

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"wxacode/codeimage"
)

// MaxBodyBytes bounds what the client reads from one answer. A 1280 px code is
// a few hundred KiB; anything near this size is not a code.
const MaxBodyBytes = 16 << 20

// readBody reads the whole body, at most limit bytes. A body shorter than
// Content-Length, or a connection that breaks mid-body, is ErrTruncated.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: connection closed after %d bytes", ErrTruncated, len(body))
		}
		return nil, err
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)
	}
	if resp.ContentLength >= 0 && int64(len(body)) < resp.ContentLength {
		return nil, fmt.Errorf("%w: got %d of %d bytes", ErrTruncated, len(body), resp.ContentLength)
	}
	return body, nil
}

// looksLikeJSON is the error-answer test: a JSON or text content type (WeChat
// has used application/json with either parameter spelling, text/plain, and
// text/html for an empty body), or a body whose first non-space byte is '{'.
func looksLikeJSON(contentType string, body []byte) bool {
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) > 0 && t[0] == '{' {
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.SplitN(contentType, ";", 2)[0]))
	}
	return mt == "application/json" || strings.HasSuffix(mt, "+json") || strings.HasPrefix(mt, "text/")
}

// Classify turns a complete HTTP 200 answer from a code endpoint into a Code or
// an error. It never trusts the Content-Type for success: the format comes
// from the magic bytes, the declared size must be one the endpoint returns
// (CodeLimits, checked on the header before any pixel is decoded) and the
// image must decode completely. NumUsed, Received and Elapsed are left for
// the caller (NumUsed is -1).
func Classify(endpoint, contentType string, body []byte) (*Code, error) {
	return classify(endpoint, contentType, body, CodeLimits(endpoint), nil)
}

// classify is Classify with the endpoint's size bounds and the call's
// redactor for the excerpts.
func classify(endpoint, contentType string, body []byte, lim codeimage.Limits, r *Redactor) (*Code, error) {
	if len(body) == 0 {
		return nil, &RequestError{Endpoint: endpoint, Status: http.StatusOK, Err: ErrEmptyBody,
			Detail: "Content-Type " + quoteCT(contentType)}
	}
	if _, isImage := SniffFormat(body); !isImage && looksLikeJSON(contentType, body) {
		apiErr, ok := ParseAPIError(body)
		if ok && apiErr != nil {
			apiErr.Endpoint = endpoint
			return nil, apiErr
		}
		what := "a body that is not an errcode answer"
		if ok {
			what = "errcode 0 without an image"
		}
		return nil, &RequestError{Endpoint: endpoint, Status: http.StatusOK, Err: ErrNotImage,
			Detail: fmt.Sprintf("%s; Content-Type %s; body %s", what, quoteCT(contentType), excerpt(body, r))}
	}
	format, ok := SniffFormat(body)
	if !ok {
		return nil, &RequestError{Endpoint: endpoint, Status: http.StatusOK, Err: ErrNotImage,
			Detail: fmt.Sprintf("Content-Type %s; body %s", quoteCT(contentType), excerpt(body, r))}
	}
	img, _, err := codeimage.Decode(body, lim)
	if errors.Is(err, codeimage.ErrSize) {
		return nil, &RequestError{Endpoint: endpoint, Status: http.StatusOK, Err: err}
	}
	if err != nil {
		return nil, &RequestError{Endpoint: endpoint, Status: http.StatusOK,
			Err: fmt.Errorf("%w: %s of %d bytes: %v", ErrBadImage, format, len(body), err)}
	}
	b := img.Bounds()
	return &Code{Bytes: body, Format: format, Width: b.Dx(), Height: b.Dy(), ContentType: contentType, NumUsed: -1, Image: img}, nil
}

// ErrImageSize marks an answer whose declared size no code endpoint returns
// (a decompression bomb, or a host that is not WeChat).
var ErrImageSize = codeimage.ErrSize

// CodeLimits is what endpoint (a code endpoint's path) can return: 280 to
// 1280 px wide (the width field's range; a smaller width gives 280 px),
// square for the round 小程序码, and up to a quarter taller for
// createwxaqrcode's square QR with its caption strip (860×980 seen). That
// bounds a decoded code to 1280×1600 px, 8 MiB of RGBA.
func CodeLimits(endpoint string) codeimage.Limits {
	name := endpoint[strings.LastIndexByte(endpoint, '/')+1:]
	if name == "" {
		name = "a code endpoint"
	}
	if endpoint == KindTrial.Path() {
		// get_qrcode takes no width and documents no size: bounds wide
		// enough for any QR WeChat draws, still far from a bomb.
		return codeimage.Limits{MinWidth: 100, MaxWidth: 2048, MinHeight: 100, MaxHeight: 2048 * 5 / 4,
			MaxPixels: 2048 * 2048 * 5 / 4, MaxTaller: 25,
			Says: "get_qrcode returns a QR of 100 to 2048 px wide, square (or a quarter taller for a caption)"}
	}
	return codeimage.Limits{MinWidth: MinWidth, MaxWidth: MaxWidth, MinHeight: MinWidth, MaxHeight: MaxWidth * 5 / 4,
		MaxPixels: MaxWidth * MaxWidth * 5 / 4, MaxTaller: 25,
		Says: fmt.Sprintf("%s returns %d to %d px wide, square (or a quarter taller for a QR with its caption)", name, MinWidth, MaxWidth)}
}

// parseNumUsed reads the Num-Used header; -1 when absent or not a number.
func parseNumUsed(h http.Header) int {
	v := strings.TrimSpace(h.Get("Num-Used"))
	if v == "" {
		return -1
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

func quoteCT(ct string) string {
	if ct == "" {
		return "(none)"
	}
	return strconv.Quote(ct)
}

// excerpt shows the start of an unexpected body for a message, printable:
// an HTML page as its title or first line of text (pageText), other text as
// quoted text, binary as hex. It redacts before it cuts: a cut
// secret no longer matches its whole value, and a redactor that only looked
// for whole values used to let 100 of a token's characters through.
func excerpt(b []byte, r *Redactor) string {
	const max = 120 // runes shown
	// Redacting only shrinks text, so a window well past max is enough.
	window := b
	if len(window) > 4<<10 {
		window = window[:4<<10]
	}
	text := window
	for i := 0; i < utf8.UTFMax && len(b) > len(window) && !utf8.Valid(text); i++ {
		text = text[:len(text)-1] // the window may have cut a character
	}
	if utf8.Valid(text) {
		clean := r.Redact(string(text))
		if page, ok := pageText(clean); ok {
			// Again: tags dropped and entities decoded can join a secret's pieces.
			page = r.Redact(page)
			if runes := []rune(page); len(runes) > max {
				page = string(runes[:max]) + "…"
			}
			return "HTML page " + strconv.Quote(page)
		}
		cut := clean
		if runes := []rune(clean); len(runes) > max {
			cut = string(runes[:max])
		}
		q := strconv.Quote(cut)
		if len(cut) < len(clean) || len(b) > len(text) {
			q += "…"
		}
		return q
	}
	head := window
	if len(head) > 16 {
		head = head[:16]
	}
	// Hex of 16 bytes can still hold part of a secret: redact the bytes as text too.
	if r.Redact(string(head)) != string(head) {
		return fmt.Sprintf("binary (%d bytes)", len(b))
	}
	return fmt.Sprintf("starting % x (%d bytes)", head, len(b))
}
