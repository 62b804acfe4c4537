package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// mode is what the keyboard is doing besides editing the form.
type mode int

const (
	modeEdit             mode = iota
	modeConfirmLimited        // y/n before a call that spends the lifetime pool
	modeSaveName              // the file-name prompt
	modeConfirmOverwrite      // the file exists: y/n
)

// promptKeyMap answers a prompt.
type promptKeyMap struct {
	Accept, Yes, Cancel key.Binding
}

func defaultPromptKeyMap() promptKeyMap {
	return promptKeyMap{
		Accept: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "accept")),
		Yes:    key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "yes")),
		Cancel: key.NewBinding(key.WithKeys("esc", "n", "N"), key.WithHelp("esc/n", "cancel")),
	}
}

// promptMsg is a prompt's answer: accepted or not, and for the name
// prompt the name (trimmed).
type promptMsg struct {
	mode     mode
	accepted bool
	value    string
}

// prompt is the confirmation before a limited call and the save prompt
// (a name, then overwrite y/n when the file exists). It takes the keyboard
// while open and answers with a promptMsg.
type prompt struct {
	mode  mode
	input textinput.Model
	job   saveJob
	keys  promptKeyMap
}

func newPrompt() prompt {
	in := textinput.New()
	in.Prompt = "save as: "
	in.CharLimit = 4096
	p := prompt{input: in, keys: defaultPromptKeyMap()}
	p.updateKeys()
	return p
}

func (p prompt) open() bool { return p.mode != modeEdit }

// ConfirmLimited opens the y/n before a limited call.
func (p *prompt) ConfirmLimited() {
	p.mode = modeConfirmLimited
	p.updateKeys()
}

// AskName opens the save prompt with a proposed name.
func (p *prompt) AskName(name string, job saveJob) tea.Cmd {
	p.job = job
	p.input.SetValue(name)
	p.input.CursorEnd()
	p.mode = modeSaveName
	p.updateKeys()
	return p.input.Focus()
}

// AskOverwrite turns the name prompt into the overwrite y/n.
func (p *prompt) AskOverwrite() {
	p.mode = modeConfirmOverwrite
	p.updateKeys()
}

// BackToName reopens the name prompt (after a failed save).
func (p *prompt) BackToName() {
	p.mode = modeSaveName
	p.updateKeys()
}

// Close gives the keyboard back to the form.
func (p *prompt) Close() {
	p.mode = modeEdit
	p.input.Blur()
	p.updateKeys()
}

func (p *prompt) updateKeys() {
	p.keys.Accept.SetEnabled(p.mode == modeSaveName)
	p.keys.Yes.SetEnabled(p.mode == modeConfirmLimited || p.mode == modeConfirmOverwrite)
	if p.mode == modeConfirmLimited {
		p.keys.Yes.SetKeys("y", "Y", "enter") // the pane says "y / enter generate"
	} else {
		p.keys.Yes.SetKeys("y", "Y")
	}
	p.keys.Cancel.SetEnabled(p.mode != modeEdit)
	if p.mode == modeSaveName {
		p.keys.Cancel.SetKeys("esc")
		p.keys.Cancel.SetHelp("esc", "cancel")
	} else {
		p.keys.Cancel.SetKeys("esc", "n", "N")
		p.keys.Cancel.SetHelp("esc/n", "cancel")
	}
}

func answer(m mode, accepted bool, value string) tea.Cmd {
	return func() tea.Msg { return promptMsg{mode: m, accepted: accepted, value: value} }
}

// Update handles a message while the prompt is open.
func (p prompt) Update(msg tea.Msg) (prompt, tea.Cmd) {
	k, isKey := msg.(tea.KeyPressMsg)
	switch p.mode {
	case modeConfirmLimited:
		switch {
		case isKey && key.Matches(k, p.keys.Yes):
			p.Close()
			return p, answer(modeConfirmLimited, true, "")
		case isKey && key.Matches(k, p.keys.Cancel):
			p.Close()
			return p, answer(modeConfirmLimited, false, "")
		}
		return p, nil
	case modeSaveName:
		switch {
		case isKey && key.Matches(k, p.keys.Accept):
			return p, answer(modeSaveName, true, strings.TrimSpace(p.input.Value()))
		case isKey && key.Matches(k, p.keys.Cancel):
			p.Close()
			return p, answer(modeSaveName, false, "")
		}
		if pm, ok := msg.(tea.PasteMsg); ok {
			pm.Content = strings.TrimRight(pm.Content, "\r\n")
			msg = pm
		}
		var cmd tea.Cmd
		p.input, cmd = p.input.Update(msg)
		return p, cmd
	case modeConfirmOverwrite:
		switch {
		case isKey && key.Matches(k, p.keys.Yes):
			p.BackToName()
			return p, answer(modeConfirmOverwrite, true, strings.TrimSpace(p.input.Value()))
		case isKey && key.Matches(k, p.keys.Cancel):
			p.BackToName() // back to the prompt to pick another name
			return p, nil
		}
	}
	return p, nil
}

// View is the prompt's line (it takes the status line's place); "" when
// it has none (the limited confirmation is drawn in the pane).
func (p prompt) View(s Styles) string {
	switch p.mode {
	case modeSaveName:
		return p.input.View()
	case modeConfirmOverwrite:
		return s.Warn.Render(fmt.Sprintf("%s exists. Overwrite it (and its .json)? y / n", p.input.Value()))
	}
	return ""
}
