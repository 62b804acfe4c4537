package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"wxacode/troubleshoot"
)

// cmdHint is `wxacode hint CODE`: the troubleshooting text for an errcode.
func cmdHint(_ context.Context, args []string, io stdio) int {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprintln(io.out, "Usage: wxacode hint CODE   (an errcode, e.g. wxacode hint 41030)")
		fmt.Fprintln(io.out, "Known codes:", knownCodes())
		return exitOK
	}
	if len(args) != 1 {
		fmt.Fprintf(io.err, "wxacode hint: give one errcode, e.g. wxacode hint 41030\nknown codes: %s\n", knownCodes())
		return exitUsage
	}
	code, err := strconv.Atoi(strings.TrimSpace(args[0]))
	if err != nil {
		fmt.Fprintf(io.err, "wxacode hint: %q is not an errcode; give the number WeChat sent, e.g. wxacode hint 41030\nknown codes: %s\n", args[0], knownCodes())
		return exitUsage
	}
	h, ok := troubleshoot.HintFor(code)
	if !ok {
		fmt.Fprintf(io.err, "wxacode hint: no hint for errcode %d\nknown codes: %s\n", code, knownCodes())
		return exitUsage
	}
	fmt.Fprint(io.out, h.String())
	return exitOK
}

// knownCodes lists every errcode with a hint.
func knownCodes() string {
	hs := troubleshoot.Hints()
	codes := make([]string, len(hs))
	for i, h := range hs {
		codes[i] = strconv.Itoa(h.Code)
	}
	return strings.Join(codes, ", ")
}
