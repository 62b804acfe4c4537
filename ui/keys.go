package ui

import (
	"fmt"

	"charm.land/bubbles/v2/key"
)

// KeyMap is every key the designer answers to. updateKeys enables them by
// state, so the help footer only ever lists keys that work right now.
type KeyMap struct {
	Next, Prev     key.Binding
	Generate, Save key.Binding
	Help, Quit     key.Binding
	CloseHelp      key.Binding // esc while the full help is open

	Preview, Hint, Scene, Request, History key.Binding
	Background                             key.Binding

	CopyCurl, CopyCloud, CopyLaunch, CopyScene key.Binding
	Fix                                        key.Binding // alt+1 … alt+N: one key for each fix in the Hint pane

	// Scrolling the text panes.
	ScrollUp, ScrollDown key.Binding

	// Moving between fields with the arrows (outside the history list).
	FieldUp, FieldDown key.Binding

	// History pane.
	Up, Down, Pick, Compare key.Binding
	Load                    key.Binding // the selected entry back into the form
}

// DefaultKeyMap returns the designer's keys. Pane and copy keys use alt and F
// keys because every printable character belongs to the form.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Next:     key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field")),
		Prev:     key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous field")),
		Generate: key.NewBinding(key.WithKeys("ctrl+g"), key.WithHelp("ctrl+g", "generate")),
		Save:     key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save")),
		// "?" is also a scene and path character, so inside those fields F1 is the way.
		Help:      key.NewBinding(key.WithKeys("?", "f1"), key.WithHelp("?/f1", "help")),
		Quit:      key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		CloseHelp: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close help")),

		Preview:    key.NewBinding(key.WithKeys("alt+p", "f2"), key.WithHelp("alt+p", "preview")),
		Hint:       key.NewBinding(key.WithKeys("alt+h", "f3"), key.WithHelp("alt+h", "hint")),
		Scene:      key.NewBinding(key.WithKeys("alt+s", "f4"), key.WithHelp("alt+s", "scene")),
		Request:    key.NewBinding(key.WithKeys("alt+r", "f5"), key.WithHelp("alt+r", "request")),
		History:    key.NewBinding(key.WithKeys("alt+y", "f6"), key.WithHelp("alt+y", "history")),
		Background: key.NewBinding(key.WithKeys("alt+b"), key.WithHelp("alt+b", "white/checker")),

		CopyCurl:   key.NewBinding(key.WithKeys("alt+c"), key.WithHelp("alt+c", "copy curl")),
		CopyCloud:  key.NewBinding(key.WithKeys("alt+f"), key.WithHelp("alt+f", "copy cloud function")),
		CopyLaunch: key.NewBinding(key.WithKeys("alt+l"), key.WithHelp("alt+l", "copy DevTools param")),
		CopyScene:  key.NewBinding(key.WithKeys("alt+x"), key.WithHelp("alt+x", "copy scene")),
		Fix:        key.NewBinding(key.WithKeys(fixKeys(maxFixes)...), key.WithHelp("alt+1…", "apply fix")),

		ScrollUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "scroll up")),
		ScrollDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "scroll down")),

		Up:      key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", "newer")),
		Down:    key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", "older")),
		Pick:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "preview entry")),
		Compare: key.NewBinding(key.WithKeys("alt+m"), key.WithHelp("alt+m", "mark to compare")),
		Load:    key.NewBinding(key.WithKeys("alt+e"), key.WithHelp("alt+e", "load into form")),

		FieldUp:   key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "previous field")),
		FieldDown: key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "next field")),
	}
}

// maxFixes is how many one-key fixes get a key.
const maxFixes = 9

// fixKeys are alt+1 … alt+n.
func fixKeys(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("alt+%d", i+1)
	}
	return out
}

// setFixes gives the Fix binding one key for each of n fixes, and help that
// says as much: "alt+1" for one, "alt+1…3" for three.
func (k *KeyMap) setFixes(n int) {
	n = min(n, maxFixes)
	k.Fix.SetEnabled(n > 0)
	if n == 0 {
		k.Fix.SetHelp("alt+1…", "apply fix")
		return
	}
	k.Fix.SetKeys(fixKeys(n)...)
	if n == 1 {
		k.Fix.SetHelp("alt+1", "apply the fix")
	} else {
		k.Fix.SetHelp(fmt.Sprintf("alt+1…%d", n), "apply fix")
	}
}

// helpMap is what the help shows: the designer's keys, the focused
// field's and the open prompt's. The short help lists what works now; the
// full help every key there is, so none stays unknown because it does
// nothing at the moment.
type helpMap struct {
	k     KeyMap
	p     promptKeyMap
	field []key.Binding
}

// ShortHelp implements help.KeyMap.
func (h helpMap) ShortHelp() []key.Binding {
	k, p := h.k, h.p
	return []key.Binding{p.Accept, p.Yes, p.Cancel, k.Generate, k.Save, k.Fix, k.Next, k.Pick, k.Load, k.Help, k.Quit}
}

// FullHelp implements help.KeyMap.
func (h helpMap) FullHelp() [][]key.Binding {
	k, p := h.k, h.p
	all := func(bs ...key.Binding) []key.Binding {
		for i := range bs {
			bs[i].SetEnabled(true)
		}
		return bs
	}
	// Every key of the designer is listed, working now or not; a prompt's
	// only while it is open. Three columns fit 80 cells.
	cols := [][]key.Binding{
		all(append([]key.Binding{k.Next, k.Prev, k.FieldUp, k.FieldDown}, append(h.field, k.Generate, k.Save)...)...),
		all(k.Preview, k.Hint, k.Scene, k.Request, k.History, k.Background, k.ScrollUp, k.ScrollDown, k.Fix),
		append([]key.Binding{p.Accept, p.Yes, p.Cancel},
			all(k.CopyCurl, k.CopyCloud, k.CopyLaunch, k.CopyScene, k.Up, k.Down, k.Pick, k.Compare, k.Load, k.Help, k.Quit)...),
	}
	return cols
}
