package ui

import (
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"
)

// The test runner (run, collect) delivers what the program would, in the
// order it would: a sequence's messages one after the other, each once the
// batches before it are through; nested batches and sequences alike; and
// timers in deadline order, on virtual time, none dropped however long.
func TestRunnerOrder(t *testing.T) {
	now := func(s string) tea.Cmd { return func() tea.Msg { return s } }
	after := func(d time.Duration, s string) tea.Cmd {
		return timer(virtual.After).tick(d, func() tea.Msg { return s })
	}
	cases := []struct {
		name string
		cmd  tea.Cmd
		want []string
	}{
		{"a sequence in order", tea.Sequence(now("a"), now("b"), now("c")), []string{"a", "b", "c"}},
		{"a sequence waits for a timer", tea.Sequence(after(time.Second, "slow"), now("fast")), []string{"slow", "fast"}},
		{"a batch by deadline", tea.Batch(after(2*time.Second, "2s"), after(time.Second, "1s"), now("now")),
			[]string{"now", "1s", "2s"}},
		{"a batch in a sequence is waited for", tea.Sequence(tea.Batch(after(time.Second, "b1"), now("b0")), now("after")),
			[]string{"b0", "b1", "after"}},
		{"a sequence in a batch", tea.Batch(tea.Sequence(after(2*time.Second, "s1"), now("s2")), after(time.Second, "other")),
			[]string{"other", "s1", "s2"}},
		{"sequences nested", tea.Sequence(now("a"), tea.Sequence(after(time.Second, "b"), now("c")), now("d")),
			[]string{"a", "b", "c", "d"}},
		{"a batch in a batch", tea.Batch(tea.Batch(after(time.Second, "inner")), after(2*time.Second, "outer")),
			[]string{"inner", "outer"}},
		{"nothing dropped, an hour or a minute", tea.Batch(after(time.Hour, "hour"), after(time.Minute, "minute")),
			[]string{"minute", "hour"}},
		{"nil commands skipped", tea.Sequence(nil, now("a"), nil, tea.Batch(nil, now("b"))), []string{"a", "b"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, msg := range collect(t, c.cmd) {
				got = append(got, fmt.Sprint(msg))
			}
			assert.Equal(t, c.want, got)
		})
	}
}

// Through run, a sequence's messages reach Update one after the other:
// keys typed by a sequence land in its order, a late one included.
func TestRunSequenceThroughUpdate(t *testing.T) {
	m := focusField(t, newTest(t, newFake()), "scene")
	key := func(r rune) tea.Cmd { return func() tea.Msg { return tea.KeyPressMsg{Code: r, Text: string(r)} } }
	late := timer(virtual.After).tick(time.Second, key('b'))
	m = run(t, m, tea.Sequence(key('a'), late, tea.Batch(key('c')), key('d')))
	assert.Equal(t, "abcd", m.form.params().Scene)
}
