package wechat

import (
	"fmt"
	"math"
	"net/url"
	"strings"
	"unicode/utf8"
)

// A link QR (普通链接二维码) is a plain QR code of a URL the mini program has
// claimed with a prefix rule: WeChat makes nothing, the code is drawn locally,
// and any scan whose text matches a published rule opens the rule's page with
// options.q = encodeURIComponent(URL). These are its rules, checked before
// anything is drawn; package linkqr draws it.
// https://developers.weixin.qq.com/miniprogram/introduction/qrcode.html

// KindLinkQR names a link QR in a ValidationError. It is no endpoint (Path is
// empty) and not one of Kinds: ParseKind does not accept it.
const KindLinkQR Kind = "linkqr"

// ECLevel is a QR code's error-correction level.
type ECLevel byte

// The four levels: the share of the symbol that may be damaged and still read.
const (
	ECLow      ECLevel = 'L' // 7 %
	ECMedium   ECLevel = 'M' // 15 %
	ECQuartile ECLevel = 'Q' // 25 %
	ECHigh     ECLevel = 'H' // 30 %
)

// ECLevels lists the levels from the least to the most redundant.
var ECLevels = []ECLevel{ECLow, ECMedium, ECQuartile, ECHigh}

// String is the level's letter.
func (e ECLevel) String() string { return string(rune(e)) }

// ParseECLevel reads L, M, Q or H in any letter case.
func ParseECLevel(s string) (ECLevel, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "L":
		return ECLow, nil
	case "M", "":
		return ECMedium, nil
	case "Q":
		return ECQuartile, nil
	case "H":
		return ECHigh, nil
	}
	return 0, fmt.Errorf("error-correction level %q: use L (7%%), M (15%%), Q (25%%) or H (30%%)", s)
}

// LinkQRCapacity is the most bytes a QR code (version 40, byte mode) holds
// at level e: ISO/IEC 18004 table 7.
func LinkQRCapacity(e ECLevel) int {
	switch e {
	case ECLow:
		return 2953
	case ECQuartile:
		return 1663
	case ECHigh:
		return 1273
	default:
		return 2331
	}
}

// Link QR image bounds and defaults.
const (
	LinkQRDefaultWidth  = 430 // like a WeChat code
	LinkQRMinWidth      = 21  // a version 1 symbol at one pixel a module
	LinkQRMaxWidth      = 4096
	LinkQRDefaultMargin = 4 // the quiet zone the QR standard asks for, in modules
	LinkQRMaxMargin     = 64
	// LinkQRMinContrast is the WCAG contrast of line to background below
	// which a phone camera may not read the code.
	LinkQRMinContrast = 3.0
)

// LinkQR is a link QR to draw: exactly URL, at level EC, Width pixels square
// (0: LinkQRDefaultWidth), Margin modules of quiet zone (nil: 4), dark
// modules in Line (nil: black) on Background (nil: white).
type LinkQR struct {
	URL        string
	EC         ECLevel // 0: M
	Width      int
	Margin     *int
	Line       *Color
	Background *Color
}

// Kind implements Request: a link QR is drawn locally (package linkqr), so
// it is a Request only for the designer's form, names, hashes and sidecars;
// Client.Get refuses it (its Route has no path).
func (*LinkQR) Kind() Kind { return KindLinkQR }

// Route implements Request: none, nothing is sent.
func (*LinkQR) Route() Route { return Route{} }

// Body implements Request: no body is sent anywhere, so this is what was
// drawn, as JSON: {"url","ec"} and the width, margin and colours when set.
func (r *LinkQR) Body() ([]byte, error) {
	return marshalBody(struct {
		URL        string `json:"url"`
		EC         string `json:"ec"`
		Width      int    `json:"width,omitempty"`
		Margin     *int   `json:"margin,omitempty"`
		Line       *Color `json:"line_color,omitempty"`
		Background *Color `json:"background,omitempty"`
	}{r.URL, r.Level().String(), r.Width, r.Margin, r.Line, r.Background})
}

