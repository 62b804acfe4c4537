package cli

import (
	"runtime/debug"
	"strings"
)

// version is what --version prints after "wxacode ".
func version() string {
	info, _ := debug.ReadBuildInfo()
	return versionOf(info)
}

// versionOf is the module's tag when the binary was built at one; otherwise
// "(devel)", with the commit and whether the tree had changes when go build
// stamped them (vcs.revision, vcs.modified: a build in a git checkout with
// -buildvcs on, the default outside GOFLAGS=-buildvcs=false).
func versionOf(info *debug.BuildInfo) string {
	if info == nil {
		return "(devel)"
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	v := info.Main.Version
	short := rev[:min(len(rev), 12)]
	// Untagged builds get a pseudo-version (v0.0.0-DATE-REV[+dirty]): the
	// revision says the same thing more plainly.
	if v == "" || v == "(devel)" || short != "" && strings.Contains(v, short) {
		v = "(devel)"
		if short != "" {
			v += " rev " + short
			if modified == "true" {
				v += " (modified)"
			}
		}
	}
	return v
}
