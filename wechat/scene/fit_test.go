package scene

import (
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
	"wxacode/wechat"
)

func strategies(ps []Proposal) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Strategy
	}
	return out
}

func byStrategy(ps []Proposal, s string) *Proposal {
	for i := range ps {
		if ps[i].Strategy == s {
			return &ps[i]
		}
	}
	return nil
}

func TestFitAlreadyValid(t *testing.T) {
	ps := Fit("productId=123&channel=wx", FitOptions{})
	require.Len(t, ps, 1)
	assert.Equal(t, StrategyAsIs, ps[0].Strategy)
	assert.Equal(t, "productId=123&channel=wx", ps[0].Scene)
	assert.Empty(t, Fit("", FitOptions{}))
}

func TestFitPairs(t *testing.T) {
	payload := "productId=12345678901&channel=wechat&from=poster" // 48 characters
	ps := Fit(payload, FitOptions{})
	assert.Equal(t, []string{StrategyShortKeys, StrategyPosition, StrategyBase62, StrategyMappingID}, strategies(ps))
	sk := byStrategy(ps, StrategyShortKeys)
	assert.Equal(t, "p=12345678901&c=wechat&f=poster", sk.Scene)
	assert.Equal(t, []KeyMap{{"productId", "p"}, {"channel", "c"}, {"from", "f"}}, sk.KeyMap)
	pos := byStrategy(ps, StrategyPosition)
	assert.Equal(t, "12345678901,wechat,poster", pos.Scene)
	assert.Equal(t, []string{"productId", "channel", "from"}, pos.Order)
	b := byStrategy(ps, StrategyBase62)
	assert.Equal(t, "p=DTVD3F&c=wechat&f=poster", b.Scene)
	assert.Equal(t, []string{"productId"}, b.Base62Keys)
	for _, p := range ps {
		assert.Empty(t, wechat.SceneProblems(p.Scene), "%s offered an invalid scene", p.Strategy)
		assert.NotEmpty(t, p.Costs, p.Strategy)
		assert.Equal(t, len([]rune(p.Scene)), p.Length)
	}
}

func TestFitOnlyValidProposals(t *testing.T) {
	// Non-ASCII values: shorter keys cannot help, only the mapping id can.
	ps := Fit("名称=小程序码&城市=深圳", FitOptions{})
	assert.Equal(t, []string{StrategyMappingID}, strategies(ps))
	// Too long even with one-letter keys and base62: short keys are not offered.
	long := "a=" + strings.Repeat("x", 40)
	assert.Equal(t, []string{StrategyMappingID}, strategies(Fit(long, FitOptions{})))
	// A long number alone: base62.
	ps = Fit("412213075488489472123456789012345678", FitOptions{})
	require.Equal(t, []string{StrategyBase62, StrategyMappingID}, strategies(ps))
	back, err := base62ToDecimal(ps[0].Scene)
	require.NoError(t, err)
	assert.Equal(t, "412213075488489472123456789012345678", back)
	// Leading zeros would not survive base62: left alone, so no base62 proposal here.
	ps = Fit("code=000000000000123456&name=abcdefghijk", FitOptions{})
	assert.Nil(t, byStrategy(ps, StrategyBase62))
}

func TestShortKeysCollide(t *testing.T) {
	ps := Fit("productId=1&priceId=2&page=3&p=4&x=aaaaaaaaaa", FitOptions{})
	sk := byStrategy(ps, StrategyShortKeys)
	require.NotNil(t, sk)
	seen := map[string]bool{}
	for _, k := range sk.KeyMap {
		assert.False(t, seen[k.Short], "short key %q given twice", k.Short)
		seen[k.Short] = true
	}
	assert.Equal(t, "pi=1&pr=2&pa=3&p=4&x=aaaaaaaaaa", sk.Scene, "one-letter keys keep their name")
}

func TestBase62(t *testing.T) {
	for _, tt := range []struct{ dec, b62 string }{
		{"0", "0"}, {"61", "z"}, {"62", "10"}, {"9007199254740993", "fFgnDxSe9"}, {"12345678901", "DTVD3F"},
	} {
		got, ok := Base62FromDecimal(tt.dec)
		require.True(t, ok)
		assert.Equal(t, tt.b62, got)
		back, err := base62ToDecimal(got)
		require.NoError(t, err)
		assert.Equal(t, tt.dec, back)
	}
	for _, bad := range []string{"", "01", "-1", "1.5", "١"} {
		_, ok := Base62FromDecimal(bad)
		assert.False(t, ok, bad)
	}
	_, err := base62ToDecimal("a-b")
	assert.Error(t, err)
}

