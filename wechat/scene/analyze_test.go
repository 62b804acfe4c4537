package scene

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func kinds(fs []Finding) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.Kind)
	}
	return out
}

func finding(a Analysis, kind string) Finding {
	for _, f := range a.Findings {
		if f.Kind == kind {
			return f
		}
	}
	return Finding{}
}

func TestAnalyze(t *testing.T) {
	tests := []struct {
		raw    string
		final  string
		layers int
		stable bool
		kinds  []string
	}{
		{"id%3D42%26from%3Dposter", "id=42&from=poster", 1, true, []string{}},
		{"id=42", "id=42", 0, true, []string{FindingNotEncoded}},
		{"abc123", "abc123", 0, true, []string{}},
		{"id%253D42", "id=42", 2, true, []string{FindingDoubleEncode}},
		{"id%25253D42", "id=42", 3, true, []string{FindingDoubleEncode}},
		{"a%2Bb", "a+b", 1, true, []string{}}, // an encoded + is data
		{"a+b%3D1", "a+b=1", 1, true, []string{FindingPlus}},
		{"a+b", "a+b", 0, true, []string{FindingPlus}},
		{"a b", "a b", 0, true, []string{FindingSpace}},
		{"scene=a=1&b=2", "a=1&b=2", 0, true, []string{FindingScenePrefix, FindingCutAtEquals}},
		{"scene=?duid=2&fif=4", "?duid=2&fif=4", 0, true, []string{FindingScenePrefix, FindingCutAtEquals}},
		{"scene=id%3D42", "id=42", 1, true, []string{FindingScenePrefix}},
		{"pages/a/a?scene=id%3D42&utm=x", "id=42", 1, true, []string{FindingScenePrefix}},
		{"shop", "shop", 0, true, []string{FindingMaybeCut}},
		{"shop%26number%3D3", "shop&number=3", 1, true, []string{FindingMaybeCut}},
		{"%E4%B8", "%E4%B8", 0, false, []string{FindingUndecodable}},
		{"id%3D%ZZ", "id%3D%ZZ", 0, false, []string{FindingUndecodable}},
		{"%u4E2D", "%u4E2D", 0, false, []string{FindingJSEscape}},
		{"%C0%80", "%C0%80", 0, false, []string{FindingUndecodable}},
		{"%ED%A0%80", "%ED%A0%80", 0, false, []string{FindingUndecodable}},
		{"%F4%90%80%80", "%F4%90%80%80", 0, false, []string{FindingUndecodable}},
		{"%D6%D0", "%D6%D0", 0, false, []string{FindingUndecodable}},
		{"id%253D%25", "id%3D%", 1, false, []string{FindingUndecodable}}, // second step fails
		{"", "", 0, true, []string{}},
	}
	for _, tt := range tests {
		a := Analyze(tt.raw)
		assert.Equal(t, tt.final, a.Final, "final of %q", tt.raw)
		assert.Equal(t, tt.layers, a.Layers, "layers of %q", tt.raw)
		assert.Equal(t, tt.stable, a.Stable, "stable of %q", tt.raw)
		assert.Equal(t, tt.kinds, kinds(a.Findings), "findings of %q", tt.raw)
		for _, f := range a.Findings {
			assert.NotEmpty(t, f.Message, tt.raw)
			assert.NotEmpty(t, f.Fix, "every finding says what to change: %q %s", tt.raw, f.Kind)
			assert.Contains(t, []string{"error", "warning", "info"}, f.Severity)
		}
	}
}

func TestAnalyzeDetails(t *testing.T) {
	a := Analyze("ab%ZZ")
	require.Len(t, a.Steps, 1)
	assert.Equal(t, 2, a.Steps[0].ErrorPos)
	assert.Equal(t, 2, finding(a, FindingUndecodable).Pos)

	a = Analyze("%E4%B8")
	assert.Contains(t, finding(a, FindingUndecodable).Message, "cut")

	a = Analyze("scene=a=1&b=2")
	f := finding(a, FindingCutAtEquals)
	assert.Contains(t, f.Message, `query.scene is "a"`)
	assert.Equal(t, "write the launch parameter encoded: scene=a%3D1%26b%3D2", f.Fix)
	assert.Equal(t, 7, f.Pos)

	a = Analyze("id%253D42")
	f = finding(a, FindingDoubleEncode)
	assert.Contains(t, f.Message, `"id%253D42" → "id%3D42" → "id=42"`)
	assert.Equal(t, 2, f.Pos)

	a = Analyze("id%253D%25")
	require.Len(t, a.Steps, 2)
	assert.Equal(t, 2, finding(a, FindingUndecodable).Step)

	a = Analyze("name=a+b%26x%3D1")
	assert.Equal(t, "warning", finding(a, FindingPlus).Severity)
	assert.Equal(t, 6, finding(a, FindingPlus).Pos)
	a = Analyze("scene=x+y")
	assert.Equal(t, "info", finding(a, FindingPlus).Severity)
	assert.Equal(t, 7, finding(a, FindingPlus).Pos, "positions of step 0 are in Raw")

	a = Analyze("a b")
	assert.NotEmpty(t, a.Problems, "a space is not a valid scene")
	assert.Equal(t, 1, finding(a, FindingSpace).Pos)

	// Decoding stops after MaxDecodeSteps even for a deeply encoded value.
	deep := "x"
	for i := 0; i < 20; i++ {
		deep = MustEncode(deep + "=")
	}
	a = Analyze(deep)
	assert.Len(t, a.Steps, MaxDecodeSteps)
	assert.False(t, a.Stable)
	assert.True(t, strings.HasPrefix(a.Final, "x") || strings.Contains(a.Final, "%"))
}

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{"scene=a=1&b=2", "id%253D42", "%E4%B8", "a+b c", "?scene=", "&scene=%", "scene=", "%u12"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a := Analyze(s)
		if len(a.Steps) == 0 || len(a.Steps) > MaxDecodeSteps {
			t.Fatalf("Analyze(%q): %d steps", s, len(a.Steps))
		}
		for _, f := range a.Findings {
			if f.Fix == "" {
				t.Fatalf("Analyze(%q): finding %s without a fix", s, f.Kind)
			}
		}
	})
}
