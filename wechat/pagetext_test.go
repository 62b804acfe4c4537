package wechat

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPageText(t *testing.T) {
	nginx503 := "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n" +
		"<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n"
	for _, tc := range []struct {
		name, in, want string
		ok             bool
	}{
		{"nginx 503: the title", nginx503, "503 Service Temporarily Unavailable", true},
		{"doctype, entities, spaces", "<!DOCTYPE html>\n<html><head><TITLE>\n  Bad &amp; Gateway\r\n</TITLE></head></html>", "Bad & Gateway", true},
		{"no title: first text line", "<html><body>\r\n\r\n<h1>502 Bad Gateway</h1><p>nginx</p></body></html>", "502 Bad Gateway", true},
		{"empty title, script skipped", "<html><head><title> </title><script>var x=1</script></head><body><p>系统繁忙</p></body></html>", "系统繁忙", true},
		{"a comment first", "<!-- gw -->\n<html><body>down</body></html>", "down", true},
		{"no text at all", "<html><body></body></html>", "", false},
		{"not HTML", "503 Service Unavailable\r\n", "", false},
		{"JSON", `{"errcode":-1}`, "", false},
		{"a < in text", "a <b> c", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := pageText(tc.in)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.want, got)
		})
	}
}

// A gateway page in an error is its title, once, with no escaped CR LF; a
// secret in it is still removed, also when the page splits it with tags or
// entities.
func TestExcerptOfAPage(t *testing.T) {
	page := []byte("<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n")
	got := excerpt(page, nil)
	assert.Equal(t, `HTML page "503 Service Temporarily Unavailable"`, got)
	assert.NotContains(t, got, `\r\n`)

	r := NewRedactor(redactToken)
	for _, body := range []string{
		"<html><title>token " + redactToken + "</title></html>",
		"<html><title>token " + redactToken[:6] + "<b></b>" + redactToken[6:] + "</title></html>",
		"<html><title>token &#" + "x" + "41;" + redactToken + "</title></html>",
	} {
		out := excerpt([]byte(body), r)
		assert.Contains(t, out, "HTML page")
		assertNoRun(t, out, redactToken)
	}
}