// TestFitDecodersInNode runs every decoder Fit prints in JavaScript and checks
// that it gives back exactly the payload's pairs.
func TestFitDecodersInNode(t *testing.T) {
	testenv.Tool(t, "node", "nodejs")
	payloads := []string{
		"productId=12345678901&channel=wechat&from=poster",
		"userId=9007199254740993&orderId=12345678901234567890&x=1",
		"id=1&id=22222222222&name=abcdefghijklmnopqrstu",
		"campaign=spring_sale&source=qr&medium=poster&v=2",
		"a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10",
		"shop=382&number=3&table=A12&waiter=Li~Ming&t=1700000000",
		"412213075488489472123456789012345678",
	}
	var cases []nodeCase
	var want []any
	for _, payload := range payloads {
		for _, p := range Fit(payload, FitOptions{}) {
			if p.Strategy == StrategyMappingID || p.Strategy == StrategyAsIs {
				continue
			}
			cases = append(cases, nodeCase{Op: "fit", U: units(p.Scene), Code: p.Decode})
			if !strings.Contains(payload, "=") {
				want = append(want, payload)
				continue
			}
			obj := map[string]any{}
			for _, pr := range SplitPairs(payload) {
				obj[pr.Key] = pr.Value
			}
			want = append(want, obj)
		}
	}
	require.Greater(t, len(cases), 10)
	res := runNode(t, cases)
	for i, r := range res {
		require.True(t, r.OK, "decoder threw: %s\n%s", r.E, cases[i].Code)
		assert.Equal(t, want[i], r.O, "decoder for %q:\n%s", string([]rune(string(runesFromUnits(cases[i].U)))), cases[i].Code)
	}
}

func runesFromUnits(u []uint16) []rune {
	r := make([]rune, len(u))
	for i, x := range u {
		r[i] = rune(x)
	}
	return r
}

func TestMappingIDDeterministicAndCollisionFree(t *testing.T) {
	dir := t.TempDir()
	payload := "https://example.com/landing?campaign=spring&id=42"
	id := MappingID(payload, DefaultIDLength)
	assert.Len(t, id, DefaultIDLength)
	assert.Equal(t, id, MappingID(payload, DefaultIDLength))
	assert.Empty(t, wechat.SceneProblems(id))

	// The natural id is taken by another payload: Fit picks a longer one.
	file := filepath.Join(dir, "map.csv")
	require.NoError(t, os.WriteFile(file, []byte("id,payload\n"+id+",something else\n"), 0o644))
	p := byStrategy(Fit(payload, FitOptions{MapFile: file}), StrategyMappingID)
	require.NotNil(t, p)
	assert.Equal(t, MappingID(payload, DefaultIDLength+1), p.Scene)
	assert.False(t, p.Existing)

	// The payload is already mapped (under a hand-made id): reuse it.
	require.NoError(t, os.WriteFile(file, []byte("id,payload\nspring42,"+payload+"\n"), 0o644))
	p = byStrategy(Fit(payload, FitOptions{MapFile: file}), StrategyMappingID)
	assert.Equal(t, "spring42", p.Scene)
	assert.True(t, p.Existing)
}

func TestAppendMapping(t *testing.T) {
	for _, ext := range []string{".csv", ".jsonl"} {
		t.Run(ext, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "scenes"+ext)
			payloads := []string{"a=1&b=\"quoted\",comma", "名称=小程序码\nline2", "plain"}
			for _, pl := range payloads {
				p := byStrategy(Fit(pl+strings.Repeat("x", 40), FitOptions{MapFile: file}), StrategyMappingID)
				require.NotNil(t, p)
				added, err := AppendMapping(file, p.Scene, pl+strings.Repeat("x", 40))
				require.NoError(t, err)
				assert.True(t, added)
			}
			before, err := os.ReadFile(file)
			require.NoError(t, err)
			// Re-running with the same payload adds nothing.
			pl := payloads[0] + strings.Repeat("x", 40)
			p := byStrategy(Fit(pl, FitOptions{MapFile: file}), StrategyMappingID)
			assert.True(t, p.Existing)
			added, err := AppendMapping(file, p.Scene, pl)
			require.NoError(t, err)
			assert.False(t, added)
			after, err := os.ReadFile(file)
			require.NoError(t, err)
			assert.Equal(t, before, after)
			m, err := ReadMapping(file)
			require.NoError(t, err)
			assert.Len(t, m.ByID, 3)
			for _, pl := range payloads {
				assert.Contains(t, m.ByPayload, pl+strings.Repeat("x", 40))
			}
			if ext == ".csv" {
				assert.True(t, strings.HasPrefix(string(after), "id,payload\n"))
			}
		})
	}
}

