package wechat

import "fmt"

// MaxTokenBytes is the longest access token accepted: WeChat says to reserve
// 512 characters for one.
const MaxTokenBytes = 512

// validateToken checks a token from any source (fixed, command, HTTP answer,
// cache) before it is used: printable ASCII without whitespace or control
// characters, at most MaxTokenBytes. A 10 MB "token" went into a URL (HTTP
// 414); a newline in one would split a header or a log line. The error names
// the source, never the value.
func validateToken(source, value string) error {
	what := ""
	switch {
	case value == "":
		what = "is empty"
	case len(value) > MaxTokenBytes:
		what = fmt.Sprintf("is %d bytes long (at most %d)", len(value), MaxTokenBytes)
	default:
		for i := 0; i < len(value); i++ {
			c := value[i]
			switch {
			case c == ' ' || c == '\t' || c == '\n' || c == '\r':
				what = fmt.Sprintf("holds whitespace (byte %d is %q)", i+1, c)
			case c < 0x20 || c == 0x7f:
				what = fmt.Sprintf("holds a control character (byte %d is 0x%02x)", i+1, c)
			case c > 0x7e:
				what = fmt.Sprintf("holds a byte outside printable ASCII (byte %d is 0x%02x)", i+1, c)
			}
			if what != "" {
				break
			}
		}
	}
	if what == "" {
		return nil
	}
	return fmt.Errorf("the access token from %s %s: a token is printable ASCII without spaces, at most %d bytes; check what the source gives", source, what, MaxTokenBytes)
}
