package cli

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// normalizeArgs rewrites -name and -name=value to --name… when name is a long
// flag of the command args run (or help, version, secret), and --o to -o, so
// scripts written when wxacode used Go's flag package, which took -kind as
// well as --kind, keep working. Single letters (-o, -h) stay short flags; the
// values of flags that take one, and everything after --, are left as they are.
func normalizeArgs(root *cobra.Command, args []string) []string {
	out := make([]string, 0, len(args))
	cmd := root
	i := 0
	for ; i < len(args); i++ { // the verb, and a scene subcommand
		sub := subcommand(cmd, args[i])
		if sub == nil {
			break
		}
		cmd = sub
		out = append(out, args[i])
	}
	fs := cmd.Flags()
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(out, args[i:]...)
		}
		if name, ok := oneDashLong(a); ok && (fs.Lookup(name) != nil || name == "help" || name == "secret" || cmd == root && name == "version") {
			a = "-" + a
		} else if len(a) >= 3 && a[:2] == "--" && (len(a) == 3 || a[3] == '=') && fs.ShorthandLookup(a[2:3]) != nil {
			a = a[1:] // Go's flag package took --o FILE for -o FILE too
		}
		out = append(out, a)
		if f := valueFlag(fs, a); f != nil && i+1 < len(args) {
			i++
			out = append(out, args[i])
		}
	}
	return out
}

// subcommand is cmd's subcommand called name, nil when there is none.
func subcommand(cmd *cobra.Command, name string) *cobra.Command {
	for _, c := range cmd.Commands() {
		if c.Name() == name || c.HasAlias(name) {
			return c
		}
	}
	return nil
}

// oneDashLong is name when a is -name or -name=value with a name of two or
// more letters, digits and dashes.
func oneDashLong(a string) (string, bool) {
	if len(a) < 3 || a[0] != '-' || a[1] == '-' {
		return "", false
	}
	name, _, _ := strings.Cut(a[1:], "=")
	if len(name) < 2 || strings.IndexFunc(name, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-')
	}) >= 0 {
		return "", false
	}
	return name, true
}

// valueFlag is the flag that a (--name or -x, without =value) names when that
// flag takes the next argument as its value.
func valueFlag(fs *pflag.FlagSet, a string) *pflag.Flag {
	var f *pflag.Flag
	switch {
	case strings.Contains(a, "="):
		return nil
	case strings.HasPrefix(a, "--"):
		f = fs.Lookup(a[2:])
	case len(a) == 2 && a[0] == '-':
		f = fs.ShorthandLookup(a[1:])
	}
	if f == nil || f.NoOptDefVal != "" {
		return nil
	}
	return f
}
