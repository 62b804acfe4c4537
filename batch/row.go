package batch

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"wxacode/codefile"
	"wxacode/wechat"
)

// Item is a parsed row: the request it stands for and its identity.
type Item struct {
	Rec    *Record
	Params wechat.Params
	File   string // the row's own file name (the "file" column), "" when templated
	Key    uint64 // identity of the row (rowKey): duplicates share it
	Hash   string // codefile.Hash of Params, for {hash}
}

// KeyHex is the manifest form of the key.
func (it *Item) KeyHex() string { return fmt.Sprintf("%016x", it.Key) }

// parseRecord fills base with the row's values and validates the result with
// the one validator. All problems are returned, none stops at the first.
func parseRecord(rec *Record, base wechat.Params) (*Item, []wechat.Problem) {
	if rec.Err != nil {
		return nil, []wechat.Problem{{Field: "row", Message: rec.Err.Error()}}
	}
	p := base
	var ps []wechat.Problem
	bad := func(field, msg, fix string) {
		ps = append(ps, wechat.Problem{Field: field, Message: msg, Fix: fix})
	}
	it := &Item{Rec: rec}
	for i, col := range rec.Cols {
		if i >= len(rec.Vals) {
			break
		}
		v := strings.TrimSpace(rec.Vals[i])
		c := canonical(col)
		if v == "" || ignoredColumns[c] {
			continue // an empty cell takes the default from flags and config
		}
		switch c {
		case "kind":
			k, err := wechat.ParseKind(v)
			if err != nil {
				bad("kind", err.Error(), "")
			}
			p.Kind = k
		case "scene":
			p.Scene = rec.Vals[i] // spaces are the validator's to report, not ours to trim
		case "page":
			p.Page = v
		case "path":
			p.Path = v
		case "env_version":
			p.EnvVersion = v
		case "width":
			n, err := strconv.Atoi(v)
			if err != nil {
				bad("width", fmt.Sprintf("%q is not a whole number", v), "write the width in pixels, for example 430")
			}
			p.Width = n
		case "check_path":
			b, err := parseBool(v)
			if err != nil {
				bad("check_path", err.Error(), "")
			}
			p.CheckPath = &b
		case "auto_color":
			b, err := parseBool(v)
			if err != nil {
				bad("auto_color", err.Error(), "")
			}
			p.AutoColor = b
		case "hyaline":
			b, err := parseBool(v)
			if err != nil {
				bad("hyaline", err.Error(), "")
			}
			p.Hyaline = b
		case "line_color":
			c, err := parseColor(v)
			if err != nil {
				bad("line_color", err.Error(), "")
			}
			p.LineColor = &c
		case "file":
			if s := codefile.SanitizeName(v); s != v {
				bad("file", fmt.Sprintf("%q is not a plain file name", v),
					fmt.Sprintf("give a name without folders or special characters, for example %q", s))
			}
			it.File = v
		}
	}
	if err := p.Validate(); err != nil {
		var ve *wechat.ValidationError
		if errors.As(err, &ve) {
			ps = append(ps, ve.Problems...)
		} else {
			bad("row", err.Error(), "")
		}
	}
	if len(ps) > 0 {
		return nil, ps
	}
	it.Params = p
	it.Hash = codefile.Hash(p)
	it.Key = rowKey(p, it.File)
	return it, nil
}

// rowKey is a row's identity: the request and the file column, since two rows
// asking for the same code under different names are two files. It is in
// every manifest line (resume matches on it), so its bytes are a contract:
// SHA-256 of codefile.Canonical, a zero byte and the file, first 8 bytes.
func rowKey(p wechat.Params, file string) uint64 {
	h := sha256.New()
	h.Write(codefile.Canonical(p))
	h.Write([]byte{0})
	h.Write([]byte(file))
	return binary.BigEndian.Uint64(h.Sum(nil))
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "true", "1", "yes", "y", "on":
		return true, nil
	case "false", "0", "no", "n", "off":
		return false, nil
	}
	return false, fmt.Errorf("%q is not true or false", s)
}

// parseColor takes #rrggbb, r,g,b or a JSON object {"r":…,"g":…,"b":…}.
func parseColor(s string) (wechat.Color, error) {
	if strings.HasPrefix(s, "{") {
		var c wechat.Color
		if err := json.Unmarshal([]byte(s), &c); err != nil {
			return c, fmt.Errorf("%s: %v", s, err)
		}
		return c, nil
	}
	return wechat.ParseColor(s)
}
