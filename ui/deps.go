// Package ui is the interactive designer: a live form on the left, the code
// (or why WeChat refused it) on the right, and panes for the hint, the scene,
// the exact request and the history. It is the only package that imports
// Bubble Tea; what it knows about WeChat comes from wechat, wechat/scene and
// troubleshoot, and what a saved file looks like from codefile.
package ui

import (
	"context"
	"image/color"
	"time"

	tea "charm.land/bubbletea/v2"

	"wxacode/preview"
	"wxacode/wechat"
)

// Generator asks for one code. *wechat.Client satisfies it; tests pass fakes.
type Generator interface {
	Get(ctx context.Context, req wechat.Request) (*wechat.Code, error)
}

// Ledger is the part of *wechat.Ledger the designer reads: the confirmation
// before a limited call shows how much of the lifetime pool is gone.
type Ledger interface {
	Used() int
	Remaining() int
	Seen(p wechat.Params) bool
	Warning() string
}

// Deps is everything the designer needs from the outside world.
type Deps struct {
	// Generator makes the calls; nil shows "no client" on generate.
	Generator Generator
	// Context bounds every request; nil means context.Background().
	Context context.Context

	// OnSim is true when Generator talks to the simulator: regenerating as the
	// user types costs nothing there.
	OnSim bool
	// AutoRegenerate turns on regenerate-after-typing-pauses (simulator only).
	AutoRegenerate bool
	// Debounce is the typing pause before an automatic regenerate (default 300 ms).
	Debounce time.Duration

	// AppID and TokenSource are shown in the status line; never the token.
	AppID       string
	TokenSource string
	// TokenExpires is when the current token runs out; zero when unknown.
	TokenExpires time.Time
	// Tokens, when set, is asked (in a command) for the token's source and
	// expiry for the status line; *wechat.Client satisfies it. The value is never shown.
	Tokens interface {
		Token(ctx context.Context) (wechat.Token, error)
	}
	// BaseURL is the API host shown in the Request pane (default api.weixin.qq.com).
	BaseURL string
	// Ledger tracks the lifetime pool of the limited endpoints; nil means an
	// empty one in memory.
	Ledger Ledger

	// SaveDir is the default folder for saved codes ("" = current directory).
	SaveDir string
	// NameTemplate names saved files (default "{page}_{scene}_{width}.{ext}").
	NameTemplate string
	// StateDir holds the history ("" = history kept in memory only).
	StateDir string
	// Graphics is the preview mode: auto, sixel, kitty, iterm, blocks or none.
	Graphics string
	// Flatten, when set, draws transparent codes onto this colour as they
	// are saved (--flatten): JPEG or PNG by the name, no alpha.
	Flatten *color.RGBA
	// Env reads the environment for terminal detection; nil means no variables.
	Env func(string) string
	// Tmux asks the tmux server about the terminal outside it, once, in a
	// command (preview.ExecTmux in a real run); nil asks nothing, and auto
	// inside tmux then draws half blocks.
	Tmux preview.TmuxRunner

	// CellSize reads the terminal's cell size in pixels from TIOCGWINSZ
	// (preview.WinsizeCell on the terminal in a real run), asked in a command
	// at start and after each resize: the fallback when the terminal does not
	// answer CSI 16 t. nil asks nothing; ok false means the terminal did not say.
	CellSize func() (w, h int, ok bool)

	// Notices are shown in the status line at start (config warnings).
	Notices []string

	// Initial fills the form.
	Initial wechat.Params

	// StatusTTL is how long a status message stays (0: 6 s; negative: until replaced).
	StatusTTL time.Duration

	// Now is the clock (tests pin it); nil means time.Now. The designer
	// reads it in commands (and once in New), never in Update or View.
	Now func() time.Time
	// After is the timer every wait of the designer goes through: the
	// debounce, the status's expiry, the draw after a frame, the rate's
	// window. nil means time.After; tests and benchmarks pass a virtual one.
	After func(d time.Duration) <-chan time.Time

	// Redact scrubs every text the designer shows that came from elsewhere
	// (errors, errmsg, rid): the session's one redactor. nil: wechat.Redact.
	Redact func(string) string
}

const (
	defaultTemplate = "{page}_{scene}_{width}.{ext}"
	defaultDebounce = 300 * time.Millisecond
	historyLimit    = 50
)

func (d Deps) getenv(k string) string {
	if d.Env == nil {
		return ""
	}
	return d.Env(k)
}

func (d Deps) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

// timer is Deps.After: the designer's one way to wait.
type timer func(d time.Duration) <-chan time.Time

// tick is a command that waits d on the timer, then answers msg().
func (after timer) tick(d time.Duration, msg func() tea.Msg) tea.Cmd {
	if after == nil {
		after = time.After
	}
	return func() tea.Msg {
		<-after(d)
		return msg()
	}
}
