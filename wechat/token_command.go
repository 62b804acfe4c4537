package wechat

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// errCommandTimeout tells our own timeout from the caller's cancellation.
var errCommandTimeout = errors.New("token command timeout")

// maxCommandOutput bounds what a token command may print.
const maxCommandOutput = 64 << 10

// NewCommandToken runs command with `sh -c` and reads the access token from its
// stdout: either the bare token (surrounding whitespace trimmed) or JSON
// {"access_token":"…","expires_in":N}. This is for teams whose tokens come
// from one central service, the fix WeChat recommends for 40001 fights. A
// bare token is reused for 5 minutes; JSON with expires_in until shortly
// before it expires. The command's stderr appears in errors, never the token.
func NewCommandToken(command string, o TokenOptions) TokenSource {
	o = o.withDefaults()
	fetch := func(ctx context.Context) (Token, error) {
		return runTokenCommand(ctx, command, o)
	}
	o.CacheDir = "" // the command is the cache: it is asked again when the token runs out
	return newCachedSource(SourceCommand, cacheKey{}, o, fetch)
}

// Caps on what a token command may print: stdout holds one token (JSON
// around it at most); stderr is for the error message, shown once.
const maxCommandStderr = 4 << 10

// limitedBuffer keeps at most max bytes and counts what it dropped. The
// buffer is a field, not embedded: an embedded bytes.Buffer brings ReadFrom,
// which io.Copy (and so os/exec) calls instead of Write, bypassing the cap.
type limitedBuffer struct {
	buf     bytes.Buffer
	max     int
	dropped int64
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	room := b.max - b.buf.Len()
	if len(p) > room {
		b.dropped += int64(len(p) - max(room, 0))
		if room > 0 {
			b.buf.Write(p[:room])
		}
		return len(p), nil // keep draining, so the command is not killed by a broken pipe
	}
	return b.buf.Write(p)
}

func (b *limitedBuffer) String() string { return b.buf.String() }

func runTokenCommand(ctx context.Context, command string, o TokenOptions) (Token, error) {
	if strings.TrimSpace(command) == "" {
		return Token{}, errors.New("token command is empty: set token_command (or WXACODE_TOKEN_CMD) to a command that prints the access token")
	}
	ctx, cancel := context.WithTimeoutCause(ctx, o.Timeout, errCommandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", command)
	stdout := &limitedBuffer{max: maxCommandOutput}
	stderr := &limitedBuffer{max: maxCommandStderr}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	// A grandchild holding the pipes open must not outlive the timeout.
	cmd.WaitDelay = time.Second
	killGroup(cmd)
	err := cmd.Run()
	out := strings.TrimSpace(stdout.String())
	// Whatever the command printed may be a token: keep it out of every message.
	secrets := append([]string{out}, strings.Fields(out)...)
	// Built only for an error: up to 64 KB of output makes many runs to index.
	red := sync.OnceValue(func() *Redactor { return o.Redactor.With(secrets...) })
	// The command's stderr, capped, redacted and terminal-safe: it goes into
	// exactly one error.
	errText := func() string {
		s := strings.TrimSpace(strings.ToValidUTF8(stderr.String(), "\ufffd"))
		if s == "" {
			return ""
		}
		s = ": " + SafeText(red().Redact(s))
		if stderr.dropped > 0 {
			s += fmt.Sprintf(" … (%d more bytes of stderr not shown)", stderr.dropped)
		}
		return s
	}
	switch {
	case context.Cause(ctx) == errCommandTimeout:
		return Token{}, fmt.Errorf("token command timed out after %s%s", o.Timeout, errText())
	case ctx.Err() != nil: // the caller gave up
		return Token{}, fmt.Errorf("token command interrupted: %w", ctx.Err())
	case err != nil:
		return Token{}, fmt.Errorf("token command failed (%s)%s", SafeText(red().Redact(err.Error())), errText())
	case stdout.dropped > 0:
		return Token{}, fmt.Errorf("token command printed %d bytes on stdout, more than the %d allowed; it must print only the access token", int64(stdout.buf.Len())+stdout.dropped, maxCommandOutput)
	case out == "":
		return Token{}, fmt.Errorf("token command printed nothing on stdout%s; it must print the access token", errText())
	}
	now := o.Now()
	if strings.HasPrefix(out, "{") {
		if apiErr, ok := ParseAPIError([]byte(out)); ok && apiErr != nil {
			apiErr.Endpoint = "token command"
			return Token{}, apiErr
		}
		var ans struct {
			AccessToken string    `json:"access_token"`
			ExpiresIn   expiresIn `json:"expires_in"`
		}
		if err := json.Unmarshal([]byte(out), &ans); err != nil || ans.AccessToken == "" {
			return Token{}, errors.New(`token command printed JSON without "access_token"; print the bare token or {"access_token":"…","expires_in":7200}`)
		}
		t := Token{Value: ans.AccessToken, Source: SourceCommand, Obtained: now}
		if ans.ExpiresIn > 0 {
			t.Expires = now.Add(min(time.Duration(min(int64(ans.ExpiresIn), 1<<32))*time.Second, maxTokenLife))
		}
		return t, nil
	}
	if strings.ContainsAny(out, " \t\r\n") {
		return Token{}, errors.New("token command printed several words or lines; it must print only the access token")
	}
	return Token{Value: out, Source: SourceCommand, Obtained: now}, nil
}
