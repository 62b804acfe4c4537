package wechat

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image/color"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"wxacode/codeimage"
)

// Request is one of the typed code requests.
type Request interface {
	// Kind says which endpoint the request is for.
	Kind() Kind
	// Validate returns a *ValidationError listing every problem, or nil.
	Validate() error
	// Body is the JSON body exactly as it is sent: no HTML escaping, optional
	// fields omitted when unset.
	Body() ([]byte, error)
	// Route is how the request travels, so the pipeline needs no case for
	// any kind of request.
	Route() Route
}

// Route is how a call reaches WeChat: its method, API path and query. A POST
// sends the body as JSON; a GET sends none. Every call carries its
// access_token first, then Query.
type Route struct {
	Method string // http.MethodPost or http.MethodGet; "" for a request never sent (a link QR)
	Path   string // relative to the base URL; "" for a request never sent
	Query  string // encoded, after access_token=…&; "" for none
	// Idempotent calls are tried again after a transient failure (-1, 5xx,
	// a timeout): a repeat does no more than the first would have.
	Idempotent bool
	// Paced calls wait for the client-side limiter (WithRateLimit), which
	// models getwxacodeunlimit's 5000 a minute and no other endpoint's quota.
	Paced bool
}

// codeRoute is a POST to a code endpoint; repeating one spends nothing
// more (the pool counts distinct parameters).
func codeRoute(k Kind) Route {
	return Route{Method: http.MethodPost, Path: k.Path(), Idempotent: true}
}

// Color is a line colour. WeChat documents the components as decimal strings
// and accepts numbers too; we send strings, as the documentation's example does.
type Color struct {
	R, G, B int
}

// MarshalJSON writes {"r":"0","g":"0","b":"0"}.
func (c Color) MarshalJSON() ([]byte, error) {
	return fmt.Appendf(nil, `{"r":"%d","g":"%d","b":"%d"}`, c.R, c.G, c.B), nil
}

// UnmarshalJSON accepts components as numbers or decimal strings.
func (c *Color) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	for key, dst := range map[string]*int{"r": &c.R, "g": &c.G, "b": &c.B} {
		v, ok := raw[key]
		if !ok {
			*dst = 0
			continue
		}
		s := strings.Trim(string(v), `"`)
		n, err := strconv.Atoi(s)
		if err != nil {
			return fmt.Errorf("line_color.%s: %q is not a whole number", key, s)
		}
		*dst = n
	}
	return nil
}

// Hex renders the colour as #rrggbb (codeimage.Hex), or as r,g,b when a
// component is outside 0–255: no #rrggbb says that, and ParseColor refuses
// the r,g,b form with the reason instead of reading another colour.
func (c Color) Hex() string {
	if !c.inRange() {
		return fmt.Sprintf("%d,%d,%d", c.R, c.G, c.B)
	}
	return codeimage.Hex(color.RGBA{uint8(c.R), uint8(c.G), uint8(c.B), 255})
}

func (c Color) inRange() bool {
	return min(c.R, c.G, c.B) >= 0 && max(c.R, c.G, c.B) <= 255
}

// ParseColor reads #rrggbb, rrggbb, #rgb or "r,g,b"; the hexadecimal forms
// through codeimage.ParseHexShort, the one reader of them.
func ParseColor(s string) (Color, error) {
	s = strings.TrimSpace(s)
	if parts := strings.Split(s, ","); len(parts) == 3 {
		var c Color
		dst := [3]*int{&c.R, &c.G, &c.B}
		for i, p := range parts {
			n, err := strconv.Atoi(strings.TrimSpace(p))
			if err != nil || n < 0 || n > 255 {
				return Color{}, fmt.Errorf("line colour %q: each of r,g,b must be a whole number from 0 to 255", s)
			}
			*dst[i] = n
		}
		return c, nil
	}
	rgba, err := codeimage.ParseHexShort(s)
	var he *codeimage.HexError
	switch {
	case err == nil:
		return Color{R: int(rgba.R), G: int(rgba.G), B: int(rgba.B)}, nil
	case errors.As(err, &he) && he.NotHex:
		return Color{}, fmt.Errorf("line colour %q: %v; write it as #rrggbb (for example #ff0000) or r,g,b", s, he)
	}
	return Color{}, fmt.Errorf("line colour %q: write it as #rrggbb (for example #1aad19) or r,g,b", s)
}

