package cli

import (
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNormalizeArgs(t *testing.T) {
	root := newRootCmd(NewFactory(NewIOStreams(nil, io.Discard, io.Discard)))
	for _, tt := range []struct{ in, want string }{
		{"get -kind limited -path p?x=1 -o a.jpg", "get --kind limited --path p?x=1 -o a.jpg"},
		{"get -check-path=false -hyaline -o=a.png", "get --check-path=false --hyaline -o=a.png"},
		{"-sim -graphics blocks -version", "--sim --graphics blocks --version"},
		{"get --scene -kind -o a.jpg", "get --scene -kind -o a.jpg"},    // a value stays as it is
		{"get -o -page", "get -o -page"},                                // so does -o's
		{"scene encode -json -- -json", "scene encode --json -- -json"}, // after -- nothing is a flag
		{"scene fit a -map m.csv -dry-run", "scene fit a --map m.csv --dry-run"},
		{"token -secret=s3cret -help", "token --secret=s3cret --help"}, // for the hint, and help
		{"sim -secret s3cret -addr 127.0.0.1:0", "sim --secret s3cret --addr 127.0.0.1:0"},
		{"get -nope -h -x", "get -nope -h -x"}, // unknown: pflag reports it
		{"preview a.jpg -cols 40 -graphics=none", "preview a.jpg --cols 40 --graphics=none"},
		{"batch -in a.csv -out o -dry-run", "batch --in a.csv --out o --dry-run"},
		{"get --o a.jpg --o=b.jpg --x", "get -o a.jpg -o=b.jpg --x"},
		{"get -version", "get -version"}, // only the root has --version
	} {
		assert.Equal(t, tt.want, strings.Join(normalizeArgs(root, strings.Fields(tt.in)), " "), tt.in)
	}
}

// Scripts written for Go's flag package keep working end to end.
func TestSingleDashLongFlags(t *testing.T) {
	code, stdout, stderr := runCLI(t, nil, "scene", "encode", "-json", "a=1")
	assert.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, `"output": "a%3D1"`)
}