// Level is r.EC, M when unset.
func (r LinkQR) Level() ECLevel {
	if r.EC == 0 {
		return ECMedium
	}
	return r.EC
}

// Size is the image's width and height in pixels.
func (r LinkQR) Size() int {
	if r.Width == 0 {
		return LinkQRDefaultWidth
	}
	return r.Width
}

// QuietZone is the margin in modules.
func (r LinkQR) QuietZone() int {
	if r.Margin == nil {
		return LinkQRDefaultMargin
	}
	return *r.Margin
}

// Colors are the line and background colours with their defaults.
func (r LinkQR) Colors() (line, background Color) {
	line, background = Color{}, Color{R: 255, G: 255, B: 255}
	if r.Line != nil {
		line = *r.Line
	}
	if r.Background != nil {
		background = *r.Background
	}
	return line, background
}

// Validate returns a *ValidationError listing every problem, or nil.
func (r LinkQR) Validate() error {
	ps := problems(LinkURLProblems(r.URL, r.Level()))
	if w := r.Width; w != 0 && (w < LinkQRMinWidth || w > LinkQRMaxWidth) {
		ps.add(Problem{Field: "width", Message: fmt.Sprintf("%d is outside %d–%d", w, LinkQRMinWidth, LinkQRMaxWidth),
			Fix: fmt.Sprintf("use a width from %d to %d pixels (default %d)", LinkQRMinWidth, LinkQRMaxWidth, LinkQRDefaultWidth)})
	}
	if m := r.QuietZone(); m < 0 || m > LinkQRMaxMargin {
		ps.add(Problem{Field: "margin", Message: fmt.Sprintf("%d is outside 0–%d modules", m, LinkQRMaxMargin),
			Fix: fmt.Sprintf("use %d, the quiet zone the QR standard asks for", LinkQRDefaultMargin)})
	}
	checkColor(&ps, r.Line)
	if r.Background != nil {
		before := len(ps)
		checkColor(&ps, r.Background)
		for i := before; i < len(ps); i++ {
			ps[i].Field = "background"
		}
	}
	line, bg := r.Colors()
	if len(ps) == 0 || !hasField(ps, "line_color", "background") {
		switch ratio := ContrastRatio(line, bg); {
		case Luminance(line) > Luminance(bg):
			ps.add(Problem{Field: "line_color", Message: fmt.Sprintf("%s is lighter than the background %s: an inverted QR code, which many scanners do not read", line.Hex(), bg.Hex()),
				Fix: "use a dark line on a light background"})
		case ratio < LinkQRMinContrast:
			ps.add(Problem{Field: "line_color", Message: fmt.Sprintf("%s on %s has a contrast of %.1f:1, below %.0f:1: cameras may not read it", line.Hex(), bg.Hex(), ratio, LinkQRMinContrast),
				Fix: "darken the line or lighten the background"})
		}
	}
	return ps.err(KindLinkQR)
}

func hasField(ps problems, fields ...string) bool {
	for _, p := range ps {
		for _, f := range fields {
			if p.Field == f {
				return true
			}
		}
	}
	return false
}

