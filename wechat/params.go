package wechat

import (
	"fmt"
	"strings"
)

// Kind names one of the three code endpoints.
type Kind string

// The three endpoints. Their names are the values of the --kind flag and of the
// batch "kind" column, so they are a public contract.
const (
	// KindUnlimited is getwxacodeunlimit: round code, unlimited count, scene + page.
	KindUnlimited Kind = "unlimited"
	// KindLimited is getwxacode: round code, path with query, shares the 100,000 lifetime pool.
	KindLimited Kind = "limited"
	// KindQRCode is createwxaqrcode: square QR, path + width only, shares the pool.
	KindQRCode Kind = "qrcode"
	// KindTrial is get_qrcode: the trial version's QR (体验版二维码), a GET
	// with an optional path; not one of Kinds (the designer's choices).
	KindTrial Kind = "trial"
)

// Kinds lists every kind in the order the UI offers them.
var Kinds = []Kind{KindUnlimited, KindLimited, KindQRCode}

// ParseKind accepts a kind name, case-insensitively.
func ParseKind(s string) (Kind, error) {
	switch k := Kind(strings.ToLower(strings.TrimSpace(s))); k {
	case KindUnlimited, KindLimited, KindQRCode, KindTrial:
		return k, nil
	case "":
		return KindUnlimited, nil
	}
	return "", fmt.Errorf("unknown kind %q: use unlimited (getwxacodeunlimit), limited (getwxacode), qrcode (createwxaqrcode) or trial (get_qrcode)", s)
}

// Path is the API path of the endpoint, relative to the base URL.
func (k Kind) Path() string {
	switch k {
	case KindLimited:
		return "/wxa/getwxacode"
	case KindQRCode:
		return "/cgi-bin/wxaapp/createwxaqrcode"
	case KindTrial:
		return "/wxa/get_qrcode"
	case KindLinkQR:
		return "" // made locally
	default:
		return "/wxa/getwxacodeunlimit"
	}
}

// Limited reports whether the endpoint draws from the 100,000 lifetime pool.
func (k Kind) Limited() bool { return k == KindLimited || k == KindQRCode }

// Params is every field a user can set, whatever the endpoint. The UI form, the
// command line and batch rows all fill one Params and call Request, so there is
// one place that maps fields to endpoints and one validator.
type Params struct {
	Kind       Kind
	Page       string  // unlimited only
	Scene      string  // unlimited only
	Path       string  // limited, qrcode and trial
	EnvVersion string  // unlimited and limited; "" means omit (WeChat's default, release)
	CheckPath  *bool   // unlimited only; nil means omit (WeChat's default, true)
	Width      int     // 0 means omit (WeChat's default, 430)
	AutoColor  bool    // unlimited and limited
	LineColor  *Color  // unlimited and limited; nil means omit (black)
	Hyaline    bool    // unlimited and limited
	URL        string  // linkqr only: the link the QR holds
	EC         ECLevel // linkqr only; 0 means M
}

// Request builds the typed request for p.Kind; fields that do not apply are dropped.
func (p Params) Request() Request {
	switch p.Kind {
	case KindLimited:
		return &LimitedRequest{Path: p.Path, Width: p.Width, AutoColor: p.AutoColor,
			LineColor: p.LineColor, IsHyaline: p.Hyaline, EnvVersion: p.EnvVersion}
	case KindQRCode:
		return &QRCodeRequest{Path: p.Path, Width: p.Width}
	case KindTrial:
		return &TrialRequest{Path: p.Path}
	case KindLinkQR:
		return &LinkQR{URL: p.URL, EC: p.EC, Width: p.Width, Line: p.LineColor}
	default:
		return &UnlimitedRequest{Scene: p.Scene, Page: p.Page, CheckPath: p.CheckPath,
			EnvVersion: p.EnvVersion, Width: p.Width, AutoColor: p.AutoColor,
			LineColor: p.LineColor, IsHyaline: p.Hyaline}
	}
}

// Validate checks p against every documented rule of its endpoint.
func (p Params) Validate() error { return p.Request().Validate() }

// ParamsOf is the inverse of Params.Request.
func ParamsOf(r Request) Params {
	switch r := r.(type) {
	case *UnlimitedRequest:
		return Params{Kind: KindUnlimited, Scene: r.Scene, Page: r.Page, CheckPath: r.CheckPath,
			EnvVersion: r.EnvVersion, Width: r.Width, AutoColor: r.AutoColor, LineColor: r.LineColor, Hyaline: r.IsHyaline}
	case *LimitedRequest:
		return Params{Kind: KindLimited, Path: r.Path, Width: r.Width, AutoColor: r.AutoColor,
			LineColor: r.LineColor, Hyaline: r.IsHyaline, EnvVersion: r.EnvVersion}
	case *QRCodeRequest:
		return Params{Kind: KindQRCode, Path: r.Path, Width: r.Width}
	case *TrialRequest:
		return Params{Kind: KindTrial, Path: r.Path}
	case *LinkQR:
		return Params{Kind: KindLinkQR, URL: r.URL, EC: r.EC, Width: r.Width, LineColor: r.Line}
	}
	return Params{}
}

// Bool returns a pointer to b, for the optional booleans that must be sent even when false.
func Bool(b bool) *bool { return &b }
