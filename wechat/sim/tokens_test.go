package sim

import (
	"fmt"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var tokenRE = regexp.MustCompile(`^[0-9]{2}_[A-Za-z0-9_-]{130,150}$`)

// Item 23: /cgi-bin/token parameter checks, in order.
func TestClassicTokenChecks(t *testing.T) {
	ok := "grant_type=client_credential&appid=" + DefaultAppID + "&secret=" + DefaultSecret
	tests := []struct {
		name  string
		mods  func(*Config)
		query string
		want  int
		msg   string
	}{
		{name: "ok", query: ok},
		{name: "grant_type wrong", query: "grant_type=password&appid=" + DefaultAppID + "&secret=" + DefaultSecret, want: 40002, msg: "invalid grant_type"},
		{name: "grant_type missing", query: "appid=" + DefaultAppID + "&secret=" + DefaultSecret, want: 40002},
		{name: "appid missing", query: "grant_type=client_credential&secret=" + DefaultSecret, want: 41002, msg: "appid missing"},
		{name: "secret missing", query: "grant_type=client_credential&appid=" + DefaultAppID, want: 41004, msg: "appsecret missing"},
		{name: "unknown appid", query: "grant_type=client_credential&appid=wx0000000000000000&secret=" + DefaultSecret, want: 40013, msg: "invalid appid"},
		{name: "wrong secret", query: "grant_type=client_credential&appid=" + DefaultAppID + "&secret=" + strings.Repeat("0", 32), want: 40125, msg: "invalid appsecret"},
		{name: "frozen secret", query: ok, mods: func(c *Config) { c.SecretFrozen = true }, want: 40243},
		{name: "not in whitelist", query: ok, mods: func(c *Config) { c.IPWhitelist = []string{"203.0.113.0/24"} }, want: 40164,
			msg: "invalid ip 192.0.2.1 ipv6 ::ffff:192.0.2.1, not in whitelist"},
		{name: "in whitelist", query: ok, mods: func(c *Config) { c.IPWhitelist = []string{"10.0.0.1", "192.0.2.0/24"} }},
		{name: "custom credentials", query: "grant_type=client_credential&appid=wxabc&secret=s3", mods: func(c *Config) { c.AppID, c.Secret = "wxabc", "s3" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var mods []func(*Config)
			if tc.mods != nil {
				mods = append(mods, tc.mods)
			}
			s := newSim(t, mods...)
			a := do(t, s, "GET", "/cgi-bin/token?"+tc.query, "")
			if tc.want != 0 {
				requireErr(t, a, tc.want)
				assert.Contains(t, a.errmsg, tc.msg)
				return
			}
			require.False(t, a.isErr, "%d %s", a.errcode, a.errmsg)
			assert.Contains(t, string(a.body), `"expires_in":7200`)
			assert.Regexp(t, `"access_token":"[0-9]{2}_`, string(a.body))
		})
	}
}

// Item 23: a new token on every call, the previous one valid 300 s more; the daily quota.
func TestClassicTokenRotation(t *testing.T) {
	s := newSim(t, func(c *Config) { c.Limits.TokenPerDay = 3 })
	body := `{"scene":"a"}`
	t1 := classic(t, s)
	require.Regexp(t, tokenRE, t1)
	requireImage(t, code(t, s, pathB, t1, body))
	t2 := classic(t, s)
	require.NotEqual(t, t1, t2)
	s.Clock().Advance(299 * time.Second)
	requireImage(t, code(t, s, pathB, t1, body))
	s.Clock().Advance(time.Second)
	requireErr(t, code(t, s, pathB, t1, body), 40001) // superseded
	requireImage(t, code(t, s, pathB, t2, body))

	// Natural expiry is 42001.
	s.Clock().Advance(7200*time.Second - 300*time.Second - time.Second)
	requireImage(t, code(t, s, pathB, t2, body))
	s.Clock().Advance(time.Second)
	requireErr(t, code(t, s, pathB, t2, body), 42001)

	// Third call of the day fine, fourth over quota, next day fine again.
	classic(t, s)
	a := do(t, s, "GET", "/cgi-bin/token?grant_type=client_credential&appid="+DefaultAppID+"&secret="+DefaultSecret, "")
	requireErr(t, a, 45009)
	assert.Contains(t, a.errmsg, "getStableAccessToken")
	s.Clock().Advance(24 * time.Hour)
	classic(t, s)
}

// Item 24: stable tokens are shared, rotated in the last 300 s, force-refreshed sparingly.
func TestStableToken(t *testing.T) {
	s := newSim(t, func(c *Config) { c.Limits.StableForcePerDay = 3 })
	body := `{"scene":"a"}`
	st1, exp, a := stable(t, s, false)
	require.False(t, a.isErr, a.errmsg)
	require.Regexp(t, tokenRE, st1)
	assert.Equal(t, 7200, exp)

	s.Clock().Advance(100 * time.Second)
	again, exp, _ := stable(t, s, false)
	assert.Equal(t, st1, again, "every caller gets the same token")
	assert.Equal(t, 7100, exp)

	// Classic and stable are independent.
	c1 := classic(t, s)
	classic(t, s)
	s.Clock().Advance(301 * time.Second)
	requireImage(t, code(t, s, pathB, st1, body))
	requireErr(t, code(t, s, pathB, c1, body), 40001)

	// Rotation in the last 300 s: a new token, the old one alive to its expiry.
	s.Clock().Set(t0.Add(7200*time.Second - 300*time.Second))
	st2, exp, _ := stable(t, s, false)
	assert.NotEqual(t, st1, st2)
	assert.Equal(t, 7200, exp)
	requireImage(t, code(t, s, pathB, st1, body))
	s.Clock().Set(t0.Add(7200 * time.Second))
	requireErr(t, code(t, s, pathB, st1, body), 42001)
	requireImage(t, code(t, s, pathB, st2, body))

	// Force refresh: new token, old one dead at once.
	st3, _, _ := stable(t, s, true)
	assert.NotEqual(t, st2, st3)
	requireErr(t, code(t, s, pathB, st2, body), 40001)
	// A second force within 30 s changes nothing.
	s.Clock().Advance(29 * time.Second)
	same, _, _ := stable(t, s, true)
	assert.Equal(t, st3, same)
	// 3 a day here (20 by default): the 4th is 45009.
	for i := 0; i < 2; i++ {
		s.Clock().Advance(31 * time.Second)
		tok, _, a := stable(t, s, true)
		require.False(t, a.isErr, a.errmsg)
		assert.NotEqual(t, st3, tok)
	}
	s.Clock().Advance(31 * time.Second)
	_, _, a = stable(t, s, true)
	requireErr(t, a, 45009)
}

// Item 24: stable_token takes its parameters from a JSON body only.
func TestStableTokenChecks(t *testing.T) {
	s := newSim(t)
	q := "?grant_type=client_credential&appid=" + DefaultAppID + "&secret=" + DefaultSecret
	requireErr(t, do(t, s, "POST", "/cgi-bin/stable_token"+q, ""), 41002)
	requireErr(t, do(t, s, "GET", "/cgi-bin/stable_token"+q, ""), 43002)
	requireErr(t, do(t, s, "POST", "/cgi-bin/stable_token", "grant_type=client_credential"), 47001)
	requireErr(t, do(t, s, "POST", "/cgi-bin/stable_token", `{"grant_type":"client_credential","appid":"`+DefaultAppID+`"}`), 41004)
	requireErr(t, do(t, s, "POST", "/cgi-bin/stable_token", `{"grant_type":"x","appid":"`+DefaultAppID+`","secret":"`+DefaultSecret+`"}`), 40002)
	requireErr(t, do(t, s, "POST", "/cgi-bin/stable_token", `{"grant_type":"client_credential","appid":"wx1","secret":"`+DefaultSecret+`"}`), 40013)
	requireErr(t, do(t, s, "POST", "/cgi-bin/stable_token", `{"grant_type":"client_credential","appid":"`+DefaultAppID+`","secret":"x"}`), 40125)
	requireErr(t, do(t, s, "POST", "/cgi-bin/stable_token", `{"grant_type":"client_credential","appid":"`+DefaultAppID+`","secret":"`+DefaultSecret+`","force_refresh":1}`), 47001)

	limited := newSim(t, func(c *Config) { c.Limits.StablePerMinute = 2 })
	for i := 0; i < 2; i++ {
		_, _, a := stable(t, limited, false)
		require.False(t, a.isErr)
	}
	_, _, a := stable(t, limited, false)
	requireErr(t, a, 45009)
	limited.Clock().Advance(time.Minute)
	_, _, a = stable(t, limited, false)
	require.False(t, a.isErr)
}

// Item 25: clear_quota resets daily counters, 10 times a month.
func TestClearQuota(t *testing.T) {
	s := newSim(t, func(c *Config) { c.Limits.TokenPerDay = 1; c.Limits.ClearQuotaPerMonth = 1 })
	tok := classic(t, s)
	q := "/cgi-bin/token?grant_type=client_credential&appid=" + DefaultAppID + "&secret=" + DefaultSecret
	requireErr(t, do(t, s, "GET", q, ""), 45009)
	a := do(t, s, "POST", "/cgi-bin/clear_quota?access_token="+tok, `{"appid":"`+DefaultAppID+`"}`)
	require.False(t, a.isErr, a.errmsg)
	assert.JSONEq(t, `{"errcode":0,"errmsg":"ok"}`, string(a.body))
	classic(t, s)
	requireErr(t, do(t, s, "POST", "/cgi-bin/clear_quota/v2?appid="+DefaultAppID+"&appsecret="+DefaultSecret, ""), 48006)
	requireErr(t, do(t, s, "POST", "/cgi-bin/clear_quota/v2?appid="+DefaultAppID+"&appsecret=bad", ""), 40125)
	requireErr(t, do(t, s, "POST", "/cgi-bin/clear_quota?access_token="+tok, `{"appid":"wx1"}`), 40013)
	s.Clock().Advance(31 * 24 * time.Hour)
	a = do(t, s, "POST", "/cgi-bin/clear_quota/v2?appid="+DefaultAppID+"&appsecret="+DefaultSecret, "")
	require.False(t, a.isErr, a.errmsg)
}

// Item 23: the caller's IPv6 address is reported as such.
func TestWhitelistIPv6(t *testing.T) {
	s := newSim(t, func(c *Config) { c.IPWhitelist = []string{"127.0.0.1"} })
	req := httptest.NewRequest("GET", "/cgi-bin/token?grant_type=client_credential&appid="+DefaultAppID+"&secret="+DefaultSecret, nil)
	req.RemoteAddr = "[2001:db8::1]:5555"
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	assert.Contains(t, rec.Body.String(), "invalid ip 2001:db8::1 ipv6 2001:db8::1, not in whitelist")
	req.RemoteAddr = "[::ffff:127.0.0.1]:5555"
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	assert.Contains(t, rec.Body.String(), `"expires_in":7200`)
}

func TestTokenShape(t *testing.T) {
	for i := 0; i < 20; i++ {
		tok := newToken()
		require.Regexp(t, tokenRE, tok)
		require.True(t, tokenShaped(tok), fmt.Sprint(tok))
	}
}
