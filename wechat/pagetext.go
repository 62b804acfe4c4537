package wechat

import (
	"html"
	"strings"
)

// A gateway's error page (nginx's 502/503, a captive portal) is HTML: in a
// message it is its title, or its first line of text, never the markup with
// its CR LF shown escaped.
var (
	htmlStart  = lazyRegexp(`(?is)^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|title)\b`)
	htmlTitle  = lazyRegexp(`(?is)<title[^>]*>(.*?)</title>`)
	htmlHidden = lazyRegexp(`(?is)<(script|style|head)\b.*?</(script|style|head)\s*>|<!--.*?-->`)
	htmlTag    = lazyRegexp(`(?s)<[^>]*>`)
	blanks     = lazyRegexp(`\s+`)
)

// pageText reduces an HTML page to one line of text: its <title>, else its
// first non-empty line of text, entities decoded and white space collapsed.
// ok is false when s is not HTML, or holds no text.
func pageText(s string) (text string, ok bool) {
	if !htmlStart().MatchString(s) {
		return "", false
	}
	if m := htmlTitle().FindStringSubmatch(s); m != nil {
		if t := oneLine(htmlTag().ReplaceAllString(m[1], " ")); t != "" {
			return t, true
		}
	}
	body := htmlTag().ReplaceAllString(htmlHidden().ReplaceAllString(s, " "), "\n")
	for line := range strings.SplitSeq(body, "\n") {
		if t := oneLine(line); t != "" {
			return t, true
		}
	}
	return "", false
}

func oneLine(s string) string {
	return strings.TrimSpace(blanks().ReplaceAllString(html.UnescapeString(s), " "))
}
