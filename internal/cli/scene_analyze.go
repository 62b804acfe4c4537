package cli

import (
	"fmt"
	"strings"

	"wxacode/wechat/scene"
)

// sceneAnalyze is `scene analyze RAW`: exit 2 when a finding is an error.
func sceneAnalyze(o sceneOut, _ *IOStreams, s string, _ sceneFlags) error {
	a := scene.Analyze(s)
	code := exitOK
	for _, f := range a.Findings {
		if f.Severity == "error" {
			code = exitUsage
		}
	}
	if o.json {
		o.encode(a)
		return reported(code)
	}
	o.printf("Raw:   %q\n", a.Raw)
	if a.Value != a.Raw {
		o.printf("Value: %q\n", a.Value)
	}
	o.printf("\nDecoding steps (decodeURIComponent until stable):\n")
	for _, st := range a.Steps {
		if st.Error != "" {
			o.printf("  %d. %q → %s\n", st.N, st.Input, st.Error)
			if st.ErrorPos >= 0 {
				o.printf("     %s^\n", strings.Repeat(" ", len(fmt.Sprintf("%q", st.Input[:st.ErrorPos]))-1))
			}
			continue
		}
		note := ""
		if st.Output == st.Input {
			note = " (unchanged: stable)"
		}
		o.printf("  %d. %q → %q%s\n", st.N, st.Input, st.Output, note)
	}
	o.printf("\nResult: %q (decoded %d time(s))\n", a.Final, a.Layers)
	if len(a.Pairs) > 0 && strings.Contains(a.Final, "=") {
		o.printf("Pairs:\n")
		for _, p := range a.Pairs {
			o.printf("  %d. %q = %q\n", p.Index, p.Key, p.Value)
			for _, n := range p.Notes {
				o.printf("     ! %s\n", n)
			}
		}
	}
	if len(a.Findings) > 0 {
		o.printf("\nFindings:\n")
		for _, f := range a.Findings {
			where := ""
			if f.Pos >= 0 {
				where = fmt.Sprintf(" (step %d, byte %d)", f.Step, f.Pos)
			}
			o.printf("  [%s] %s%s: %s\n      fix: %s\n", f.Severity, f.Kind, where, f.Message, f.Fix)
		}
	}
	if len(a.Problems) > 0 && a.Final != "" {
		o.printf("\nAs a scene, WeChat would refuse %q:\n", a.Final)
		printProblems(o, a.Problems)
	}
	return reported(code)
}
