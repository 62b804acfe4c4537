package wechat

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// maxTokenLife is the longest lifetime WeChat issues (expires_in 7200). An
// answer or a cache file claiming more is clamped: 9999999999999 seconds
// used to overflow into the year 2086, and a token is never renewed then.
const maxTokenLife = 7200 * time.Second

// checkCacheDir makes sure the token cache folder is private: tokens in a
// folder others can write can be swapped, and in one they can read, taken.
// A folder we own is tightened to 0700 (with a warning); one we do not own
// is refused. A folder that does not exist yet is fine: it is made 0700.
func checkCacheDir(dir string, warnf func(string, ...any)) error {
	st, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("token cache %s: %w", dir, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("token cache %s is not a folder", dir)
	}
	perm := st.Mode().Perm()
	if perm&0o077 == 0 {
		return nil
	}
	if !ownedByMe(st) {
		return fmt.Errorf("token cache %s is open to others (mode %04o) and belongs to another user: refusing to keep tokens there", dir, perm)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("token cache %s is open to others (mode %04o) and cannot be made private: %w", dir, perm, err)
	}
	warnf("token cache %s was open to others (mode %04o); made it private (0700)", dir, perm)
	return nil
}
