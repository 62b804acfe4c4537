package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// MaxNameBytes is the longest file name component most file systems take
// (NAME_MAX on Linux, ext4, APFS, NTFS in UTF-16 units).
const MaxNameBytes = 255

// ErrNotRegular marks a target that exists but is not a regular file: a
// folder, device, named pipe or socket (or a symbolic link to one).
var ErrNotRegular = errors.New("not a regular file")

// ErrBadName marks a target whose name no file system takes.
var ErrBadName = errors.New("not a valid file name")

// ErrUnwritable marks a target whose folder cannot take a new file.
var ErrUnwritable = errors.New("folder is not writable")

// TargetError says why path cannot be written as a file, and how to fix it.
type TargetError struct {
	Path   string
	Reason string // what is wrong and what to do, for people
	Err    error  // ErrNotRegular, ErrBadName, ErrUnwritable or an fs error
}

func (e *TargetError) Error() string { return e.Path + ": " + e.Reason }
func (e *TargetError) Unwrap() error { return e.Err }

// CheckTarget says whether path can be written as a code file, before any
// quota is spent making one: the name is valid, the target is missing or a
// regular file (symbolic links followed to the end), and its folder takes a
// new file (tried for real, since permission bits say nothing about root or
// a read-only mount). WriteFile and WriteNew check the kind again, so no
// caller can write through a device or a pipe by forgetting this.
func CheckTarget(path string) error {
	real, err := resolve(path)
	if err != nil {
		return err
	}
	dir := filepath.Dir(real)
	f, err := os.CreateTemp(dir, ".wxacode-probe-*.tmp")
	if err != nil {
		return &TargetError{Path: path, Err: ErrUnwritable,
			Reason: fmt.Sprintf("cannot create a file in the folder %s (%v): choose a folder you can write to", dir, unwrapPath(err))}
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return nil
}

// resolve returns the path a write to path lands on: path itself when it
// does not exist, else the end of its symbolic links, which must be a
// regular file. Writing there (not replacing the link) keeps a link the
// user made, and never turns /dev/stdout's link into a file.
func resolve(path string) (string, error) {
	if err := checkName(path); err != nil {
		return "", err
	}
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil {
		return "", &TargetError{Path: path, Err: err, Reason: fmt.Sprintf("the folder %s does not exist; create it first", dir)}
	} else if !st.IsDir() {
		return "", &TargetError{Path: path, Err: ErrNotRegular, Reason: fmt.Sprintf("%s is not a folder", dir)}
	}
	lst, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return path, nil
	}
	if err != nil {
		return "", &TargetError{Path: path, Err: err, Reason: unwrapPath(err).Error()}
	}
	if lst.Mode()&fs.ModeSymlink == 0 {
		if !lst.Mode().IsRegular() {
			return "", notRegular(path, path, lst.Mode())
		}
		return path, nil
	}
	// Stat, not EvalSymlinks, says what a link leads to: /dev/stdout's
	// /proc/self/fd/1 leads to "pipe:[…]", which is no path but is a pipe.
	st, err := os.Stat(path)
	if err != nil {
		return "", &TargetError{Path: path, Err: ErrNotRegular,
			Reason: "a symbolic link that leads nowhere; remove it or point it at a regular file"}
	}
	real, rerr := filepath.EvalSymlinks(path)
	if !st.Mode().IsRegular() {
		if rerr != nil {
			real, _ = os.Readlink(path)
		}
		return "", notRegular(path, real, st.Mode())
	}
	if rerr != nil {
		return "", &TargetError{Path: path, Err: ErrNotRegular,
			Reason: fmt.Sprintf("a symbolic link to a file that has no path (%v); give a regular file's own name", unwrapPath(rerr))}
	}
	return real, nil
}

// notRegular explains a target of the wrong kind.
func notRegular(path, real string, m fs.FileMode) error {
	what := Kind(m)
	if real != path {
		what = "a symbolic link to " + what + " (" + real + ")"
	}
	fix := "give the name of a new or regular file"
	if m.IsDir() {
		fix = "give a file name such as " + filepath.Join(path, "code.jpg")
	}
	return &TargetError{Path: path, Err: ErrNotRegular,
		Reason: fmt.Sprintf("that is %s; wxacode writes only new or regular files: %s", what, fix)}
}

// Kind names a file mode's kind for messages ("a folder", "a named pipe (FIFO)").
func Kind(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return "a regular file"
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "not a regular file"
}

// checkName refuses names no file system takes; each component is checked,
// since a long folder name fails the same way after the call.
func checkName(path string) error {
	if path == "" {
		return &TargetError{Path: path, Err: ErrBadName, Reason: "the file name is empty"}
	}
	if strings.ContainsRune(path, 0) {
		return &TargetError{Path: path, Err: ErrBadName, Reason: "the file name holds a NUL byte"}
	}
	base := filepath.Base(path)
	if base == "." || base == ".." || strings.HasSuffix(path, string(filepath.Separator)) {
		return &TargetError{Path: path, Err: ErrNotRegular, Reason: "that is a folder; give a file name such as " + filepath.Join(path, "code.jpg")}
	}
	for part := range strings.SplitSeq(filepath.ToSlash(path), "/") {
		if len(part) > MaxNameBytes {
			return &TargetError{Path: path, Err: ErrBadName,
				Reason: fmt.Sprintf("the name %q is %d bytes; file systems take at most %d: shorten it", shorten(part), len(part), MaxNameBytes)}
		}
	}
	return nil
}

// shorten keeps a message about a long name readable.
func shorten(s string) string {
	const keep = 40
	if len(s) <= keep {
		return s
	}
	cut := keep
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// tempPattern is the temporary name beside base: a long base is cut so the
// temporary name also fits in MaxNameBytes (CreateTemp adds up to 10 digits).
func tempPattern(base string) string {
	const room = MaxNameBytes - len("."+"."+".tmp") - 10 // "." base "." digits ".tmp"
	if len(base) > room {
		cut := room
		for cut > 0 && !utf8.RuneStart(base[cut]) {
			cut--
		}
		base = base[:cut]
	}
	return "." + base + ".*.tmp"
}

// unwrapPath drops the *PathError's own copy of the path, which the messages
// already name.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// CheckKind is CheckTarget without trying the folder: the name is valid and
// the target is missing or a regular file. For many files in one folder, whose
// writability is known another way.
func CheckKind(path string) error {
	_, err := resolve(path)
	return err
}

// TempBase reports whether name is a temporary file of WriteFile or WriteNew
// ("." base "." up to 10 digits ".tmp", as CreateTemp names them) and for
// which base: a folder's cleaner can then remove only the temporaries of
// files it writes, never a user's own hidden file.
func TempBase(name string) (base string, ok bool) {
	rest, found := strings.CutSuffix(name, ".tmp")
	if !found || !strings.HasPrefix(rest, ".") {
		return "", false
	}
	dot := strings.LastIndexByte(rest, '.')
	digits := rest[dot+1:]
	if dot < 2 || len(digits) == 0 || len(digits) > 10 || strings.Trim(digits, "0123456789") != "" {
		return "", false
	}
	return rest[1:dot], true
}
