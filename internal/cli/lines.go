package cli

import "strings"

// prefixLines puts prefix before each of lines, one a line.
func prefixLines(prefix string, lines []string) string {
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(prefix + l)
	}
	return b.String()
}
