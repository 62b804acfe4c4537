package wechat

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"wxacode/atomicfile"
)

// LifetimeQuota is the pool getwxacode and createwxaqrcode share for the life
// of a mini program; new parameters past it fail with 45029.
const LifetimeQuota = 100_000

// Ledger counts the distinct parameter sets this tool has spent from the
// lifetime pool, and the last Num-Used header WeChat sent, in a local file.
// Repeating a parameter set costs nothing (WeChat counts only new ones), so
// Seen tells a caller whether a call is free. It is safe for concurrent use.
//
// What WeChat counts as "the same code" is undocumented; the ledger keys on
// the kind and the exact request body, which can only over-count.
type Ledger struct {
	mu        sync.Mutex
	path      string
	keys      map[string]int64 // key → Unix seconds first recorded
	numUsed   int              // last Num-Used header; -1 when never seen
	numUsedAt time.Time
	err       error
}

// ledgerFile is the on-disk form.
type ledgerFile struct {
	Version   int              `json:"version"`
	NumUsed   int              `json:"num_used"` // -1 when never seen
	NumUsedAt time.Time        `json:"num_used_at,omitzero"`
	Codes     map[string]int64 `json:"codes"` // sha-256 prefix of kind+body → first recorded
}

// NewLedger opens the ledger at path (it need not exist yet); "" keeps it in memory.
func NewLedger(path string) (*Ledger, error) {
	l := &Ledger{path: path, keys: map[string]int64{}, numUsed: -1}
	if path == "" {
		return l, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return l, nil
	}
	if err != nil {
		return nil, fmt.Errorf("quota ledger: %w", err)
	}
	var f ledgerFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("quota ledger %s is damaged (%v): move it aside to start counting afresh", path, err)
	}
	if f.Codes != nil {
		l.keys = f.Codes
	}
	l.numUsed, l.numUsedAt = f.NumUsed, f.NumUsedAt
	return l, nil
}

// LedgerKey is the canonical key of a parameter set: its kind and the exact
// body sent (fields that do not apply to the kind are dropped by Request).
// It is not codefile's {hash}: the same identity, encoded as it has been
// since the first ledger files, so existing ledgers keep recognising the
// codes they counted (a hash cannot be converted to another).
func LedgerKey(p Params) string {
	r := p.Request()
	body, _ := r.Body()
	sum := sha256.Sum256(append([]byte(string(r.Kind())+"\n"), body...))
	return hex.EncodeToString(sum[:16])
}

// Path is the ledger file, "" when in memory.
func (l *Ledger) Path() string { return l.path }

// Used is the best estimate of codes spent: the larger of the distinct sets
// recorded here and the last Num-Used WeChat reported (which includes codes
// made by other tools).
func (l *Ledger) Used() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.used()
}

func (l *Ledger) used() int { return max(len(l.keys), l.numUsed) }

// Distinct is how many distinct parameter sets this ledger has recorded.
func (l *Ledger) Distinct() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.keys)
}

// NumUsed is the last Num-Used header recorded, -1 when none was seen.
func (l *Ledger) NumUsed() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.numUsed
}

// Remaining is LifetimeQuota minus Used, never below zero.
func (l *Ledger) Remaining() int { return max(0, LifetimeQuota-l.Used()) }

// Seen reports whether p was already recorded, so generating it again is free.
func (l *Ledger) Seen(p Params) bool {
	if !p.Kind.Limited() {
		return false
	}
	k := LedgerKey(p)
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.keys[k]
	return ok
}

// Record notes a successful limited or qrcode call with p and the Num-Used
// header (-1 when absent), received at the time at, and saves the file when
// anything changed. Calls for the unlimited endpoint are ignored: they do not
// draw from the pool. The caller's clock gives at, so the ledger reads none.
func (l *Ledger) Record(p Params, numUsed int, at time.Time) error {
	if !p.Kind.Limited() {
		return nil
	}
	k := LedgerKey(p)
	l.mu.Lock()
	defer l.mu.Unlock()
	changed := false
	if _, ok := l.keys[k]; !ok {
		l.keys[k] = at.Unix()
		changed = true
	}
	if numUsed >= 0 && numUsed != l.numUsed {
		l.numUsed, l.numUsedAt = numUsed, at.UTC()
		changed = true
	}
	if !changed || l.path == "" {
		return nil
	}
	l.err = l.save()
	return l.err
}

// Err is the last error saving the file (the client keeps the code it got
// even when the ledger cannot be written), nil when the last save worked.
func (l *Ledger) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

func (l *Ledger) save() error {
	data, err := json.Marshal(ledgerFile{Version: 1, NumUsed: l.numUsed, NumUsedAt: l.numUsedAt, Codes: l.keys})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(l.path), 0o700); err != nil {
		return fmt.Errorf("quota ledger: %w", err)
	}
	if err := atomicfile.WriteFile(l.path, data, 0o600); err != nil {
		return fmt.Errorf("quota ledger: %w", err)
	}
	return nil
}

// Warning is "" below 80 % of the pool, and a warning with what to do at 80 % and 95 %.
func (l *Ledger) Warning() string {
	used := l.Used()
	left := max(0, LifetimeQuota-used)
	switch {
	case used >= LifetimeQuota:
		return fmt.Sprintf("quota: the %d lifetime codes of getwxacode + createwxaqrcode are used up; new parameters fail with 45029 (repeats still work). Use the unlimited kind (getwxacodeunlimit) for new codes.", LifetimeQuota)
	case used*100 >= LifetimeQuota*95:
		return fmt.Sprintf("quota: %d of %d lifetime codes used (%d%%), only %d left; at the limit new parameters fail with 45029. Switch new codes to the unlimited kind (getwxacodeunlimit) now.",
			used, LifetimeQuota, used*100/LifetimeQuota, left)
	case used*100 >= LifetimeQuota*80:
		return fmt.Sprintf("quota: %d of %d lifetime codes used (%d%%), %d left; getwxacode and createwxaqrcode share this pool. Consider the unlimited kind (getwxacodeunlimit) for new codes.",
			used, LifetimeQuota, used*100/LifetimeQuota, left)
	}
	return ""
}