func TestAppendMappingEdgeCases(t *testing.T) {
	dir := t.TempDir()
	_, err := AppendMapping(filepath.Join(dir, "m.txt"), "abc", "x")
	assert.ErrorContains(t, err, ".csv")

	// A hand-edited file without a final newline.
	file := filepath.Join(dir, "m.csv")
	require.NoError(t, os.WriteFile(file, []byte("id,payload\nold,one"), 0o644))
	added, err := AppendMapping(file, "new", "two")
	require.NoError(t, err)
	assert.True(t, added)
	data, _ := os.ReadFile(file)
	assert.Equal(t, "id,payload\nold,one\nnew,two\n", string(data))

	// An id taken by another payload is refused, the file untouched.
	_, err = AppendMapping(file, "old", "three")
	assert.ErrorContains(t, err, "taken")

	// An empty file gets the header.
	empty := filepath.Join(dir, "e.csv")
	require.NoError(t, os.WriteFile(empty, nil, 0o644))
	_, err = AppendMapping(empty, "i", "p")
	require.NoError(t, err)
	data, _ = os.ReadFile(empty)
	assert.Equal(t, "id,payload\ni,p\n", string(data))

	// A broken file is reported with its line, never appended to.
	broken := filepath.Join(dir, "b.jsonl")
	require.NoError(t, os.WriteFile(broken, []byte("{\"id\":\"a\",\"payload\":\"x\"}\nnot json\n"), 0o644))
	_, err = AppendMapping(broken, "i", "p")
	assert.ErrorContains(t, err, "line 2")
	p := byStrategy(Fit(strings.Repeat("z", 40), FitOptions{MapFile: broken}), StrategyMappingID)
	require.NotNil(t, p, "an unreadable file still gets a proposal, with a warning")
	assert.NotEmpty(t, p.Warnings)

	// JSONL rows do not HTML-escape.
	j := filepath.Join(dir, "h.jsonl")
	_, err = AppendMapping(j, "i", "a=1&b=<2>")
	require.NoError(t, err)
	data, _ = os.ReadFile(j)
	assert.Equal(t, `{"id":"i","payload":"a=1&b=<2>"}`+"\n", string(data))
}

func TestAppendMappingConcurrent(t *testing.T) {
	file := filepath.Join(t.TempDir(), "c.jsonl")
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			pl := fmt.Sprintf("payload-%02d-%s", i, strings.Repeat("y", 30))
			_, err := AppendMapping(file, MappingID(pl, 10), pl)
			assert.NoError(t, err)
		}(i)
	}
	wg.Wait()
	m, err := ReadMapping(file)
	require.NoError(t, err)
	assert.Len(t, m.ByPayload, 16, "every row is whole and present")
	data, _ := os.ReadFile(file)
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		assert.True(t, json.Valid([]byte(line)), line)
	}
}

func FuzzFit(f *testing.F) {
	for _, s := range []string{"productId=12345678901&channel=wechat&from=poster", "a=1&&b", "=&=", "中", "0000", strings.Repeat("9", 40), "a=1&a=2&" + strings.Repeat("k", 30)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range Fit(s, FitOptions{}) {
			if len(wechat.SceneProblems(p.Scene)) != 0 {
				t.Fatalf("Fit(%q) offered invalid %s %q", s, p.Strategy, p.Scene)
			}
		}
	})
}

func TestMappingExistingInvalidID(t *testing.T) {
	file := filepath.Join(t.TempDir(), "m.csv")
	payload := strings.Repeat("q", 40)
	require.NoError(t, os.WriteFile(file, []byte("id,payload\nbad id,"+payload+"\n"), 0o644))
	p := byStrategy(Fit(payload, FitOptions{MapFile: file}), StrategyMappingID)
	require.NotNil(t, p)
	assert.False(t, p.Existing)
	assert.Equal(t, MappingID(payload, DefaultIDLength), p.Scene)
	require.Len(t, p.Warnings, 1)
	assert.Contains(t, p.Warnings[0], `"bad id"`)
}

// base62ToDecimal reverses Base62FromDecimal, as the JavaScript decoders do,
// so the tests can prove the round trip.
func base62ToDecimal(s string) (string, error) {
	if s == "" {
		return "", fmt.Errorf("empty base62 number")
	}
	n := new(big.Int)
	for i := 0; i < len(s); i++ {
		d := strings.IndexByte(Base62Alphabet, s[i])
		if d < 0 {
			return "", fmt.Errorf("%q at byte %d is not a base62 digit (0-9A-Za-z)", s[i], i)
		}
		n.Mul(n, big.NewInt(62))
		n.Add(n, big.NewInt(int64(d)))
	}
	return n.String(), nil
}
