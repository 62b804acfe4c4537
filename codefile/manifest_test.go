package codefile

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readAll is every line ReadManifest yields, and the error that ended it.
func readAll(r io.Reader, file string) ([]ManifestLine, error) {
	var lines []ManifestLine
	for l, err := range ReadManifest(r, file) {
		if err != nil {
			return lines, err
		}
		lines = append(lines, l)
	}
	return lines, nil
}

// line is what a test expects of one ManifestLine: its number, start, the
// file of its entry, or the message of its error.
type line struct {
	n     int
	start int64
	file  string
	err   string
	torn  bool
}

func TestReadManifest(t *testing.T) {
	a := `{"row":1,"key":"00000000000000aa","file":"a.jpg","sha256":"ab","bytes":3,"format":"jpeg"}`
	b := `{"row":2,"key":"00000000000000bb","file":"b.png","sha256":"cd"}`
	n := func(s string) int64 { return int64(len(s)) }
	for _, tc := range []struct {
		name, in string
		want     []line
	}{
		{"empty file", "", nil},
		{"only blank lines", "\n  \n\t\n", nil},
		{"whole lines", a + "\n" + b + "\n", []line{{n: 1, file: "a.jpg"}, {n: 2, start: n(a) + 1, file: "b.png"}}},
		{"blank lines are counted, CRLF is fine", "\n" + a + "\r\n\n" + b + "\n", []line{{n: 2, start: 1, file: "a.jpg"}, {n: 4, start: n(a) + 4, file: "b.png"}}},
		{"torn line: a killed writer's half", a + "\n" + `{"row":2,"key":"00`, []line{{n: 1, file: "a.jpg"},
			{n: 2, start: n(a) + 1, torn: true, err: "codes/manifest.jsonl line 2: not JSON (unexpected end of JSON input"}}},
		{"torn line that parses", a + "\n" + b, []line{{n: 1, file: "a.jpg"}, {n: 2, start: n(a) + 1, torn: true, file: "b.png"}}},
		{"torn blank line", a + "\n  ", []line{{n: 1, file: "a.jpg"}, {n: 2, start: n(a) + 1, torn: true, err: "line 2: cut short before any entry"}}},
		{"bad JSON line with its number", a + "\n\nnot json\n" + b + "\n", []line{{n: 1, file: "a.jpg"},
			{n: 3, start: n(a) + 2, err: "codes/manifest.jsonl line 3: not JSON (invalid character 'o' in literal null (expecting 'u'), at column 2)"},
			{n: 4, start: n(a) + 11, file: "b.png"}}},
		{"an entry with no file", `{"row":1,"sha256":"ab"}` + "\n", []line{{n: 1, err: `codes/manifest.jsonl line 1: no "file": an entry names the file it records`}}},
		{"null", "null\n", []line{{n: 1, err: `line 1: no "file"`}}},
		{"a field of the wrong type", `{"row":"one","file":"a.jpg"}` + "\n", []line{{n: 1, err: `line 1: "row" is a string, not int`}}},
		{"a nested field of the wrong type", `{"file":"a.jpg","flattened":{"original_bytes":"9"}}` + "\n", []line{{n: 1, err: `"flattened.original_bytes" is a string, not int`}}},
		{"not an object", "[1,2]\n", []line{{n: 1, err: "line 1: not a JSON object but an array"}}},
		{"a bad time", `{"file":"a.jpg","received":"yesterday"}` + "\n", []line{{n: 1, err: "line 1: not a manifest entry (parsing time"}}},
		{"text after the entry", a + " x\n", []line{{n: 1, err: "not JSON (invalid character 'x' after top-level value"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readAll(strings.NewReader(tc.in), "codes/manifest.jsonl")
			require.NoError(t, err)
			require.Len(t, got, len(tc.want))
			for i, w := range tc.want {
				g := got[i]
				assert.Equal(t, w.n, g.Line, "line number")
				assert.Equal(t, w.start, g.Start, "line %d starts", w.n)
				assert.Equal(t, w.torn, g.Torn, "line %d torn", w.n)
				if w.err != "" {
					var le *ManifestLineError
					require.ErrorAs(t, g.Err, &le)
					assert.Contains(t, g.Err.Error(), w.err)
					assert.Equal(t, w.n, le.Line)
					assert.Zero(t, g.Entry, "no half entry")
					continue
				}
				require.NoError(t, g.Err)
				assert.Equal(t, w.file, g.Entry.File)
			}
		})
	}
}

// A line over MaxManifestLine is reported and skipped to its end: the
// next line keeps its number and its offset.
func TestReadManifestLongLine(t *testing.T) {
	long := `{"file":"` + strings.Repeat("x", MaxManifestLine) + `"}` + "\n"
	in := long + `{"file":"a.jpg"}` + "\n" + strings.Repeat("y", MaxManifestLine+1)
	got, err := readAll(strings.NewReader(in), "")
	require.NoError(t, err)
	require.Len(t, got, 3)
	assert.ErrorIs(t, got[0].Err, ErrManifestLineTooLong)
	assert.EqualError(t, got[0].Err, "manifest line 1: longer than 1048576 bytes")
	assert.Equal(t, "a.jpg", got[1].Entry.File)
	assert.Equal(t, 2, got[1].Line)
	assert.Equal(t, int64(len(long)), got[1].Start)
	assert.True(t, got[2].Torn)
	assert.ErrorIs(t, got[2].Err, ErrManifestLineTooLong)
}

// A failed read ends the lines with the reader's error; a loop that stops
// early stops the reading.
func TestReadManifestStops(t *testing.T) {
	boom := errors.New("boom")
	r := io.MultiReader(strings.NewReader(`{"file":"a.jpg"}`+"\n"+`{"file":"b`), iotest.ErrReader(boom))
	got, err := readAll(r, "m")
	assert.ErrorIs(t, err, boom)
	require.Len(t, got, 1)
	assert.Equal(t, "a.jpg", got[0].Entry.File)

	n := 0
	for range ReadManifest(strings.NewReader(strings.Repeat(`{"file":"a.jpg"}`+"\n", 5)), "m") {
		n++
		if n == 2 {
			break
		}
	}
	assert.Equal(t, 2, n)
}

// FuzzReadManifest: whatever the bytes, lines come in order, each within
// the input, only the last one torn, an error is a *ManifestLineError of
// that line and an entry names a file; a reader giving a byte at a time
// reads the same.
func FuzzReadManifest(f *testing.F) {
	f.Add([]byte(`{"row":1,"key":"00000000000000aa","file":"a.jpg","sha256":"ab"}` + "\n" + `{"row":2,"key":"00`))
	f.Add([]byte("\n\r\nnull\n[1]\n{\"file\":\"\"}\n{\"row\":\"x\",\"file\":\"a\"}"))
	f.Add([]byte(" \n\x00\n{\"file\":\"a\"} {}\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		got, err := readAll(bytes.NewReader(in), "m")
		require.NoError(t, err)
		prevLine, prevStart := 0, int64(-1)
		for i, l := range got {
			assert.Greater(t, l.Line, prevLine)
			assert.Greater(t, l.Start, prevStart)
			assert.Less(t, l.Start, int64(len(in)))
			assert.Equal(t, l.Torn, i == len(got)-1 && !bytes.HasSuffix(in, []byte("\n")), "only the last line, without its newline, is torn")
			if l.Err != nil {
				var le *ManifestLineError
				require.ErrorAs(t, l.Err, &le)
				assert.Equal(t, l.Line, le.Line)
			} else {
				assert.NotEmpty(t, l.Entry.File)
			}
			prevLine, prevStart = l.Line, l.Start
		}
		slow, err := readAll(iotest.OneByteReader(bytes.NewReader(in)), "m")
		require.NoError(t, err)
		assert.Equal(t, got, slow)
	})
}
