package preview

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestFromEnv(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want Caps
		mode Mode // what auto resolves to
	}{
		{"nothing", nil, Caps{}, ModeBlocks},
		{"xterm", map[string]string{"TERM": "xterm-256color"}, Caps{Terminal: "xterm-256color"}, ModeBlocks},
		{"kitty by window id", map[string]string{"TERM": "xterm-256color", "KITTY_WINDOW_ID": "1"}, Caps{Kitty: true, Terminal: "kitty"}, ModeKitty},
		{"kitty by TERM", map[string]string{"TERM": "xterm-kitty"}, Caps{Kitty: true, Terminal: "kitty"}, ModeKitty},
		{"ghostty", map[string]string{"TERM": "xterm-ghostty"}, Caps{Kitty: true, Terminal: "ghostty"}, ModeKitty},
		{"wezterm", map[string]string{"TERM_PROGRAM": "WezTerm"}, Caps{Sixel: true, ITerm2: true, Terminal: "WezTerm"}, ModeSixel},
		{"wezterm pane", map[string]string{"WEZTERM_PANE": "0"}, Caps{Sixel: true, ITerm2: true, Terminal: "WezTerm"}, ModeSixel},
		{"iTerm2 over ssh", map[string]string{"LC_TERMINAL": "iTerm2"}, Caps{Sixel: true, ITerm2: true, Terminal: "iTerm2"}, ModeSixel},
		{"foot", map[string]string{"TERM": "foot-extra"}, Caps{Sixel: true, Terminal: "foot"}, ModeSixel},
		{"mlterm", map[string]string{"TERM": "mlterm"}, Caps{Sixel: true, ITerm2: true, Terminal: "mlterm"}, ModeSixel},
		{"konsole new", map[string]string{"KONSOLE_VERSION": "230801"}, Caps{Sixel: true, Terminal: "Konsole"}, ModeSixel},
		{"konsole old", map[string]string{"KONSOLE_VERSION": "210401"}, Caps{Terminal: "Konsole"}, ModeBlocks},
		{"windows terminal", map[string]string{"WT_SESSION": "x"}, Caps{CellW: 10, CellH: 20, Terminal: "Windows Terminal"}, ModeBlocks},
		{"vscode needs DA1", map[string]string{"TERM_PROGRAM": "vscode"}, Caps{Terminal: "vscode"}, ModeBlocks},
		{"tmux hides kitty", map[string]string{"TMUX": "/tmp/tmux-0/default,1,0", "TERM": "tmux-256color", "KITTY_WINDOW_ID": "3"}, Caps{InTmux: true, Terminal: "tmux-256color"}, ModeBlocks},
		{"screen by TERM", map[string]string{"TERM": "screen.xterm-256color"}, Caps{InTmux: true, Terminal: "screen.xterm-256color"}, ModeBlocks},
		{"screen by STY", map[string]string{"STY": "123.pts-0.host", "TERM": "screen", "TERM_PROGRAM": "WezTerm"}, Caps{InTmux: true, Screen: true, Terminal: "WezTerm"}, ModeBlocks},
		{"tmux started from screen", map[string]string{"STY": "123.pts-0.host", "TMUX": "/tmp/tmux-0/default,1,0", "TERM": "tmux-256color"}, Caps{InTmux: true, Terminal: "tmux-256color"}, ModeBlocks},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := FromEnv(env(c.env))
			assert.Equal(t, c.want, got)
			assert.Equal(t, c.mode, got.Resolve(ModeAuto))
		})
	}
}

