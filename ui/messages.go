package ui

import (
	"time"

	"wxacode/preview"
	"wxacode/wechat"
)

// codeMsg is the answer to generation gen; older generations are dropped.
// at is when it arrived, by Deps.Now.
type codeMsg struct {
	gen     int
	params  wechat.Params
	code    *wechat.Code
	err     error
	elapsed time.Duration
	at      time.Time
}

// previewMsg is a rendered preview for key (code hash, box, background, mode).
type previewMsg struct {
	key string
	out preview.Output
	err error
}

// drawMsg asks to send the out-of-band image now that its box is on screen.
type drawMsg struct{ seq int }

// tmuxMsg is what the tmux server said about the terminal outside it.
type tmuxMsg struct{ client preview.TmuxClient }

// rateMsg is a call leaving the rate's window: now is Deps.Now when it did.
type rateMsg struct{ now time.Time }

// debounceMsg fires after a typing pause; only the latest edit's counts.
type debounceMsg struct{ seq int }

// savedMsg reports a save; exists means the file was there and nothing was
// written, missingDir that its folder is missing (nothing was created).
type savedMsg struct {
	path       string
	err        error
	exists     bool
	missingDir string
}

type historyLoadedMsg struct {
	entries []historyEntry
	err     error
}

type historySavedMsg struct{ err error }

// statusClearMsg expires the transient status with the same seq.
type statusClearMsg struct{ seq int }

// tokenMsg carries what the status line shows about the token: never its value.
type tokenMsg struct {
	source  string
	expires time.Time
}

// cellSizeMsg is the cell size TIOCGWINSZ gave (Deps.CellSize).
type cellSizeMsg struct{ w, h int }

// repairMsg asks to put the image back after a frame that may have moved
// it (see placement.Sync).
type repairMsg struct{ seq int }