// LinkURLProblems checks a link QR's URL: an absolute http or https URL with
// a host, printable ASCII only (a QR reader hands the bytes to WeChat, and
// rules are matched on the text: anything else must be percent-encoded), and
// no longer than a QR code holds at level ec.
func LinkURLProblems(raw string, ec ECLevel) []Problem {
	var ps problems
	if raw == "" {
		ps.add(Problem{Field: "url", Message: "is empty", Fix: "give the whole link, for example https://example.com/shop?id=42"})
		return ps
	}
	pos := 0
	bad := false
	for i, r := range raw {
		pos++
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(raw[i:], "\uFFFD"):
			ps.add(Problem{Field: "url", Pos: pos, Message: "is not valid UTF-8", Fix: "remove the broken byte"})
			bad = true
		case r >= utf8.RuneSelf:
			ps.add(Problem{Field: "url", Pos: pos, Message: describeRune(r) + " is not ASCII",
				Fix: "percent-encode it (UTF-8 bytes as %XX): " + PercentEncodeNonASCII(raw)})
			bad = true
		case r <= ' ' || r == 0x7f:
			ps.add(Problem{Field: "url", Pos: pos, Message: describeRune(r) + " is not allowed in a URL",
				Fix: "percent-encode it (a space is %20): " + PercentEncodeNonASCII(raw)})
			bad = true
		case r == '%' && !(i+2 < len(raw) && isHex(raw[i+1]) && isHex(raw[i+2])):
			ps.add(Problem{Field: "url", Pos: pos, Message: "% does not start an escape of two hex digits",
				Fix: "write a literal % as %25: decodeURIComponent throws a URIError on it in the page"})
			bad = true
		}
	}
	if n, max := len(raw), LinkQRCapacity(ec); n > max {
		fix := "shorten it"
		for i := len(ECLevels) - 1; i >= 0; i-- { // the most redundant level that fits
			if lower := ECLevels[i]; LinkQRCapacity(lower) >= n {
				fix = fmt.Sprintf("use --ec %s (holds %d bytes) or shorten it", lower, LinkQRCapacity(lower))
				break
			}
		}
		ps.add(Problem{Field: "url", Message: fmt.Sprintf("is %d bytes, more than the %d a QR code holds at level %s", n, max, ec), Fix: fix})
	}
	if bad {
		return ps
	}
	u, err := url.Parse(raw)
	if err != nil {
		msg, fix := err.Error(), "write it as https://host/path?query"
		if ue, ok := err.(*url.Error); ok {
			msg = ue.Err.Error()
		}
		if strings.Contains(msg, "escape") {
			fix = "a % starts an escape of two hex digits (write a literal % as %25): decodeURIComponent throws a URIError on it in the page"
		}
		ps.add(Problem{Field: "url", Message: "does not parse: " + msg, Fix: fix})
		return ps
	}
	scheme := raw[:len(u.Scheme)] // url.Parse lower-cases it; rules are matched on the text
	switch {
	case u.Scheme == "":
		ps.add(Problem{Field: "url", Pos: 1, Message: "has no scheme", Fix: "start it with https:// (or http://)"})
	case scheme != "http" && scheme != "https":
		if s := u.Scheme; s == "http" || s == "https" {
			ps.add(Problem{Field: "url", Pos: 1, Message: fmt.Sprintf("scheme %q is not in lower case: rules are matched on the text", scheme),
				Fix: "write " + s + "://"})
		} else {
			ps.add(Problem{Field: "url", Pos: 1, Message: fmt.Sprintf("scheme %q: link rules take http and https only", u.Scheme),
				Fix: "use an https:// link on a domain the mini program has claimed"})
		}
	case u.Opaque != "" || u.Host == "":
		ps.add(Problem{Field: "url", Message: "has no host", Fix: "write it as " + u.Scheme + "://host/path"})
	case u.User != nil:
		ps.add(Problem{Field: "url", Message: "holds a user name or password (user@host)", Fix: "remove it: the code is readable by anyone"})
	}
	return ps
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// PercentEncodeNonASCII is s with every byte outside printable ASCII (spaces,
// controls, non-ASCII UTF-8) written as %XX, the rest left as it is.
func PercentEncodeNonASCII(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c > ' ' && c < 0x7f {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// Luminance is the WCAG relative luminance of c, 0 (black) to 1 (white).
func Luminance(c Color) float64 {
	lin := func(v int) float64 {
		s := float64(min(max(v, 0), 255)) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}

// ContrastRatio is the WCAG contrast of a and b: 1 (none) to 21 (black on white).
func ContrastRatio(a, b Color) float64 {
	la, lb := Luminance(a), Luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}