func TestResolve(t *testing.T) {
	assert.Equal(t, ModeSixel, Caps{}.Resolve(ModeSixel), "an explicit mode is kept")
	assert.Equal(t, ModeNone, Caps{Kitty: true}.Resolve(ModeNone))
	assert.Equal(t, ModeKitty, Caps{Kitty: true, Sixel: true, ITerm2: true}.Resolve(ModeAuto))
	assert.Equal(t, ModeSixel, Caps{Sixel: true, ITerm2: true}.Resolve(ModeAuto))
	assert.Equal(t, ModeITerm, Caps{ITerm2: true}.Resolve(ModeAuto))
	assert.Equal(t, ModeBlocks, Caps{Sixel: true, InTmux: true}.Resolve(ModeAuto), "tmux ≥ 3.4 with sixel says 4 in DA1 whatever the client (see TestResolveInTmux)")
	assert.Equal(t, ModeBlocks, Caps{Kitty: true, ITerm2: true, InTmux: true}.Resolve(ModeAuto))
	assert.Equal(t, ModeKitty, Caps{InTmux: true}.Resolve(ModeKitty), "forcing is kept inside tmux too")
}

func TestCell(t *testing.T) {
	w, h := Caps{}.Cell()
	assert.Equal(t, [2]int{10, 20}, [2]int{w, h})
	w, h = Caps{}.ApplyCellSize(9, 18).Cell()
	assert.Equal(t, [2]int{9, 18}, [2]int{w, h})
	w, h = Caps{CellW: 7, CellH: 15}.ApplyCellSize(0, 18).Cell()
	assert.Equal(t, [2]int{7, 15}, [2]int{w, h}, "nonsense sizes are ignored")
}

func TestParsers(t *testing.T) {
	attrs, ok := ParseDA1("\x1b[?63;1;2;4;6;9;15;16;22;28c")
	require.True(t, ok)
	assert.Equal(t, []int{63, 1, 2, 4, 6, 9, 15, 16, 22, 28}, attrs)
	_, ok = ParseDA1("\x1b[63;1c")
	assert.False(t, ok, "DA1 replies start with ?")
	_, ok = ParseDA1("\x1b[?63;x;4c")
	assert.False(t, ok)

	w, h, ok := ParseCellSize("\x1b[6;20;10t")
	require.True(t, ok)
	assert.Equal(t, [2]int{10, 20}, [2]int{w, h})
	_, _, ok = ParseCellSize("\x1b[4;800;1000t")
	assert.False(t, ok, "CSI 14 t reply is the text area, not the cell")

	n, ok := ParseColors("\x1b[?1;0;256S")
	require.True(t, ok)
	assert.Equal(t, 256, n)
	_, ok = ParseColors("\x1b[?1;3S")
	assert.False(t, ok, "status 3 is an error")

	sup, ok := ParseKittyReply("\x1b_Gi=31;OK\x1b\\")
	assert.True(t, ok)
	assert.True(t, sup)
	sup, ok = ParseKittyReply("\x1b_Gi=31;ENOTSUPPORTED:no\x1b\\")
	assert.True(t, ok)
	assert.False(t, sup)

	v, ok := ParseXTVersion("\x1bP>|XTerm(379)\x1b\\")
	require.True(t, ok)
	assert.Equal(t, "XTerm(379)", v)

	cw, ch, ok := CellFromWinsize(100, 40, 1004, 804)
	require.True(t, ok)
	assert.Equal(t, [2]int{10, 20}, [2]int{cw, ch}, "xterm's border is floored away")
	_, _, ok = CellFromWinsize(100, 40, 0, 0)
	assert.False(t, ok, "ttyd and many ptys leave the pixel fields 0")
}