// UnlimitedRequest is the body of getwxacodeunlimit.
// https://developers.weixin.qq.com/miniprogram/dev/server/API/qrcode-link/qr-code/api_getunlimitedqrcode.html
type UnlimitedRequest struct {
	// Scene: 1–32 characters from [0-9A-Za-z!#$&'()*+,/:;=?@-._~]; arrives URL-encoded as query.scene.
	Scene string `json:"scene"`
	// Page: a page of the released version, no leading '/', no query; empty opens the home page.
	Page string `json:"page,omitempty"`
	// CheckPath: nil leaves WeChat's default (true); a pointer so that false is really sent.
	CheckPath *bool `json:"check_path,omitempty"`
	// EnvVersion: release, trial or develop; empty is omitted, since "" gives 40097.
	EnvVersion string `json:"env_version,omitempty"`
	// Width in pixels, 280–1280; 0 is omitted (430).
	Width     int    `json:"width,omitempty"`
	AutoColor bool   `json:"auto_color,omitempty"`
	LineColor *Color `json:"line_color,omitempty"`
	IsHyaline bool   `json:"is_hyaline,omitempty"`
}

// LimitedRequest is the body of getwxacode.
// https://developers.weixin.qq.com/miniprogram/dev/server/API/qrcode-link/qr-code/api_getqrcode.html
type LimitedRequest struct {
	// Path: page with optional query, 1–1024 bytes; mini games may send only "?query".
	Path       string `json:"path"`
	Width      int    `json:"width,omitempty"`
	AutoColor  bool   `json:"auto_color,omitempty"`
	LineColor  *Color `json:"line_color,omitempty"`
	IsHyaline  bool   `json:"is_hyaline,omitempty"`
	EnvVersion string `json:"env_version,omitempty"`
}

// QRCodeRequest is the body of createwxaqrcode.
// https://developers.weixin.qq.com/miniprogram/dev/server/API/qrcode-link/qr-code/api_createqrcode.html
type QRCodeRequest struct {
	// Path: page with optional query, 1–128 bytes.
	Path  string `json:"path"`
	Width int    `json:"width,omitempty"`
}

// TrialRequest is get_qrcode, the trial version's QR code (体验版二维码): a
// GET whose only parameter, path, goes in the query string, URL-encoded once
// ("page/index?action=1" is sent as page%2Findex%3Faction%3D1). The app's own
// token or a platform's authorizer token (permission sets 18, 86).
// https://developers.weixin.qq.com/doc/oplatform/openApi/OpenApiDoc/miniprogram-management/code-management/getTrialQRCode.html
type TrialRequest struct {
	// Path: the page to open, with an optional query; empty opens the home page.
	Path string `json:"path,omitempty"`
}

// Kind implements Request.
func (*TrialRequest) Kind() Kind { return KindTrial }

// Body implements Request: get_qrcode sends no body, so this is what is
// sent, as JSON, for logs, names and hashes; Query is the real request.
func (r *TrialRequest) Body() ([]byte, error) { return marshalBody(r) }

// Route implements Request: a GET, path in the query string, no body.
func (r *TrialRequest) Route() Route {
	return Route{Method: http.MethodGet, Path: KindTrial.Path(), Query: r.Query(), Idempotent: true}
}

// Query is the query string after access_token: "path=" and the path
// URL-encoded once (a space as %20), or "" without a path.
func (r *TrialRequest) Query() string {
	if r.Path == "" {
		return ""
	}
	return "path=" + strings.ReplaceAll(url.QueryEscape(r.Path), "+", "%20")
}

// Kind implements Request.
func (*UnlimitedRequest) Kind() Kind { return KindUnlimited }

// Kind implements Request.
func (*LimitedRequest) Kind() Kind { return KindLimited }

// Kind implements Request.
func (*QRCodeRequest) Kind() Kind { return KindQRCode }

// Route implements Request: the one code endpoint the limiter paces.
func (*UnlimitedRequest) Route() Route {
	rt := codeRoute(KindUnlimited)
	rt.Paced = true
	return rt
}

// Route implements Request.
func (*LimitedRequest) Route() Route { return codeRoute(KindLimited) }

// Route implements Request.
func (*QRCodeRequest) Route() Route { return codeRoute(KindQRCode) }

// Body implements Request.
func (r *UnlimitedRequest) Body() ([]byte, error) { return marshalBody(r) }

// Body implements Request.
func (r *LimitedRequest) Body() ([]byte, error) { return marshalBody(r) }

// Body implements Request.
func (r *QRCodeRequest) Body() ([]byte, error) { return marshalBody(r) }

// marshalBody encodes without HTML escaping: WeChat takes "\u0026" literally,
// so Go's default escaping of & < > turns a valid scene into 40129.
func marshalBody(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}
