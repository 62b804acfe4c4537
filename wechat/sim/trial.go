package sim

import (
	"net/http"
	"strings"
	"unicode/utf8"
)

// pathTrial is get_qrcode, the trial version's QR code (体验版二维码).
const pathTrial = "/wxa/get_qrcode"

// TrialURL is what scanning a simulated trial QR yields: the path as the
// server read it from the query string (decoded once), the home page when
// there is none.
func TrialURL(home, path string) string {
	if path == "" {
		path = home
	}
	return "https://" + LaunchHost + "/trial/" + path
}

// trial serves get_qrcode: GET only, the token, then path from the query
// string, URL-decoded once as the server's query parser does (a path sent
// unencoded loses everything after its first &). Success is a square QR,
// image/jpeg, with the documented Content-disposition (no semicolon).
func (s *Server) trial(x *exchange) {
	if x.r.Method != http.MethodGet {
		x.fail(43001, "require GET method")
		return
	}
	if !s.checkToken(x) {
		return
	}
	if x.plan.errcode != 0 {
		x.fail(x.plan.errcode, x.plan.errmsg)
		return
	}
	path := x.r.URL.Query().Get("path")
	if !utf8.ValidString(path) || strings.ContainsFunc(path, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		x.fail(40097, "invalid args")
		return
	}
	content := TrialURL(s.home, strings.TrimPrefix(path, "/"))
	img, warn, err := s.draw(codeSpec{content: content, width: 430, square: true})
	if err != nil {
		x.fail(-1, "system error")
		return
	}
	h := warnHeader(warn)
	// WeChat's header, as documented: attachment filename="QRCode.jpg".
	h.Set("Content-Disposition", `attachment filename="QRCode.jpg"`)
	x.image(img, "QRCode.jpg", content, h)
}
