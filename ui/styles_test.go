package ui

import (
	"fmt"
	"image/color"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// luminance is WCAG 2's relative luminance of c.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrast is WCAG 2's contrast ratio of two colours (1 to 21).
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func TestContrastFormula(t *testing.T) {
	assert.InDelta(t, 21, contrast(lipgloss.Color("#000000"), lipgloss.Color("#ffffff")), 0.01)
	assert.InDelta(t, 4.54, contrast(lipgloss.Color("#767676"), lipgloss.Color("#ffffff")), 0.01) // WCAG's AA grey
}

// textColour is one colour the designer draws text in, and where it comes from.
type textColour struct {
	where  string
	fg, bg color.Color // bg nil: the terminal's background
	faint  bool
}

// textColours walks every lipgloss.Style (and the cursor's colour) in s.
func textColours(s Styles) []textColour {
	var out []textColour
	styleType := reflect.TypeOf(lipgloss.Style{})
	colorType := reflect.TypeOf((*color.Color)(nil)).Elem()
	var walk func(v reflect.Value, where string)
	walk = func(v reflect.Value, where string) {
		switch {
		case v.Type() == styleType:
			st := v.Interface().(lipgloss.Style)
			tc := textColour{where: where, fg: st.GetForeground(), faint: st.GetFaint()}
			if _, none := st.GetBackground().(lipgloss.NoColor); !none {
				tc.bg = st.GetBackground()
			}
			out = append(out, tc)
		case v.Type() == colorType:
			if !v.IsNil() {
				out = append(out, textColour{where: where, fg: v.Interface().(color.Color)})
			}
		case v.Kind() == reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i), where+"."+v.Type().Field(i).Name)
				}
			}
		}
	}
	walk(reflect.ValueOf(s), "Styles")
	return out
}

// TestStylesContrast computes, from the styles themselves, every text
// colour's contrast against the backgrounds of its kind: at least 4.5:1
// (WCAG AA), in true colour and as a 256-colour terminal shows it. A colour
// left to the terminal (no foreground) is the terminal's own pair.
func TestStylesContrast(t *testing.T) {
	backgrounds := map[bool][]string{
		false: {"#ffffff", "#f5f5f5"},            // xterm's default, a light theme
		true:  {"#000000", "#1e1e1e", "#282c34"}, // black, common dark themes
	}
	for _, isDark := range []bool{false, true} {
		s := NewStyles(isDark)
		colours := textColours(s)
		require.Greater(t, len(colours), 20, "the walk found the styles")
		for _, bgHex := range backgrounds[isDark] {
			for _, profile := range []colorprofile.Profile{colorprofile.TrueColor, colorprofile.ANSI256} {
				t.Run(fmt.Sprintf("dark=%v/%s/%s", isDark, bgHex, profile), func(t *testing.T) {
					for _, tc := range colours {
						assert.False(t, tc.faint, "%s is faint: its contrast depends on the terminal", tc.where)
						if _, none := tc.fg.(lipgloss.NoColor); none {
							continue
						}
						switch c := tc.fg.(type) {
						case ansi.BasicColor:
							t.Errorf("%s is basic ANSI colour %d, which themes redefine", tc.where, c)
							continue
						case ansi.IndexedColor:
							if c < 16 {
								t.Errorf("%s is basic ANSI colour %d, which themes redefine", tc.where, c)
								continue
							}
						}
						var bg color.Color = lipgloss.Color(bgHex)
						if tc.bg != nil {
							bg = tc.bg
						}
						fg := profile.Convert(tc.fg)
						if profile == colorprofile.ANSI256 {
							bg = profile.Convert(bg)
						}
						r := contrast(fg, bg)
						assert.GreaterOrEqual(t, r, 4.5, "%s: %.2f:1 on %s", tc.where, r, bgHex)
					}
				})
			}
		}
	}
}

// The three state colours stay apart for colour-blind readers by their
// symbols; NO_COLOR keeps the symbols and drops every colour.
func TestPlainStylesHaveNoColour(t *testing.T) {
	s := PlainStyles()
	assert.False(t, s.Color)
	for _, tc := range textColours(s) {
		_, none := tc.fg.(lipgloss.NoColor)
		assert.True(t, none, "%s has a colour under NO_COLOR: %v", tc.where, tc.fg)
		assert.Nil(t, tc.bg, tc.where)
	}
	assert.True(t, stylesFor(func(k string) string { return map[string]string{"NO_COLOR": "1"}[k] }, true).Color == false)
	assert.True(t, stylesFor(func(string) string { return "" }, true).Color)
	for _, sym := range []string{symErr, symWarn, symOK} {
		assert.Equal(t, 1, strings.Count(symErr+symWarn+symOK, sym))
	}
}

// sgrColour finds a colour in any SGR sequence of s (foreground or
// background, basic, bright, 256 or true colour).
var sgr = regexp.MustCompile(`\x1b\[([0-9;:]*)m`)

func sgrColours(s string) []string {
	var found []string
	for _, m := range sgr.FindAllStringSubmatch(s, -1) {
		for p := range strings.SplitSeq(strings.ReplaceAll(m[1], ":", ";"), ";") {
			n, err := strconv.Atoi(p)
			if err == nil && (n >= 30 && n <= 49 && n != 39 && n != 49 || n >= 90 && n <= 107) {
				found = append(found, m[0])
				break
			}
		}
	}
	return found
}

// TestGoldenNoColor: with NO_COLOR set the screen has bold and underline but
// no colour at all, and every state keeps its symbol. The golden keeps the
// escape sequences (go test ./ui -run GoldenNoColor -update).
func TestGoldenNoColor(t *testing.T) {
	d := testDeps(t, newFake())
	d.SaveDir = ""
	d.Env = func(k string) string { return map[string]string{"NO_COLOR": "1"}[k] }
	m := sized(t, New(d), 80, 24)
	m = send(t, m, tea.BackgroundColorMsg{Color: lipgloss.Color("#ffffff")}) // the answer changes nothing
	m = typeScene(t, m, "id 42")
	m = focusField(t, m, "line_color")
	m = typeText(t, m, "#ff0000")
	raw := m.View().Content
	assert.Empty(t, sgrColours(raw), "no colour under NO_COLOR")
	assert.NotEmpty(t, sgrColours(New(testDeps(t, newFake())).View().Content), "colours without it")
	plain := ansi.Strip(raw)
	assert.Contains(t, plain, "✗ scene (character 3)")
	golden.RequireEqual(t, raw)
}

// The background is asked in Init (a command, never a blocking query) and
// the styles follow the answer.
func TestStylesFollowTheBackground(t *testing.T) {
	m := New(testDeps(t, newFake()))
	assert.Equal(t, darkPalette.muted, m.styles.Muted.GetForeground(), "dark until the terminal answers")
	m = send(t, m, tea.BackgroundColorMsg{Color: lipgloss.Color("#ffffff")})
	assert.Equal(t, lightPalette.muted, m.styles.Muted.GetForeground())
	assert.Equal(t, lightPalette.muted, m.help.Styles.ShortDesc.GetForeground(), "the help footer too")
	m = send(t, m, tea.BackgroundColorMsg{Color: lipgloss.Color("#1e1e1e")})
	assert.Equal(t, darkPalette.muted, m.styles.Muted.GetForeground())
}
