package codefile

import (
	"crypto/sha256"
	"encoding/hex"

	"wxacode/wechat"
)

// Key is the SHA-256 of Canonical(p): it identifies a request as WeChat
// receives it, so the same request always has the same Key.
type Key [sha256.Size]byte

// Canonical is the form of p that Key hashes: the endpoint's kind, a zero
// byte, and the exact JSON body sent (fields that do not apply to the kind
// are dropped by Params.Request, so they cannot change the key).
func Canonical(p wechat.Params) []byte {
	r := p.Request()
	// The request types are plain structs: encoding them cannot fail.
	body, _ := r.Body()
	b := make([]byte, 0, len(r.Kind())+1+len(body))
	b = append(b, r.Kind()...)
	b = append(b, 0)
	return append(b, body...)
}

// KeyOf is the Key of p.
func KeyOf(p wechat.Params) Key { return sha256.Sum256(Canonical(p)) }

// Hash is the {hash} placeholder: the key's first 8 bytes as 16 hex digits,
// short enough for a file name and, at 64 bits, without collisions in
// practice for any number of codes one mini program can have.
func (k Key) Hash() string { return hex.EncodeToString(k[:8]) }

// Hash is KeyOf(p).Hash(): the {hash} of p's request.
func Hash(p wechat.Params) string { return KeyOf(p).Hash() }

// ContentSHA256 is the hex SHA-256 of a code's bytes, as sidecars and
// manifest lines record it (and as verify and resume compare it).
func ContentSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
