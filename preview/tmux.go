package preview

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// TmuxClient is what the tmux server says about the client (the real
// terminal) showing our pane. The zero value means "no client, or tmux did
// not answer": half blocks.
type TmuxClient struct {
	// Attached is true when a client shows the session.
	Attached bool
	// Sixel is true when client_termfeatures lists sixel: tmux then draws a
	// sixel on that client itself (when it also knows the cell size).
	Sixel bool
	// Kitty and ITerm2 say the outer terminal has these protocols, by its
	// TERM (client_termname) or its XTVERSION (client_termtype).
	Kitty, ITerm2 bool
	// Passthrough is true when the pane's allow-passthrough is on or all.
	Passthrough bool
	// CellW, CellH are the client's cell in pixels; 0 when tmux does not know.
	CellW, CellH int
	// Terminal is the outer terminal's name, for display.
	Terminal string
}

// TmuxRunner runs one tmux command against the server of this pane and
// returns its standard output. ExecTmux is the real one; tests give canned
// answers.
type TmuxRunner func(ctx context.Context, args ...string) ([]byte, error)

// TmuxTimeout bounds AskTmux: a hung or unreachable server costs at most
// this, then the preview goes on in half blocks.
const TmuxTimeout = 500 * time.Millisecond

// tmuxFormat is everything AskTmux needs, in one display-message. The client
// fields are empty when no client is attached; #{allow-passthrough} is the
// option's value for the pane (inherited from the window or global).
const tmuxFormat = "#{client_termfeatures}\t#{client_termname}\t#{client_termtype}\t" +
	"#{client_cell_width}\t#{client_cell_height}\t#{allow-passthrough}"

// AskTmux asks the tmux server which client shows the pane $TMUX_PANE and
// what it can do (tmux display-message -p), within TmuxTimeout. Any failure
// (tmux missing, the server gone, a timeout, an old tmux) is a zero
// TmuxClient.
func AskTmux(ctx context.Context, run TmuxRunner, getenv func(string) string) TmuxClient {
	if run == nil {
		return TmuxClient{}
	}
	ctx, cancel := context.WithTimeout(ctx, TmuxTimeout)
	defer cancel()
	args := []string{"display-message", "-p"}
	if pane := getenv("TMUX_PANE"); pane != "" {
		args = append(args, "-t", pane)
	}
	out, err := run(ctx, append(args, tmuxFormat)...)
	if err != nil || ctx.Err() != nil {
		return TmuxClient{}
	}
	return ParseTmux(string(out))
}

// ParseTmux reads the answer to tmuxFormat.
func ParseTmux(s string) TmuxClient {
	f := strings.Split(strings.TrimRight(s, "\r\n"), "\t")
	if len(f) != 6 {
		return TmuxClient{}
	}
	features, name, typ := f[0], f[1], f[2]
	var t TmuxClient
	t.Attached = name != "" || features != ""
	if !t.Attached {
		return TmuxClient{}
	}
	for _, feat := range strings.Split(features, ",") {
		if feat == "sixel" {
			t.Sixel = true
		}
	}
	t.CellW, _ = strconv.Atoi(f[3])
	t.CellH, _ = strconv.Atoi(f[4])
	if t.CellW <= 0 || t.CellH <= 0 || t.CellW >= 1000 || t.CellH >= 1000 {
		t.CellW, t.CellH = 0, 0
	}
	t.Passthrough = f[5] == "on" || f[5] == "all"
	t.Terminal = typ
	if t.Terminal == "" {
		t.Terminal = name
	}
	lname, ltyp := strings.ToLower(name), strings.ToLower(typ)
	switch {
	case lname == "xterm-kitty" || strings.HasPrefix(ltyp, "kitty"):
		t.Kitty = true
	case lname == "xterm-ghostty" || strings.HasPrefix(ltyp, "ghostty"):
		t.Kitty = true
	case lname == "wezterm" || strings.HasPrefix(ltyp, "wezterm"):
		t.ITerm2 = true
	case strings.HasPrefix(ltyp, "iterm2"):
		t.ITerm2 = true
	}
	return t
}

// ApplyTmux folds what AskTmux learnt.
func (c Caps) ApplyTmux(t TmuxClient) Caps {
	c.Tmux = t
	return c
}

// AsksTmux says whether Detect would ask a tmux server: inside tmux, with
// $TMUX naming the server (over ssh from a tmux, TERM says tmux but the
// server is on the other side).
func (c Caps) AsksTmux(getenv func(string) string) bool {
	return c.InTmux && !c.Screen && getenv("TMUX") != ""
}

// Detect is what is known before the terminal is queried: the environment
// (FromEnv) and, inside tmux, what the server says about the attached client
// (AskTmux through run; nil asks nothing). Fold the replies to c.Queries()
// on top (ProbeTTY, or the designer as they arrive), then Resolve decides.
func Detect(ctx context.Context, getenv func(string) string, run TmuxRunner) Caps {
	c := FromEnv(getenv)
	if c.AsksTmux(getenv) {
		c = c.ApplyTmux(AskTmux(ctx, run, getenv))
	}
	return c
}

// ExecTmux runs tmux as a process: the server's own binary when /proc names
// it (a tmux of another version on PATH may not speak the server's
// protocol), otherwise tmux on PATH.
func ExecTmux(getenv func(string) string) TmuxRunner {
	return func(ctx context.Context, args ...string) ([]byte, error) {
		cmd := exec.CommandContext(ctx, tmuxBinary(getenv("TMUX")), args...)
		cmd.WaitDelay = 100 * time.Millisecond
		return cmd.Output()
	}
}

// tmuxBinary finds the server's executable from $TMUX (socket,pid,session).
func tmuxBinary(env string) string {
	parts := strings.Split(env, ",")
	if len(parts) >= 2 {
		if pid, err := strconv.Atoi(parts[1]); err == nil && pid > 0 {
			if exe, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/exe"); err == nil &&
				strings.HasPrefix(filepath.Base(exe), "tmux") && !strings.HasSuffix(exe, " (deleted)") {
				return exe
			}
		}
	}
	return "tmux"
}

// Passthrough wraps seq for tmux to hand to the outer terminal as it is
// (ESC P tmux; … ESC \, every ESC doubled). tmux passes it on only with
// allow-passthrough on, and only while the pane is visible.
func Passthrough(seq string) string {
	return ansi.TmuxPassthrough(seq)
}
