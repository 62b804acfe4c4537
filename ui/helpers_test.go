package ui

import (
	"context"
	"image/color"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"

	"wxacode/internal/testimage"
	"wxacode/wechat"
)

// keypress builds the message for one key, as huh_test.go does.
func keypress(s string) tea.KeyPressMsg {
	switch s {
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "f1":
		return tea.KeyPressMsg{Code: tea.KeyF1}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	}
	if rest, ok := strings.CutPrefix(s, "ctrl+"); ok {
		return tea.KeyPressMsg{Code: rune(rest[0]), Mod: tea.ModCtrl}
	}
	if rest, ok := strings.CutPrefix(s, "alt+"); ok {
		return tea.KeyPressMsg{Code: rune(rest[0]), Mod: tea.ModAlt}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// send feeds msgs to m, running the commands they return to completion (run).
func send(t testing.TB, m *Model, msgs ...tea.Msg) *Model {
	t.Helper()
	for _, msg := range msgs {
		tm, cmd := m.Update(msg)
		m = run(t, tm.(*Model), cmd)
	}
	return m
}

func press(t *testing.T, m *Model, keys ...string) *Model {
	t.Helper()
	for _, k := range keys {
		m = send(t, m, keypress(k))
	}
	return m
}

// typeScene focuses the scene field and types s into it.
func typeScene(t *testing.T, m *Model, s string) *Model {
	t.Helper()
	return typeText(t, focusField(t, m, "scene"), s)
}

func typeText(t *testing.T, m *Model, s string) *Model {
	t.Helper()
	for _, r := range s {
		m = send(t, m, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return m
}

// run executes cmd as the program loop would, to completion, and feeds every
// message it yields through m's Update, running the commands that returns in
// turn. m's timers (Deps.After) must be the test's virtual time (testDeps).
func run(t testing.TB, m *Model, cmd tea.Cmd) *Model {
	t.Helper()
	r := newRunner(t, m.deps.After)
	r.deliver = func(msg tea.Msg) {
		tm, next := m.Update(msg)
		m = tm.(*Model)
		r.start(next, nil)
	}
	r.run(cmd)
	return m
}

// collect executes cmd to completion (run) and returns its messages, for a
// test to look at before, or instead of, giving them to Update.
func collect(t testing.TB, cmd tea.Cmd) []tea.Msg {
	t.Helper()
	var out []tea.Msg
	r := newRunner(t, virtual.After)
	r.deliver = func(msg tea.Msg) { out = append(out, msg) }
	r.run(cmd)
	return out
}

// runner runs commands the way the Bubble Tea program does: each in its own
// goroutine, a batch's at once, a sequence's one after the other (the next
// starts once the one before has answered, its batches included, and that
// answer has been delivered), and it delivers their messages one at a time,
// in the order they come. Timers wait on the test's virtual time, which
// moves on only when every command still running is waiting on it: a
// debounce or a rate's minute costs no real time, and nothing is dropped.
type runner struct {
	t       testing.TB
	clock   *virtualTime
	deliver func(tea.Msg)
	answers chan cmdAnswer
	running int // commands started whose answer has not come
	msgs    int // messages delivered, against commands that never stop
}

// cmdAnswer is what a command returned; g is the group it belongs to.
type cmdAnswer struct {
	msg tea.Msg
	g   *group
}

// group is what a sequence waits for before its next command: the command
// before it and the commands of the batches that one returned.
type group struct {
	left int
	done func()
}

// maxMessages bounds a run: more means a command that keeps re-arming.
const maxMessages = 10000

func newRunner(t testing.TB, after func(time.Duration) <-chan time.Time) *runner {
	t.Helper()
	if after == nil {
		t.Fatal("the model's timers are real (Deps.After is nil): build its Deps with testDeps")
	}
	return &runner{t: t, clock: virtual, answers: make(chan cmdAnswer)}
}

func (r *runner) run(cmd tea.Cmd) {
	r.t.Helper()
	if !r.clock.attach(true) {
		r.t.Fatal("a run inside a run, or tests in parallel: the virtual time has one runner at a time")
	}
	defer r.clock.attach(false)
	r.start(cmd, nil)
	for r.running > 0 {
		if n := r.clock.waiting(); n > 0 && n == r.running {
			r.clock.fire() // everything still running waits for a timer: the earliest is due
		}
		select {
		case a := <-r.answers:
			r.running--
			r.handle(a.msg, a.g)
			r.finish(a.g)
		case <-r.clock.set: // a command started waiting: look again
		}
	}
}

func (r *runner) start(cmd tea.Cmd, g *group) {
	if cmd == nil {
		return
	}
	if g != nil {
		g.left++
	}
	r.running++
	go func() { r.answers <- cmdAnswer{cmd(), g} }()
}

func (r *runner) handle(msg tea.Msg, g *group) {
	r.t.Helper()
	if msg == nil {
		return
	}
	if b, ok := msg.(tea.BatchMsg); ok {
		for _, c := range b {
			r.start(c, g)
		}
		return
	}
	if cmds, ok := sequenceOf(msg); ok {
		r.sequence(cmds, g)
		return
	}
	if r.msgs++; r.msgs > maxMessages {
		r.t.Fatalf("more than %d messages from one command: one that keeps re-arming? last: %T", maxMessages, msg)
	}
	r.deliver(msg)
}

// sequence runs cmds one after the other, within the group g of the
// command that returned it.
func (r *runner) sequence(cmds []tea.Cmd, g *group) {
	if g != nil {
		g.left++
	}
	var next func(i int)
	next = func(i int) {
		for i < len(cmds) && cmds[i] == nil {
			i++
		}
		if i == len(cmds) {
			r.finish(g)
			return
		}
		r.start(cmds[i], &group{done: func() { next(i + 1) }})
	}
	next(0)
}

// finish is one command (or sequence) of g done.
func (r *runner) finish(g *group) {
	if g == nil {
		return
	}
	if g.left--; g.left == 0 {
		g.done()
	}
}

// sequenceType is the type of tea.Sequence's message, which tea keeps unexported.
var sequenceType = reflect.TypeOf(tea.Sequence(func() tea.Msg { return nil }, func() tea.Msg { return nil })())

func sequenceOf(msg tea.Msg) ([]tea.Cmd, bool) {
	if reflect.TypeOf(msg) != sequenceType {
		return nil, false
	}
	return reflect.ValueOf(msg).Convert(reflect.TypeFor[[]tea.Cmd]()).Interface().([]tea.Cmd), true
}

// virtualTime is Deps.After in tests and benchmarks: timers on a clock of
// their own. While a runner runs, the clock moves only when every command
// still running waits on it, straight to the earliest deadline (on a tie
// the timer set first), so ticks fire in order and cost no real time. A
// timer set with no runner running (a test calling a command itself) is
// due at once: nothing else is running for it to wait for.
type virtualTime struct {
	mu       sync.Mutex
	now      time.Time
	timers   []virtualTimer // in the order they were set
	attached bool           // a runner is running
	set      chan struct{}  // a timer was set: the runner looks again
}

type virtualTimer struct {
	at time.Time
	ch chan time.Time
}

// virtual is the timer of testDeps' designers (Deps.After), shared by the
// package's tests, which run one at a time (none is parallel).
var virtual = &virtualTime{now: testNow, set: make(chan struct{}, 1)}

// After is Deps.After.
func (v *virtualTime) After(d time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.attached {
		v.now = v.now.Add(max(d, 0))
		ch <- v.now
		return ch
	}
	v.timers = append(v.timers, virtualTimer{at: v.now.Add(d), ch: ch})
	select {
	case v.set <- struct{}{}:
	default:
	}
	return ch
}

// Now is the virtual time's clock, for a Deps.Now that moves with the timers.
func (v *virtualTime) Now() time.Time {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.now
}

// attach marks a runner running (on) or done; false when one already is.
func (v *virtualTime) attach(on bool) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	if on && v.attached {
		return false
	}
	v.attached = on
	return true
}

// waiting is the number of timers set and not fired.
func (v *virtualTime) waiting() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return len(v.timers)
}

// fire moves the clock to the earliest timer and fires it.
func (v *virtualTime) fire() {
	v.mu.Lock()
	defer v.mu.Unlock()
	first := 0
	for i, tm := range v.timers {
		if tm.at.Before(v.timers[first].at) {
			first = i
		}
	}
	tm := v.timers[first]
	v.timers = slices.Delete(v.timers, first, first+1)
	if tm.at.After(v.now) {
		v.now = tm.at
	}
	tm.ch <- v.now
}

func viewOf(m *Model) string { return ansi.Strip(m.View().Content) }

// fakeWeChat behaves like the simulator for what these tests need: a QR
// image for valid requests, 41030 for unpublished pages with check_path on.
type fakeWeChat struct {
	mu       sync.Mutex
	released map[string]bool
	calls    []wechat.Request
	hang     bool // answer only when the request's context ends
}

func newFake() *fakeWeChat {
	return &fakeWeChat{released: map[string]bool{"": true, "pages/index/index": true}}
}

func (f *fakeWeChat) Get(ctx context.Context, req wechat.Request) (*wechat.Code, error) {
	f.mu.Lock()
	f.calls = append(f.calls, req)
	hang := f.hang
	f.mu.Unlock()
	if err := req.Validate(); err != nil {
		return nil, err
	}
	if hang {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	p := wechat.ParamsOf(req)
	content := "https://sim.wxacode.invalid/" + p.Path
	if p.Kind == wechat.KindUnlimited {
		if (p.CheckPath == nil || *p.CheckPath) && !f.released[p.Page] {
			return nil, &wechat.APIError{Code: 41030, Msg: "invalid page", RID: "663b1af7-1f2e3d4c-5b6a7988",
				Time: wechat.RIDTime("663b1af7-1f2e3d4c-5b6a7988"), Endpoint: p.Kind.Path()}
		}
		env := p.EnvVersion
		if env == "" {
			env = "release"
		}
		content = "https://sim.wxacode.invalid/" + env + "/" + p.Page + "?scene=" + p.Scene
	}
	w := p.Width
	if w == 0 {
		w = wechat.DefaultWidth
	}
	black, white := color.NRGBA{0, 0, 0, 255}, color.NRGBA{255, 255, 255, 255}
	data := testimage.PNG(testimage.QRSized(content, w, black, white))
	return &wechat.Code{Bytes: data, Format: wechat.FormatPNG, Width: w, Height: w, ContentType: "image/jpeg",
		NumUsed: -1, Received: time.Date(2026, 11, 23, 21, 0, 0, 0, time.UTC), Elapsed: 12 * time.Millisecond}, nil
}

func (f *fakeWeChat) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

// testNow is the time by testDeps' clock, which stands still.
var testNow = time.Date(2026, 11, 23, 21, 30, 0, 0, time.UTC)

// testDeps is a designer on the fake, with a fixed clock, its timers on the
// test's virtual time (run) and no environment.
func testDeps(t testing.TB, g Generator) Deps {
	t.Helper()
	return Deps{
		Generator:   g,
		OnSim:       true,
		AppID:       "wxsim0000000000000",
		TokenSource: "fixed",
		SaveDir:     t.TempDir(),
		StateDir:    t.TempDir(),
		Graphics:    "blocks",
		Debounce:    5 * time.Millisecond,
		StatusTTL:   -1,
		Initial:     wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index"},
		Now:         func() time.Time { return testNow },
		After:       virtual.After,
	}
}

func sized(t testing.TB, m *Model, w, h int) *Model {
	return send(t, m, tea.WindowSizeMsg{Width: w, Height: h})
}

// cellSizeReply is the terminal's answer to CSI 16 t as the designer gets it.
func cellSizeReply(w, h int) tea.Msg { return uv.CellSizeEvent{Width: w, Height: h} }
