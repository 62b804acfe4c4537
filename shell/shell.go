// Package shell quotes words for a POSIX shell, so that a command wxacode
// prints (a diagnosis's fix, a curl line) can be pasted as it is.
package shell

import "strings"

// safe are the bytes a word may hold and still need no quotes. '#' and '~'
// are left out: at the start of a word they begin a comment or a home path.
const safe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,@%+"

// Quote returns s as one shell word: as it is when every byte is safe,
// otherwise in single quotes, a quote inside closed, escaped and reopened:
//
//	it's  →  'it'\''s'
func Quote(s string) string {
	if s != "" && strings.Trim(s, safe) == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Join quotes each of args with Quote and joins them with spaces.
func Join(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = Quote(a)
	}
	return strings.Join(out, " ")
}
