package batch

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"wxacode/atomicfile"
	"wxacode/codefile"
)

// ManifestName is the manifest's file name inside the output folder.
const ManifestName = "manifest.jsonl"

// manifestState is what the manifest proves: the rows done, the files that
// no longer hold the code recorded for them, and where a torn last line starts.
type manifestState struct {
	done *keySet
	// swapped holds, by key, entries whose file is there but hashes to
	// something else: another file took its name, and it must be neither
	// re-blessed nor overwritten.
	swapped  map[uint64]codefile.ManifestEntry
	warnings []string
	cutAt    int64 // where to cut so the next append starts on a fresh line; -1 when whole
}

// loadManifest reads the manifest in dir (codefile.ReadManifest) and returns
// the keys of the rows it proves done: the entry parses and the file on disk
// still has its sha256. A torn last line (the process was killed mid-write)
// is ignored, whole or not, and its offset returned. Call it only while
// holding the folder's lock: another run's line half-written is not a torn
// line.
func loadManifest(dir string) (*manifestState, error) {
	st := &manifestState{done: &keySet{}, swapped: map[uint64]codefile.ManifestEntry{}, cutAt: -1}
	path := filepath.Join(dir, ManifestName)
	f, err := openRegular(path)
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	defer f.Close()
	warn := func(format string, args ...any) { st.warnings = append(st.warnings, fmt.Sprintf(format, args...)) }
	for l, err := range codefile.ReadManifest(f, path) {
		switch {
		case err != nil:
			return nil, fmt.Errorf("manifest: %w", err)
		case l.Torn:
			warn("%s line %d was cut short (an earlier run was killed while writing it); ignored", path, l.Line)
			st.cutAt = l.Start
			return st, nil
		case l.Err != nil:
			warn("%v; ignored", l.Err)
			continue
		}
		e := l.Entry
		key, perr := strconv.ParseUint(e.Key, 16, 64)
		if perr != nil {
			warn("%s line %d has no key of 16 hex digits (%q); ignored", path, l.Line, e.Key)
			continue
		}
		if ok, why := verifyFile(filepath.Join(dir, e.File), e.SHA256); !ok {
			if why == whyChanged {
				st.swapped[key] = e
				warn("%s line %d (%s): %s; that row fails: batch never overwrites it", path, l.Line, e.File, why)
				continue
			}
			warn("%s line %d (%s): %s; the row will be generated again", path, l.Line, e.File, why)
			continue
		}
		st.done.Add(key)
		delete(st.swapped, key) // a later line proves the row done after all
	}
	return st, nil
}

// whyChanged is verifyFile's answer for a file whose bytes are not the recorded ones.
const whyChanged = "the file changed since it was written (sha256 differs)"

// verifyFile checks that path exists and hashes to want.
func verifyFile(path, want string) (bool, string) {
	f, err := openRegular(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return false, "the file is missing"
		}
		return false, err.Error()
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return false, err.Error()
	}
	if hex.EncodeToString(h.Sum(nil)) != want {
		return false, whyChanged
	}
	return true, ""
}

// manifestWriter appends entries. Each line is written after its file is
// durable (atomicfile.WriteNew syncs the file and the folder), and the collector
// syncs the manifest whenever no other result is waiting: one fsync per row
// when rows trickle in, one per group when they arrive faster than a disk
// flush (group commit). A kill loses at most the unsynced tail of lines,
// whose files the next run adopts without a call (hash names) or regenerates.
type manifestWriter struct {
	f     *os.File
	dirty bool // lines written since the last Sync
}

// errLocked: another run holds the manifest.
var errLocked = errors.New("another wxacode batch is writing to this folder; wait for it to finish, or use another --out")

// openManifest opens the manifest for appending. The caller holds the
// folder's lock (lockFolder).
func openManifest(dir string) (*manifestWriter, error) {
	// OpenAppend refuses a pipe or a folder in the manifest's place instead
	// of waiting on it.
	f, _, err := atomicfile.OpenAppend(filepath.Join(dir, ManifestName), 0o644)
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	return &manifestWriter{f: f}, nil
}

// openRegular opens path for reading only when it is a regular file: opening
// a named pipe would wait for a writer that never comes.
func openRegular(path string) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is %s, not a file batch wrote: move it away", path, atomicfile.Kind(st.Mode()))
	}
	return os.Open(path)
}

// lockFolder takes the output folder's exclusive lock, so two runs cannot
// interleave in one folder: the manifest is read, repaired and appended to,
// and the other's temporary files removed, only under it. It returns nil, nil
// when the folder does not exist yet (nothing to read; lock it once made).
func lockFolder(dir string) (*os.File, error) {
	d, err := os.Open(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	if err := lockFile(d); err != nil {
		d.Close()
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	return d, nil
}

// removeTemps deletes the temporary files a killed run left behind: those of
// codes and of the failed-rows file, never visible under a final name, so
// nothing is lost. Any other hidden file is the user's and stays.
func removeTemps(dir string) (n int) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	for _, e := range ents {
		if e.Type().IsRegular() && ownTemp(e.Name()) && os.Remove(filepath.Join(dir, e.Name())) == nil {
			n++
		}
	}
	return n
}

// ownTemp reports whether name is the temporary file of a code or of the
// failed-rows file.
func ownTemp(name string) bool {
	base, ok := atomicfile.TempBase(name)
	if !ok {
		return false
	}
	switch strings.ToLower(filepath.Ext(base)) {
	case ".jpg", ".jpeg", ".png":
		return true
	}
	return strings.HasPrefix(base, "failed.")
}

func (m *manifestWriter) Append(e codefile.ManifestEntry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	// One write per line: O_APPEND makes it land whole after any earlier
	// line. A full disk can take part of it; the part is cut off again so
	// the manifest stays whole lines (the folder's lock makes this run its
	// only writer).
	end, serr := m.f.Seek(0, io.SeekEnd)
	if _, err := m.f.Write(append(b, '\n')); err != nil {
		if serr == nil {
			_ = m.f.Truncate(end)
		}
		return fmt.Errorf("manifest: %w", err)
	}
	m.dirty = true
	return nil
}

// Sync makes the lines written so far durable.
func (m *manifestWriter) Sync() error {
	if !m.dirty {
		return nil
	}
	m.dirty = false
	if err := m.f.Sync(); err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	return nil
}

// cut drops a torn last line, so the next entry starts on a line of its own.
func (m *manifestWriter) cut(at int64) error {
	if at < 0 {
		return nil
	}
	if err := m.f.Truncate(at); err != nil {
		return fmt.Errorf("manifest: repairing the cut-short last line: %w", err)
	}
	return m.f.Sync()
}

func (m *manifestWriter) Close() error { return m.f.Close() }
