package sim

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// WeChat's parser for these APIs does not honour JSON \uXXXX escapes: a scene
// sent as "a=1\u0026b=2" keeps its backslash (40129), and a path loses only the
// backslash ("id=1u0026n=2"). encoding/json would decode them, so the
// simulator reads bodies with this small parser instead.

// jkind is the type of a JSON value.
type jkind byte

const (
	jNull jkind = iota
	jBool
	jNumber
	jString
	jObject
	jArray
)

func (k jkind) String() string {
	return [...]string{"null", "boolean", "number", "string", "object", "array"}[k]
}

// jval is one JSON value as WeChat sees it.
type jval struct {
	kind jkind
	b    bool
	// num is a number's literal text.
	num string
	// lit is a string with \uXXXX kept literally (backslash and all); the
	// other escapes are decoded.
	lit string
	// dropped is the same string with the backslash of each \uXXXX dropped.
	dropped string
	obj     map[string]jval
}

var errNotJSON = errors.New("not JSON")

// parseObject reads a body that must be one JSON object.
func parseObject(b []byte) (map[string]jval, error) {
	p := &jparser{s: b}
	p.space()
	if p.i >= len(p.s) || p.s[p.i] != '{' {
		return nil, errNotJSON
	}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i != len(p.s) {
		return nil, fmt.Errorf("%w: trailing data at byte %d", errNotJSON, p.i)
	}
	return v.obj, nil
}

type jparser struct {
	s []byte
	i int
}

const maxDepth = 64

func (p *jparser) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jparser) fail(what string) error {
	return fmt.Errorf("%w: %s at byte %d", errNotJSON, what, p.i)
}

func (p *jparser) value(depth int) (jval, error) {
	if depth > maxDepth {
		return jval{}, p.fail("too deeply nested")
	}
	p.space()
	if p.i >= len(p.s) {
		return jval{}, p.fail("unexpected end")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		lit, dropped, err := p.str()
		return jval{kind: jString, lit: lit, dropped: dropped}, err
	case c == 't':
		return jval{kind: jBool, b: true}, p.word("true")
	case c == 'f':
		return jval{kind: jBool}, p.word("false")
	case c == 'n':
		return jval{kind: jNull}, p.word("null")
	case c == '-' || c >= '0' && c <= '9':
		n, err := p.number()
		return jval{kind: jNumber, num: n}, err
	}
	return jval{}, p.fail("unexpected character")
}

func (p *jparser) word(w string) error {
	if !strings.HasPrefix(string(p.s[p.i:min(len(p.s), p.i+len(w))]), w) {
		return p.fail("bad literal")
	}
	p.i += len(w)
	return nil
}

func (p *jparser) object(depth int) (jval, error) {
	p.i++ // {
	obj := map[string]jval{}
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		return jval{kind: jObject, obj: obj}, nil
	}
	for {
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			return jval{}, p.fail("expected a key")
		}
		key, _, err := p.str()
		if err != nil {
			return jval{}, err
		}
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return jval{}, p.fail("expected :")
		}
		p.i++
		v, err := p.value(depth + 1)
		if err != nil {
			return jval{}, err
		}
		obj[key] = v
		p.space()
		if p.i >= len(p.s) {
			return jval{}, p.fail("unterminated object")
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			return jval{kind: jObject, obj: obj}, nil
		default:
			return jval{}, p.fail("expected , or }")
		}
	}
}

func (p *jparser) array(depth int) (jval, error) {
	p.i++ // [
	p.space()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		return jval{kind: jArray}, nil
	}
	for {
		if _, err := p.value(depth + 1); err != nil {
			return jval{}, err
		}
		p.space()
		if p.i >= len(p.s) {
			return jval{}, p.fail("unterminated array")
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			return jval{kind: jArray}, nil
		default:
			return jval{}, p.fail("expected , or ]")
		}
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// str reads a string token, returning it with \u escapes kept and with only
// their backslashes dropped.
func (p *jparser) str() (lit, dropped string, err error) {
	p.i++ // "
	var l, d strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return l.String(), d.String(), nil
		case c < 0x20:
			return "", "", p.fail("control character in string")
		case c == '\\':
			if p.i+1 >= len(p.s) {
				return "", "", p.fail("unterminated escape")
			}
			e := p.s[p.i+1]
			var out byte
			switch e {
			case '"', '\\', '/':
				out = e
			case 'b':
				out = '\b'
			case 'f':
				out = '\f'
			case 'n':
				out = '\n'
			case 'r':
				out = '\r'
			case 't':
				out = '\t'
			case 'u':
				if p.i+6 > len(p.s) || !isHex(p.s[p.i+2]) || !isHex(p.s[p.i+3]) || !isHex(p.s[p.i+4]) || !isHex(p.s[p.i+5]) {
					return "", "", p.fail("bad \\u escape")
				}
				l.Write(p.s[p.i : p.i+6])
				d.Write(p.s[p.i+1 : p.i+6])
				p.i += 6
				continue
			default:
				return "", "", p.fail("bad escape")
			}
			l.WriteByte(out)
			d.WriteByte(out)
			p.i += 2
		default:
			// Copy a run of plain bytes at once; invalid UTF-8 is kept as is.
			j := p.i
			for j < len(p.s) && p.s[j] != '"' && p.s[j] != '\\' && p.s[j] >= 0x20 {
				j++
			}
			l.Write(p.s[p.i:j])
			d.Write(p.s[p.i:j])
			p.i = j
		}
	}
	return "", "", p.fail("unterminated string")
}

func (p *jparser) number() (string, error) {
	start := p.i
	digits := func() int {
		n := 0
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.s[p.i] == '-' {
		p.i++
	}
	if p.i < len(p.s) && p.s[p.i] == '0' {
		p.i++
	} else if digits() == 0 {
		return "", p.fail("bad number")
	}
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return "", p.fail("bad number")
		}
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return "", p.fail("bad number")
		}
	}
	return string(p.s[start:p.i]), nil
}

// runeLen counts characters as WeChat does for scene: invalid bytes count one each.
func runeLen(s string) int { return utf8.RuneCountInString(s) }
