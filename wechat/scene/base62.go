package scene

import (
	"math/big"
)

// Base62Alphabet is the digit order of Base62: 0-9, A-Z, a-z. The JavaScript
// decoders wxacode prints use the same string.
const Base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

var big62 = big.NewInt(62)

// Base62FromDecimal rewrites a decimal integer (digits only, no sign, no
// leading zero unless it is "0") in base 62; ok is false for anything else,
// since a leading zero would not survive the round trip.
func Base62FromDecimal(digits string) (string, bool) {
	if digits == "" || len(digits) > 1 && digits[0] == '0' {
		return "", false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return "", false
		}
	}
	n, ok := new(big.Int).SetString(digits, 10)
	if !ok {
		return "", false
	}
	return base62(n), true
}

func base62(n *big.Int) string {
	if n.Sign() == 0 {
		return "0"
	}
	var out []byte
	n = new(big.Int).Set(n)
	mod := new(big.Int)
	for n.Sign() > 0 {
		n.QuoRem(n, big62, mod)
		out = append(out, Base62Alphabet[mod.Int64()])
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}
