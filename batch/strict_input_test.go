package batch

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHeaderProblemsAreInputErrors: a header batch cannot read for sure
// stops the run before any call with an *InputError (a usage error) saying
// what is wrong on line 1 and how to fix it.
func TestHeaderProblemsAreInputErrors(t *testing.T) {
	for _, tc := range []struct {
		name, file, in string
		want           []string
	}{
		{"unknown column", "rows.csv", "scene,pgae\na,b\n", []string{"line 1", `unknown column "pgae"`, "known columns"}},
		{"empty CSV", "rows.csv", "", []string{"empty", "header"}},
		{"only a BOM", "rows.csv", "\xef\xbb\xbf", []string{"empty"}},
		{"NUL in the header", "rows.csv", "sc\x00ene,page\na,b\n", []string{"line 1", "NUL", "UTF-8"}},
		{"UTF-16 export", "rows.csv", "s\x00c\x00e\x00n\x00e\x00\n\x00", []string{"NUL"}},
		{"semicolon separator", "rows.csv", "scene;page\na;b\n", []string{"semicolons", "use commas"}},
		{"comma in a TSV", "rows.tsv", "scene,page\na,b\n", []string{"commas", "use tabs"}},
		{"duplicate column", "rows.csv", "scene,page,scene\na,b,c\n", []string{"line 1", `"scene" twice`, "columns 1 and 3"}},
		{"duplicate by alias", "rows.csv", "scene,hyaline,is_hyaline\na,true,false\n", []string{`"hyaline" twice`}},
		{"duplicate by case", "rows.tsv", "Scene\tscene\na\tb\n", []string{`"scene" twice`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := writeInput(t, tc.file, tc.in)
			g := newFake()
			_, err := Run(context.Background(), fastOpts(in, t.TempDir(), g))
			var ie *InputError
			require.ErrorAs(t, err, &ie)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Zero(t, g.calls.Load(), "nothing was called")
		})
	}
}

func TestBadNameTemplateIsAnInputError(t *testing.T) {
	in := writeInput(t, "rows.csv", csvRows(2, "", nil))
	o := fastOpts(in, t.TempDir(), newFake())
	o.Name = "{bogus}.{ext}"
	_, err := Run(context.Background(), o)
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	assert.Contains(t, err.Error(), "--name")
	assert.Contains(t, err.Error(), "bogus")
}

// TestRowProblemsNameTheLine: a JSONL line holding more than one object,
// trailing text, a NUL or a key twice, and a CSV field with a NUL, is an
// error of that row naming its line, never a value silently dropped or
// silently winning; the run stops before any call (an *InvalidError).
func TestRowProblemsNameTheLine(t *testing.T) {
	for _, tc := range []struct {
		name, file, in string
		want           string
	}{
		{"two objects on a line", "rows.jsonl", `{"scene":"a"}` + "\n" + `{"scene":"b"}{"scene":"c"}` + "\n", "a second object"},
		{"two objects with a space", "rows.jsonl", `{"scene":"a"}` + "\n" + `{"scene":"b"} {"scene":"c"}` + "\n", "a second object"},
		{"trailing garbage", "rows.jsonl", `{"scene":"a"}` + "\n" + `{"scene":"b"} x` + "\n", "text after the object"},
		{"trailing comma", "rows.jsonl", `{"scene":"a"}` + "\n" + `{"scene":"b"},` + "\n", "after the object"},
		{"NUL in JSONL", "rows.jsonl", `{"scene":"a"}` + "\n" + "{\"scene\":\"b\x00\"}\n", "NUL byte"},
		{"NUL after the object", "rows.jsonl", `{"scene":"a"}` + "\n" + "{\"scene\":\"b\"}\x00\n", "NUL byte"},
		{"duplicate JSON key", "rows.jsonl", `{"scene":"a"}` + "\n" + `{"scene":"b","scene":"c"}` + "\n", `"scene" twice`},
		{"duplicate JSON key by alias", "rows.jsonl", `{"scene":"a"}` + "\n" + `{"hyaline":true,"is_hyaline":false}` + "\n", `"hyaline" twice`},
		{"NUL in a CSV field", "rows.csv", "scene,page\na,pages/a\nb\x00,pages/a\n", "NUL byte"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := writeInput(t, tc.file, tc.in)
			g := newFake()
			var problems []string
			o := fastOpts(in, t.TempDir(), g)
			o.OnProblem = func(p RowProblem) { problems = append(problems, p.String()) }
			_, err := Run(context.Background(), o)
			var inv *InvalidError
			require.ErrorAs(t, err, &inv)
			require.Len(t, problems, 1)
			assert.Contains(t, problems[0], "row 2 (line "+lineOf(tc.file)+")")
			assert.Contains(t, problems[0], tc.want)
			assert.Zero(t, g.calls.Load())
		})
	}
}

// lineOf is the line of the second row: 2 in JSONL, 3 in CSV (after the header).
func lineOf(file string) string {
	if strings.HasSuffix(file, ".jsonl") {
		return "2"
	}
	return "3"
}
