package scene

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
)

// The cross-check runs JavaScript's own encodeURIComponent/decodeURIComponent
// in one node process, fed JSON lines on stdin. Inputs travel as UTF-16 code
// units so that lone surrogates survive the trip.
const nodeHarness = `
const rl = require('readline').createInterface({ input: process.stdin, crlfDelay: Infinity });
const out = [];
rl.on('line', line => {
  const c = JSON.parse(line);
  let s = '';
  for (const u of c.u) s += String.fromCharCode(u);
  let r;
  try {
    if (c.op === 'enc') r = { ok: true, r: encodeURIComponent(s) };
    else if (c.op === 'dec') r = { ok: true, r: decodeURIComponent(s) };
    else r = { ok: true, o: new Function(c.code + '\nreturn decodeScene(arguments[0])')(s) };
  } catch (e) { r = { ok: false, e: e.name + ': ' + e.message }; }
  out.push(JSON.stringify(r));
});
rl.on('close', () => process.stdout.write(out.join('\n') + '\n'));
`

type nodeCase struct {
	Op   string   `json:"op"` // enc, dec, fit
	U    []uint16 `json:"u"`
	Code string   `json:"code,omitempty"`
}

type nodeResult struct {
	OK bool   `json:"ok"`
	R  string `json:"r"`
	O  any    `json:"o"`
	E  string `json:"e"`
}

func runNode(t *testing.T, cases []nodeCase) []nodeResult {
	t.Helper()
	node := testenv.Tool(t, "node", "nodejs")
	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	for _, c := range cases {
		require.NoError(t, enc.Encode(c))
	}
	cmd := exec.Command(node, "-e", nodeHarness)
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "node: %s", stderr.String())
	var res []nodeResult
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		if sc.Text() == "" {
			continue
		}
		var r nodeResult
		require.NoError(t, json.Unmarshal(sc.Bytes(), &r), sc.Text())
		res = append(res, r)
	}
	require.Len(t, res, len(cases))
	return res
}

func units(s string) []uint16 { return utf16.Encode([]rune(s)) }

var runePools = [][]rune{
	[]rune("abcXYZ0189-_.!~*'()"),
	[]rune(" \t\n\"#$%&+,/:;<=>?@[\\]^`{|}\x00\x7f"),
	[]rune("éßñ\u00a0\u00ff\u0100"),
	[]rune("中文小程序码場景"),
	[]rune("😀🀄\U00010000\U0010FFFF"),
	{0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfffd, 0xfffe, 0xffff},
}

func randString(r *rand.Rand, maxLen int) string {
	n := r.IntN(maxLen + 1)
	var b strings.Builder
	for i := 0; i < n; i++ {
		pool := runePools[r.IntN(len(runePools))]
		b.WriteRune(pool[r.IntN(len(pool))])
	}
	return b.String()
}

// randEscaped builds decode inputs: valid escapes, truncated and broken ones,
// bytes that are not UTF-8, overlongs, surrogates, literal text.
func randEscaped(r *rand.Rand) string {
	const hexd = "0123456789ABCDEFabcdef"
	var b strings.Builder
	for n := r.IntN(6) + 1; n > 0; n-- {
		switch r.IntN(10) {
		case 0, 1:
			b.WriteString(MustEncode(randString(r, 3)))
		case 2:
			enc := MustEncode(string(runePools[3+r.IntN(2)][0]))
			b.WriteString(enc[:r.IntN(len(enc)+1)]) // cut anywhere
		case 3:
			fmt.Fprintf(&b, "%%%02X", 0x80+r.IntN(0x80)) // lone high byte
		case 4:
			b.WriteString([]string{"%C0%80", "%C1%BF", "%E0%80%AF", "%ED%A0%80", "%ED%BF%BF", "%F4%90%80%80", "%F5%80%80%80", "%F0%8F%BF%BF", "%EF%BF%BF", "%F4%8F%BF%BF"}[r.IntN(10)])
		case 5:
			b.WriteByte('%')
			for k := r.IntN(3); k > 0; k-- {
				b.WriteByte(hexd[r.IntN(len(hexd))])
			}
		case 6:
			b.WriteString([]string{"%ZZ", "%u4E2D", "%%", "%G1", "%1", "+", "%2B", "%20", "%25", "%2525"}[r.IntN(10)])
		case 7:
			fmt.Fprintf(&b, "%%%c%c%%%c%c", hexd[r.IntN(16)], hexd[r.IntN(22)], hexd[r.IntN(16)], hexd[r.IntN(22)])
		default:
			b.WriteString(randString(r, 3))
		}
	}
	return b.String()
}

func TestCrossCheckWithNode(t *testing.T) {
	testenv.Tool(t, "node", "nodejs")
	r := rand.New(rand.NewPCG(4, 2026))
	var cases []nodeCase
	var goRes []func() (string, error)
	add := func(op string, u []uint16, f func() (string, error)) {
		cases = append(cases, nodeCase{Op: op, U: u})
		goRes = append(goRes, f)
	}
	for i := 0; i < 3000; i++ {
		s := randString(r, 12)
		add("enc", units(s), func() (string, error) { return EncodeURIComponent(s) })
	}
	for i := 0; i < 4000; i++ {
		s := randEscaped(r)
		add("dec", units(s), func() (string, error) { return DecodeURIComponent(s) })
	}
	res := runNode(t, cases)
	threw, mismatches := 0, 0
	for i, c := range cases {
		got, err := goRes[i]()
		js := res[i]
		if !js.OK {
			threw++
			require.True(t, strings.HasPrefix(js.E, "URIError"), "node threw something else: %s", js.E)
		}
		var ue *URIError
		if (err == nil) != js.OK || (err != nil && !errors.As(err, &ue)) || err == nil && got != js.R {
			mismatches++
			if mismatches < 20 {
				t.Errorf("%s %q: Go %q, %v; node %+v", c.Op, string(utf16.Decode(c.U)), got, err, js)
			}
		}
	}
	t.Logf("%d cases, %d URIErrors in node, %d mismatches", len(cases), threw, mismatches)
	assert.Greater(t, threw, 500, "the generator should exercise errors")
	assert.Less(t, threw, len(cases)-3000, "and successes")
}
