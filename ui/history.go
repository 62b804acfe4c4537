package ui

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"wxacode/atomicfile"
	"wxacode/codeimage"
	"wxacode/wechat"
)

// historyEntry is one generated code. The image lives in a file beside the
// index; Data is filled when loaded.
type historyEntry struct {
	Time    time.Time     `json:"time"`
	Params  wechat.Params `json:"params"`
	Format  wechat.Format `json:"format"`
	Width   int           `json:"width"`
	Height  int           `json:"height"`
	Bytes   int           `json:"bytes"`
	SHA256  string        `json:"sha256"`
	File    string        `json:"file"`
	NumUsed int           `json:"num_used"`
	Elapsed time.Duration `json:"elapsed_ns"`
	Data    []byte        `json:"-"`
}

// entry is the history's entry for s, generated at at.
func (s *shownCode) entry(at time.Time) historyEntry {
	c := s.code
	return historyEntry{Time: at, Params: s.params, Format: c.Format, Width: c.Width, Height: c.Height,
		Bytes: len(c.Bytes), SHA256: s.sha, File: s.sha[:16] + c.Format.Ext(), NumUsed: c.NumUsed,
		Elapsed: c.Elapsed, Data: c.Bytes}
}

func (e historyEntry) job() saveJob {
	return saveJob{Data: e.Data, Params: e.Params, Format: e.Format, Width: e.Width, Height: e.Height,
		NumUsed: e.NumUsed, Generated: e.Time}
}

// addEntry puts e first and keeps at most limit entries.
func addEntry(list []historyEntry, e historyEntry, limit int) []historyEntry {
	out := make([]historyEntry, 0, min(len(list)+1, limit))
	out = append(out, e)
	for _, old := range list {
		if len(out) == limit {
			break
		}
		out = append(out, old)
	}
	return out
}

const historyIndex = "history.json"

// loadHistory reads the index and the images it names; entries whose image
// is gone are dropped rather than failing the whole history.
func loadHistory(dir string) ([]historyEntry, error) {
	raw, err := os.ReadFile(filepath.Join(dir, historyIndex))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var list []historyEntry
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, errors.New("history index is damaged; it will be rewritten on the next code: " + err.Error())
	}
	out := list[:0]
	for _, e := range list {
		if strings.ContainsAny(e.File, `/\`) || e.File == "" {
			continue
		}
		data, err := codeimage.ReadFile(filepath.Join(dir, e.File)) // bounded; no pipe or device
		if err != nil {
			continue
		}
		e.Data = data
		out = append(out, e)
	}
	return out, nil
}

// storeHistory writes new images, the index, and removes images no entry names.
func storeHistory(dir string, list []historyEntry) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	keep := map[string]bool{historyIndex: true}
	for _, e := range list {
		keep[e.File] = true
		if e.Data == nil {
			continue
		}
		if err := atomicfile.WriteNew(filepath.Join(dir, e.File), e.Data, 0o600); err != nil && !isExists(err) {
			return err
		}
	}
	idx, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, historyIndex), idx, 0o600); err != nil {
		return err
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, de := range ents {
		if !keep[de.Name()] && !strings.HasPrefix(de.Name(), ".") && !de.IsDir() {
			os.Remove(filepath.Join(dir, de.Name()))
		}
	}
	return nil
}

// historyWriter puts the history's writes in order. Each code's write is
// its own command and commands run at once: an older list written after a
// newer one would lose the newer entry, and delete its image as one no
// entry names.
type historyWriter struct {
	mu      sync.Mutex
	written int // the newest version on disk
}

// store writes version seq of the list, unless a newer one is there.
func (w *historyWriter) store(seq int, dir string, list []historyEntry) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if seq <= w.written {
		return nil
	}
	w.written = seq
	return storeHistory(dir, list)
}
