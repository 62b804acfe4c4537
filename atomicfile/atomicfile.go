// Package atomicfile writes code images and their companions so that no reader ever
// sees a half-written file: temp file in the same folder, fsync, rename, fsync
// of the folder. Every place that writes a code (get, the UI, batch) uses it.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrExists is returned by WriteNew when the target is already there.
var ErrExists = errors.New("file already exists")

// WriteFile atomically replaces path with data; an existing file keeps its
// mode (perm is for a new one) unless perm is private (no group or other
// bits), which always applies. On any error the target is untouched and no
// temporary file is left behind. A symbolic link is followed
// and the file it leads to replaced (the link stays); a target that is not a
// regular file (folder, device, pipe) is refused with a *TargetError.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	return write(path, data, perm, true)
}

// WriteNew is WriteFile that refuses to replace an existing file (ErrExists).
// The check and the rename are one step (a hard link), so two writers cannot
// both win. An existing target that is not a regular file is a *TargetError,
// not ErrExists, so no caller goes on to read a pipe or a device.
func WriteNew(path string, data []byte, perm fs.FileMode) error {
	return write(path, data, perm, false)
}

func write(path string, data []byte, perm fs.FileMode, replace bool) (err error) {
	real, err := resolve(path)
	if err != nil {
		return err
	}
	if replace {
		path = real
		// A replaced file keeps the mode its owner chose, unless perm is
		// private (tokens, ledgers): a secret's file is 0600 whatever it was.
		if st, err := os.Stat(path); err == nil && perm&0o077 != 0 {
			perm = st.Mode().Perm()
		}
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, tempPattern(filepath.Base(path)))
	if err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	tmpName := tmp.Name()
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmpName)
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err = tmp.Chmod(perm); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if replace {
		err = os.Rename(tmpName, path)
	} else {
		// link fails with EEXIST instead of overwriting; the temp name is removed after.
		err = os.Link(tmpName, path)
		if err == nil {
			os.Remove(tmpName)
		} else if errors.Is(err, fs.ErrExist) {
			err = ErrExists
		}
	}
	if err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	return SyncDir(dir)
}

// SyncDir makes a rename or removal in dir durable: a crash after it cannot
// bring back the old file. Writers that stream to their own temporary file
// (batch's failed-rows file) finish with it, as WriteFile does.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
