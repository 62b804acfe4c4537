package wechat

import (
	"regexp"
	"sync"
)

// lazyRegexp compiles expr on its first use. Compiled when the package is
// loaded, the client's patterns cost every wxacode process, a preview that
// never calls WeChat too, their compiling and its page faults at start.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
