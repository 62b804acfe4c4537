package cli

import (
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVersion(t *testing.T) {
	for _, flag := range []string{"--version", "-v", "-version"} {
		code, stdout, stderr := runCLI(t, nil, flag)
		require.Equal(t, exitOK, code, stderr)
		first, _, _ := strings.Cut(stdout, "\n")
		assert.Equal(t, "wxacode "+version(), first, flag)
	}
}

func TestVersionOf(t *testing.T) {
	const rev = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d"
	vcs := func(modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	for _, tt := range []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{"no build info", nil, "(devel)"},
		{"go test, go run", &debug.BuildInfo{Main: debug.Module{Path: "wxacode", Version: "(devel)"}}, "(devel)"},
		{"untagged checkout", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261202054859-1a2b3c4d5e6f"}, Settings: vcs("false")}, "(devel) rev 1a2b3c4d5e6f"},
		{"untagged, changed", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261202054859-1a2b3c4d5e6f+dirty"}, Settings: vcs("true")}, "(devel) rev 1a2b3c4d5e6f (modified)"},
		{"-buildvcs=false keeps (devel)", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("false")}, "(devel) rev 1a2b3c4d5e6f"},
		{"tag", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}, Settings: vcs("false")}, "v1.2.0"},
		{"go install at a tag", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, "v1.2.0"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, versionOf(tt.info))
		})
	}
}

// `wxacode help CMD` and `wxacode CMD --help` print the command's help,
// with its flags and examples, on stdout.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help", "get"}, {"get", "--help"}, {"get", "-h"}, {"get", "-help"}} {
		code, stdout, stderr := runCLI(t, nil, args...)
		require.Equal(t, exitOK, code, stderr)
		assert.Empty(t, stderr)
		for _, want := range []string{"wxacode get -o FILE", "--page", "-o --output", "--check-path",
			"examples", "wxacode get --scene 'id=42' --page pages/index/index -o code.jpg"} {
			assert.Contains(t, strings.ToLower(stdout), strings.ToLower(want), args)
		}
		assert.NotContains(t, stdout, "--graphics", "the designer's flag is not get's")
	}
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"help"}, []string{"get", "batch", "preview", "scene", "hint", "token", "sim", "completion", "man", "--graphics", "130 interrupted"}},
		{[]string{"--help"}, []string{"get", "--graphics"}},
		{[]string{"help", "scene", "fit"}, []string{"--map", "--dry-run", "--json", "wxacode scene fit"}},
		{[]string{"scene", "--help"}, []string{"wxacode scene check S", "explain", "fit"}},
		{[]string{"help", "sim"}, []string{"--secret", "--addr"}},
	} {
		code, stdout, stderr := runCLI(t, nil, tt.args...)
		require.Equal(t, exitOK, code, stderr)
		for _, want := range tt.want {
			assert.Contains(t, stdout, want, tt.args)
		}
	}
	code, stdout, stderr := runCLI(t, nil, "help", "nope")
	assert.Equal(t, exitUsage, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, `unknown command "nope"`)
}

func TestCompletion(t *testing.T) {
	for shell, want := range map[string]string{
		"bash":       "# bash completion V2 for wxacode",
		"zsh":        "#compdef wxacode",
		"fish":       "complete -c wxacode",
		"powershell": "Register-ArgumentCompleter",
	} {
		code, stdout, stderr := runCLI(t, nil, "completion", shell)
		require.Equal(t, exitOK, code, stderr)
		assert.Contains(t, stdout, want, shell)
	}
	code, _, _ := runCLI(t, nil, "completion", "tcsh")
	assert.Equal(t, exitUsage, code)
}

func TestMan(t *testing.T) {
	code, stdout, stderr := runCLI(t, nil, "man")
	require.Equal(t, exitOK, code, stderr)
	assert.Empty(t, stderr)
	assert.Regexp(t, `(?m)^\.TH WXACODE 1 `, stdout)
	assert.Contains(t, stdout, ".SH NAME")
	for _, want := range []string{"get", "batch", "scene", `\-\-check\-path`, "130 interrupted"} {
		assert.Contains(t, strings.ReplaceAll(stdout, `\fB`, ""), strings.ReplaceAll(want, `\-`, "-"), want)
	}
	code, _, _ = runCLI(t, nil, "man", "extra")
	assert.Equal(t, exitUsage, code)
}

// Unknown flags and commands, and bad flag values, are usage errors: exit 2,
// the command named, nothing on stdout.
func TestUsageErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--bogus"}, "wxacode: unknown flag: --bogus"},
		{[]string{"get", "--bogus"}, "wxacode get: unknown flag: --bogus"},
		{[]string{"get", "--width", "wide"}, `invalid argument "wide" for "--width"`},
		{[]string{"get", "--page"}, "flag needs an argument: --page"},
		{[]string{"scene", "check", "a", "--page", "p"}, "wxacode scene check: unknown flag: --page"},
		{[]string{"token", "--show=perhaps"}, "--show"},
		{[]string{"gte"}, "did you mean get?"},
		{[]string{"hint", "--nope", "1"}, "wxacode hint: unknown flag: --nope"},
		// pflag would quote the whole group, here a value that may be secret.
		{[]string{"get", "-xTOPSECRETVALUE"}, "unknown shorthand flag: -x"},
	} {
		code, stdout, stderr := runCLI(t, nil, tt.args...)
		assert.Equal(t, exitUsage, code, tt.args)
		assert.Empty(t, stdout, tt.args)
		assert.Contains(t, stderr, tt.want, tt.args)
		assert.NotContains(t, stderr, "TOPSECRETVALUE", tt.args)
	}
}
