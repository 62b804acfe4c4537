package preview

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// What tmux 3.5a answered tmuxFormat in the real terminals of the e2e tests.
const (
	tmuxXtermVT340 = "256,bpaste,ccolour,clipboard,cstyle,extkeys,focus,mouse,rectfill,RGB,sixel,strikethrough,title\txterm\tXTerm(379)\t6\t13\toff\n"
	tmuxXtermVT420 = "256,bpaste,ccolour,clipboard,cstyle,extkeys,focus,margins,mouse,rectfill,RGB,strikethrough,title\txterm\tXTerm(379)\t6\t13\toff\n"
	tmuxDetached   = "\t\t\t\t\toff\n"
)

// cannedTmux answers every command with out (or err) and records the arguments.
func cannedTmux(out string, err error, got *[]string) TmuxRunner {
	return func(_ context.Context, args ...string) ([]byte, error) {
		if got != nil {
			*got = args
		}
		return []byte(out), err
	}
}

var inTmux = map[string]string{"TMUX": "/tmp/tmux-0/default,4242,0", "TMUX_PANE": "%3", "TERM": "tmux-256color", "TERM_PROGRAM": "tmux"}

func withEnv(base map[string]string, kv ...string) map[string]string {
	m := map[string]string{}
	for k, v := range base {
		m[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// The decision inside tmux: environment + what tmux says about the client +
// the pane's DA1 → the mode auto draws with.
func TestResolveInTmux(t *testing.T) {
	const da1Sixel = "\x1bP>|tmux 3.5a\x1b\\\x1b[?1;2;4c" // a tmux built with sixel, in any pane
	const da1Plain = "\x1bP>|tmux 3.3a\x1b\\\x1b[?1;2c"
	kitty := "256,bpaste,clipboard,RGB,title\txterm-kitty\tkitty(0.39.1)\t10\t21\t"
	cases := []struct {
		name  string
		env   map[string]string
		tmux  string
		err   error
		reply string // the pane's replies to the queries
		want  Mode
	}{
		// The issue: tmux built with sixel says 4 in DA1 in every pane.
		{"tmux sixel, client lacks sixel", inTmux, tmuxXtermVT420, nil, da1Sixel, ModeBlocks},
		{"tmux sixel, client has sixel", inTmux, tmuxXtermVT340, nil, da1Sixel, ModeSixel},
		{"tmux without sixel, client has sixel", inTmux, tmuxXtermVT340, nil, da1Plain, ModeBlocks},
		{"client has sixel, cell size unknown", inTmux, strings.Replace(tmuxXtermVT340, "\t6\t13\t", "\t0\t0\t", 1), nil, da1Sixel, ModeBlocks},
		{"passthrough on, kitty outside", inTmux, kitty + "on\n", nil, da1Sixel, ModeKitty},
		{"passthrough all, kitty outside", inTmux, kitty + "all\n", nil, da1Plain, ModeKitty},
		{"passthrough off, kitty outside", inTmux, kitty + "off\n", nil, da1Sixel, ModeBlocks},
		{"passthrough unknown (tmux ≤ 3.2), kitty outside", inTmux, kitty + "\n", nil, da1Plain, ModeBlocks},
		{"passthrough on, ghostty outside", inTmux, "RGB\txterm-ghostty\tghostty 1.1.3\t8\t17\ton\n", nil, da1Plain, ModeKitty},
		{"passthrough on, iTerm2 outside", inTmux, "RGB\txterm-256color\tiTerm2 3.5.10\t7\t16\ton\n", nil, da1Plain, ModeITerm},
		{"passthrough on, WezTerm with sixel: tmux draws it", inTmux, "RGB,sixel\txterm-256color\tWezTerm 20240203\t8\t16\ton\n", nil, da1Sixel, ModeSixel},
		{"passthrough on, xterm outside", inTmux, strings.Replace(tmuxXtermVT420, "\toff\n", "\ton\n", 1), nil, da1Sixel, ModeBlocks},
		{"server started from kitty, xterm attached", withEnv(inTmux, "KITTY_WINDOW_ID", "1"), strings.Replace(tmuxXtermVT420, "\toff\n", "\ton\n", 1), nil, da1Sixel, ModeBlocks},
		{"detached session", inTmux, tmuxDetached, nil, da1Sixel, ModeBlocks},
		{"tmux fails", inTmux, "", errors.New("no server running on /tmp/tmux-0/default"), da1Sixel, ModeBlocks},
		{"tmux answers garbage", inTmux, "usage: display-message [-aIlNpv]\n", nil, da1Sixel, ModeBlocks},
		{"TERM says tmux, no $TMUX (ssh from a tmux)", map[string]string{"TERM": "tmux-256color"}, tmuxXtermVT340, nil, da1Sixel, ModeBlocks},
		{"XTVERSION says tmux, env lost", map[string]string{"TERM": "xterm-256color"}, tmuxXtermVT340, nil, da1Sixel, ModeBlocks},
		{"screen", map[string]string{"STY": "1.pts-0.h", "TERM": "screen"}, tmuxXtermVT340, nil, "\x1b[?1;2;4c", ModeBlocks},
		{"no multiplexer: DA1 decides", map[string]string{"TERM": "xterm-256color"}, tmuxXtermVT420, nil, "\x1b[?63;1;2;4c", ModeSixel},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			caps := Detect(context.Background(), env(c.env), cannedTmux(c.tmux, c.err, nil))
			caps, done := FoldReplies(caps, []byte(c.reply))
			require.True(t, done)
			assert.Equal(t, c.want, caps.Resolve(ModeAuto))
			for _, forced := range []Mode{ModeSixel, ModeKitty, ModeITerm, ModeBlocks} {
				assert.Equal(t, forced, caps.Resolve(forced), "--graphics %s is kept", forced)
			}
		})
	}
}

func TestAskTmux(t *testing.T) {
	var args []string
	got := AskTmux(context.Background(), cannedTmux(tmuxXtermVT340, nil, &args), env(inTmux))
	assert.Equal(t, TmuxClient{Attached: true, Sixel: true, CellW: 6, CellH: 13, Terminal: "XTerm(379)"}, got)
	require.Len(t, args, 5)
	assert.Equal(t, []string{"display-message", "-p", "-t", "%3"}, args[:4], "about our own pane")
	assert.Equal(t, tmuxFormat, args[4])

	assert.Equal(t, TmuxClient{}, AskTmux(context.Background(), nil, env(inTmux)))
	assert.Equal(t, TmuxClient{}, AskTmux(context.Background(), cannedTmux(tmuxDetached, nil, nil), env(inTmux)))
}

// A hung tmux server costs TmuxTimeout (virtual time), then half blocks.
func TestAskTmuxTimesOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		hung := func(ctx context.Context, _ ...string) ([]byte, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		}
		start := time.Now()
		caps := Detect(context.Background(), env(inTmux), hung)
		assert.Equal(t, TmuxTimeout, time.Since(start))
		assert.Equal(t, TmuxClient{}, caps.Tmux)
		caps, _ = FoldReplies(caps, []byte("\x1b[?1;2;4c"))
		assert.Equal(t, ModeBlocks, caps.Resolve(ModeAuto))
	})
}