func TestFoldReplies(t *testing.T) {
	cases := []struct {
		name  string
		start Caps
		in    string
		want  Caps
		done  bool
	}{
		{"xterm vt340 with window ops", Caps{}, "\x1b[6;20;10t\x1b[?1;0;256S\x1bP>|XTerm(379)\x1b\\\x1b[?63;1;2;4;6;9;15;16;22;28c",
			Caps{Sixel: true, CellW: 10, CellH: 20, Colors: 256, Terminal: "XTerm(379)"}, true},
		{"xterm default id", Caps{}, "\x1b[?1;3S\x1bP>|XTerm(379)\x1b\\\x1b[?64;1;2;6;9;15;16;17;18;21;22;28c",
			Caps{Terminal: "XTerm(379)"}, true},
		{"tmux 3.3", Caps{}, "\x1bP>|tmux 3.3a\x1b\\\x1b[?1;2c", Caps{InTmux: true, Terminal: "tmux 3.3a"}, true},
		{"kitty", Caps{Kitty: true}, "\x1b_Gi=31;OK\x1b\\\x1b[6;21;10t\x1bP>|kitty(0.35.2)\x1b\\\x1b[?62;c",
			Caps{Kitty: true, CellW: 10, CellH: 21, Terminal: "kitty(0.35.2)"}, true},
		{"env said kitty, terminal did not answer", Caps{Kitty: true}, "\x1b[?62;22c", Caps{}, true},
		{"wezterm", Caps{}, "\x1bP>|WezTerm 20240203\x1b\\\x1b[?65;4;6;18;22c", Caps{Sixel: true, ITerm2: true, Terminal: "WezTerm 20240203"}, true},
		{"vscode with images enabled", Caps{Terminal: "vscode"}, "\x1b[?62;4;9;22c", Caps{Sixel: true, ITerm2: true, Terminal: "vscode"}, true},
		{"cut short before DA1", Caps{}, "\x1b[6;20;10t\x1b[?63;1", Caps{CellW: 10, CellH: 20}, false},
		{"typed keys mixed in", Caps{}, "abc\x1b[6;20;10tq\x1b[?63;4c", Caps{Sixel: true, CellW: 10, CellH: 20}, true},
		{"nothing", Caps{}, "", Caps{}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, done := FoldReplies(c.start, []byte(c.in))
			assert.Equal(t, c.want, got)
			assert.Equal(t, c.done, done)
		})
	}
}

func TestQueriesEndWithDA1(t *testing.T) {
	q := Queries()
	assert.Equal(t, QueryDA1, q[len(q)-len(QueryDA1):])
	assert.Contains(t, q, QueryKitty)
	assert.Contains(t, q, QueryCellSize)
	assert.Contains(t, q, QueryXTVersion)
}

func TestParseMode(t *testing.T) {
	for i, n := range []string{"auto", "sixel", "kitty", "iterm", "blocks", "none"} {
		m, err := ParseMode(n)
		require.NoError(t, err)
		assert.Equal(t, Mode(i), m)
		assert.Equal(t, n, m.String())
	}
	m, err := ParseMode(" ITERM2 ")
	require.NoError(t, err)
	assert.Equal(t, ModeITerm, m)
	_, err = ParseMode("ascii")
	assert.ErrorContains(t, err, "use one of auto, sixel, kitty, iterm, blocks, none")
	b, err := ParseBackground("Checker")
	require.NoError(t, err)
	assert.Equal(t, BackgroundChecker, b)
	_, err = ParseBackground("black")
	assert.ErrorContains(t, err, "white, checker or none")
}

func FuzzFoldReplies(f *testing.F) {
	for _, s := range []string{
		"\x1b[6;20;10t\x1b[?1;0;256S\x1bP>|XTerm(379)\x1b\\\x1b[?63;1;2;4c",
		"\x1b_Gi=31;OK\x1b\\\x1b[?62;c", "\x1b[?1;2c", "\x1b[", "\x1bP>|", "\x1b_G;\x07", "\x1b\x1b[c",
		"\x1b[?99999999999;4c", "\x1b[6;;t",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, _ := FoldReplies(Caps{}, b)
		if c.CellW < 0 || c.CellH < 0 || c.Colors < 0 {
			t.Fatalf("negative sizes from %q: %+v", b, c)
		}
		s := string(b)
		ParseDA1(s)
		ParseCellSize(s)
		ParseColors(s)
		ParseKittyReply(s)
		ParseXTVersion(s)
	})
}
