package wechat

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strings"
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
	return newCachedSource(SourceCommand, "", "", o.Now, o.Redactor, fetch)
}

// limitedBuffer keeps at most max bytes and remembers that more came.
type limitedBuffer struct {
	bytes.Buffer
	max      int
	overflow bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); len(p) > room {
		b.overflow = true
		if room > 0 {
			b.Buffer.Write(p[:room])
		}
		return len(p), nil
	}
	return b.Buffer.Write(p)
}

func runTokenCommand(ctx context.Context, command string, o TokenOptions) (Token, error) {
	if strings.TrimSpace(command) == "" {
		return Token{}, errors.New("token command is empty: set token_command (or WXACODE_TOKEN_CMD) to a command that prints the access token")
	}
	ctx, cancel := context.WithTimeoutCause(ctx, o.Timeout, errCommandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", command)
	stdout := &limitedBuffer{max: maxCommandOutput}
	stderr := &limitedBuffer{max: 4 << 10}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	// A grandchild holding the pipes open must not outlive the timeout.
	cmd.WaitDelay = time.Second
	killGroup(cmd)
	err := cmd.Run()
	out := strings.TrimSpace(stdout.String())
	// Whatever the command printed may be a token: keep it out of every message.
	secrets := append([]string{out}, strings.Fields(out)...)
	errText := func() string {
		s := strings.TrimSpace(stderr.String())
		if s == "" {
			return ""
		}
		return ": " + redactValues(s, secrets...)
	}
	switch {
	case context.Cause(ctx) == errCommandTimeout:
		return Token{}, fmt.Errorf("token command timed out after %s%s", o.Timeout, errText())
	case ctx.Err() != nil: // the caller gave up
		return Token{}, fmt.Errorf("token command interrupted: %w", ctx.Err())
	case err != nil:
		return Token{}, fmt.Errorf("token command failed (%s)%s", redactValues(err.Error(), secrets...), errText())
	case stdout.overflow:
		return Token{}, fmt.Errorf("token command printed more than %d bytes; it must print only the access token", maxCommandOutput)
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
			AccessToken string `json:"access_token"`
			ExpiresIn   int64  `json:"expires_in"`
		}
		if err := json.Unmarshal([]byte(out), &ans); err != nil || ans.AccessToken == "" {
			return Token{}, errors.New(`token command printed JSON without "access_token"; print the bare token or {"access_token":"…","expires_in":7200}`)
		}
		t := Token{Value: ans.AccessToken, Source: SourceCommand, Obtained: now}
		if ans.ExpiresIn > 0 {
			t.Expires = now.Add(time.Duration(ans.ExpiresIn) * time.Second)
		}
		return t, nil
	}
	if strings.ContainsAny(out, " \t\r\n") {
		return Token{}, errors.New("token command printed several words or lines; it must print only the access token")
	}
	return Token{Value: out, Source: SourceCommand, Obtained: now}, nil
}