func TestParseTmux(t *testing.T) {
	cases := []struct {
		in   string
		want TmuxClient
	}{
		{tmuxXtermVT420, TmuxClient{Attached: true, CellW: 6, CellH: 13, Terminal: "XTerm(379)"}},
		{"sixel\txterm-kitty\t\t10\t20\ton", TmuxClient{Attached: true, Sixel: true, Kitty: true, Passthrough: true, CellW: 10, CellH: 20, Terminal: "xterm-kitty"}},
		{"\twezterm\t\t\t\tall\n", TmuxClient{Attached: true, ITerm2: true, Passthrough: true, Terminal: "wezterm"}},
		{"x\ty\tz\t-1\t99999\toff", TmuxClient{Attached: true, Terminal: "z"}},
		{tmuxDetached, TmuxClient{}},
		{"", TmuxClient{}},
		{"a\tb", TmuxClient{}},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, ParseTmux(c.in), "%q", c.in)
	}
}

func TestCellInTmuxIsTheClients(t *testing.T) {
	c := Caps{InTmux: true, CellW: 16, CellH: 32, Tmux: TmuxClient{Attached: true, CellW: 6, CellH: 13}}
	w, h := c.Cell()
	assert.Equal(t, [2]int{6, 13}, [2]int{w, h}, "the pane's 16×32 is tmux's default, not the terminal's")
	c.Tmux = TmuxClient{Attached: true}
	w, h = c.Cell()
	assert.Equal(t, [2]int{16, 32}, [2]int{w, h})
}

func TestQueriesInTmuxLeaveOutKitty(t *testing.T) {
	assert.Equal(t, Queries(), Caps{}.Queries())
	q := Caps{InTmux: true}.Queries()
	assert.NotContains(t, q, QueryKitty, "tmux would take the APC string for the pane title")
	assert.True(t, strings.HasSuffix(q, QueryDA1))
}

func TestTmuxBinary(t *testing.T) {
	assert.Equal(t, "tmux", tmuxBinary(""))
	assert.Equal(t, "tmux", tmuxBinary("/tmp/tmux-0/default,notapid,0"))
	assert.Equal(t, "tmux", tmuxBinary("/tmp/tmux-0/default,1,0"), "pid 1 is not a tmux")
}

func TestPassthrough(t *testing.T) {
	assert.Equal(t, "\x1bPtmux;\x1b\x1b_Ga=d\x1b\x1b\\\x1b\\", Passthrough("\x1b_Ga=d\x1b\\"))
	c := Caps{InTmux: true}
	assert.True(t, c.Passthrough(ModeKitty))
	assert.True(t, c.Passthrough(ModeITerm))
	assert.False(t, c.Passthrough(ModeSixel), "tmux draws sixel itself")
	assert.False(t, Caps{}.Passthrough(ModeKitty))
	assert.False(t, Caps{InTmux: true, Screen: true}.Passthrough(ModeKitty))

	out := Output{Mode: ModeKitty, Cols: 4, Rows: 3, Raw: "IMG", Passthrough: true}
	assert.Equal(t, "\n\n\x1b[2A\rIMG\x1b[2B", out.Inline(), "rows made first, image from the top one")
	out.Passthrough = false
	assert.Equal(t, "IMG", out.Inline())
}

// silentTTY never answers: ssh to a client that swallows the queries.
type silentTTY struct{}

func (silentTTY) wait(d time.Duration) (bool, error) { time.Sleep(d); return false, nil }
func (silentTTY) read([]byte) (int, error)           { return 0, nil }

// scriptedTTY answers with reply after delay.
type scriptedTTY struct {
	at    time.Time
	reply []byte
}

func (s *scriptedTTY) wait(d time.Duration) (bool, error) {
	if len(s.reply) == 0 {
		time.Sleep(d)
		return false, nil
	}
	if w := time.Until(s.at); w > 0 {
		if w > d {
			time.Sleep(d)
			return false, nil
		}
		time.Sleep(w)
	}
	return true, nil
}

func (s *scriptedTTY) read(p []byte) (int, error) {
	n := copy(p, s.reply)
	s.reply = s.reply[n:]
	return n, nil
}

// A terminal that answers nothing costs the timeout (virtual time) and
// leaves the environment's guess, which is half blocks when it knows nothing.
func TestProbeSilentTerminal(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want Mode
	}{
		{"nothing known (ssh)", map[string]string{"TERM": "xterm-256color"}, ModeBlocks},
		{"environment says WezTerm", map[string]string{"TERM_PROGRAM": "WezTerm"}, ModeSixel},
		{"in tmux, tmux silent too", inTmux, ModeBlocks},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				guess := FromEnv(env(c.env))
				start := time.Now()
				got := readReplies(silentTTY{}, guess, time.Second)
				assert.Equal(t, time.Second, time.Since(start))
				assert.Equal(t, guess, got)
				assert.Equal(t, c.want, got.Resolve(ModeAuto))
			})
		})
	}
}

func TestProbeStopsAtDA1(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		r := &scriptedTTY{at: start.Add(120 * time.Millisecond), reply: []byte("\x1b[6;20;10t\x1b[?63;1;2;4c")}
		got := readReplies(r, Caps{}, time.Second)
		assert.Equal(t, 120*time.Millisecond, time.Since(start), "no wait after DA1")
		assert.Equal(t, Caps{Sixel: true, CellW: 10, CellH: 20}, got)

		// A reply cut short by the timeout still counts for what arrived.
		start = time.Now()
		r = &scriptedTTY{at: start.Add(10 * time.Millisecond), reply: []byte("\x1b[6;20;10t")}
		got = readReplies(r, Caps{}, time.Second)
		assert.Equal(t, time.Second, time.Since(start))
		assert.Equal(t, Caps{CellW: 10, CellH: 20}, got)
	})
}
