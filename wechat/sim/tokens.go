package sim

import (
	crand "crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"
)

// Token lifetimes, as documented.
const (
	tokenLifetime = 7200 * time.Second
	// tokenGrace is how long a superseded classic token keeps working, and how
	// long before its expiry a stable token is rotated.
	tokenGrace = 300 * time.Second
	// forceGap is the least time between two effective force refreshes.
	forceGap = 30 * time.Second
	// tokenGeneration is the "NN_" prefix real tokens carry.
	tokenGeneration = "91"
)

const quotaMsg = "reach max api daily quota limit"

// tokenMsg is 45009 on the token endpoints, with WeChat's advert for stable_token.
const tokenQuotaMsg = quotaMsg + ", could get access_token by getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r"

type tokenKind int

const (
	classicKind tokenKind = iota
	stableKind
)

type tokenInfo struct {
	kind    tokenKind
	issued  time.Time
	expires time.Time
	// superseded: the token's life was cut short by a newer one; past its
	// (cut) expiry it is unknown (40001) rather than expired (42001).
	superseded bool
}

// counter counts calls in one window (a minute, a day, a month).
type counter struct {
	window string
	n      int
}

// add counts one call in window and reports whether it stays within limit
// (limit < 0: no limit). A call over the limit is not counted.
func (c *counter) add(window string, limit int) bool {
	if c.window != window {
		c.window, c.n = window, 0
	}
	if limit >= 0 && c.n >= limit {
		return false
	}
	c.n++
	return true
}

// state is everything the simulator remembers, guarded by Server.mu.
type state struct {
	ridSeq        uint32
	tokens        map[string]*tokenInfo
	classic       string // the newest classic token
	stable        string // the current stable token
	lastForce     time.Time
	forces        counter
	tokenDay      counter
	stableMinute  counter
	stableDay     counter
	unlimitedMin  counter
	pool          map[string]bool // distinct limited+qrcode parameter sets
	poolDay       counter
	unchecked     map[string]bool // unreleased pages requested with check_path false
	clears        counter
	lastTokenMint time.Time
	links         linkRules
}

func newState() state {
	return state{tokens: map[string]*tokenInfo{}, pool: map[string]bool{}, unchecked: map[string]bool{}}
}

// newToken looks like a real access token: "NN_" and 136 base64url characters.
func newToken() string {
	var b [102]byte
	_, _ = crand.Read(b[:])
	return tokenGeneration + "_" + base64.RawURLEncoding.EncodeToString(b[:])
}

// mint records a new token; callers hold s.mu.
func (s *Server) mint(kind tokenKind, now time.Time) string {
	s.prune(now)
	t := newToken()
	s.state.tokens[t] = &tokenInfo{kind: kind, issued: now, expires: now.Add(tokenLifetime)}
	return t
}

// prune forgets tokens that died more than a day ago, so memory stays bounded.
func (s *Server) prune(now time.Time) {
	if now.Sub(s.state.lastTokenMint) < time.Hour {
		s.state.lastTokenMint = now
		return
	}
	s.state.lastTokenMint = now
	for t, info := range s.state.tokens {
		if now.Sub(info.expires) > 24*time.Hour {
			delete(s.state.tokens, t)
		}
	}
}

// credentials are the parameters common to both token endpoints.
type credentials struct {
	grantType, appID, secret      string
	hasGrant, hasAppID, hasSecret bool
}

// checkCredentials applies the token endpoints' checks; stable_token looks at
// appid and secret before grant_type (query-string calls get 41002).
func (s *Server) checkCredentials(x *exchange, c credentials, stable bool) bool {
	grant := func() bool {
		if c.grantType != "client_credential" {
			x.fail(40002, "invalid grant_type")
			return false
		}
		return true
	}
	if !stable && !grant() {
		return false
	}
	switch {
	case !c.hasAppID || c.appID == "":
		x.fail(41002, "appid missing")
		return false
	case !c.hasSecret || c.secret == "":
		x.fail(41004, "appsecret missing")
		return false
	}
	if stable && !grant() {
		return false
	}
	switch {
	case c.appID != s.cfg.AppID:
		x.fail(40013, "invalid appid")
		return false
	case c.secret != s.cfg.Secret:
		x.fail(40125, "invalid appsecret")
		return false
	case s.cfg.SecretFrozen:
		x.fail(40243, "AppSecret已被冻结，请登录小程序平台解冻后再次调用。")
		return false
	}
	return s.checkIP(x)
}

// checkIP enforces the optional API IP whitelist (40164 names the caller's IP).
func (s *Server) checkIP(x *exchange) bool {
	if len(s.ips) == 0 {
		return true
	}
	host, _, err := net.SplitHostPort(x.r.RemoteAddr)
	if err != nil {
		host = x.r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err == nil {
		ip = ip.Unmap()
		for _, rule := range s.ips {
			if rule.Contains(ip) {
				return true
			}
		}
	}
	v6 := host
	if err == nil && ip.Is4() {
		v6 = "::ffff:" + ip.String()
		host = ip.String()
	}
	x.fail(40164, fmt.Sprintf("invalid ip %s ipv6 %s, not in whitelist", host, v6))
	return false
}

type ipRule = netip.Prefix

// parseIPRule reads an IP or a CIDR.
func parseIPRule(s string) (ipRule, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return p, fmt.Errorf("%q is not an IP or CIDR (write 203.0.113.7 or 203.0.113.0/24)", s)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not an IP or CIDR (write 203.0.113.7 or 203.0.113.0/24)", s)
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// classicToken is GET /cgi-bin/token: a new token on every call, the previous
// one kept alive for 300 s more.
func (s *Server) classicToken(x *exchange) {
	q := x.r.URL.Query()
	c := credentials{grantType: q.Get("grant_type"), appID: q.Get("appid"), secret: q.Get("secret"),
		hasGrant: q.Has("grant_type"), hasAppID: q.Has("appid"), hasSecret: q.Has("secret")}
	if !s.checkCredentials(x, c, false) {
		return
	}
	now := s.clock.Now()
	s.mu.Lock()
	if !s.state.tokenDay.add(dayKey(now), s.limits.TokenPerDay) {
		s.mu.Unlock()
		x.fail(45009, tokenQuotaMsg)
		return
	}
	if old := s.state.tokens[s.state.classic]; old != nil {
		if cut := now.Add(tokenGrace); cut.Before(old.expires) {
			old.expires, old.superseded = cut, true
		}
	}
	t := s.mint(classicKind, now)
	s.state.classic = t
	s.mu.Unlock()
	x.ok(map[string]any{"access_token": t, "expires_in": int(tokenLifetime.Seconds())})
}

// stableToken is POST /cgi-bin/stable_token: one token shared by all callers.
func (s *Server) stableToken(x *exchange) {
	if x.r.Method != http.MethodPost {
		x.fail(43002, "require POST method")
		return
	}
	raw, err := readAll(x.r)
	if err != nil {
		x.fail(47001, "data format error")
		return
	}
	obj := map[string]jval{}
	if strings.TrimSpace(string(raw)) != "" {
		if obj, err = parseObject(raw); err != nil {
			x.fail(47001, "data format error")
			return
		}
	}
	str := func(k string) (string, bool) {
		v, ok := obj[k]
		if !ok || v.kind == jNull {
			return "", false
		}
		if v.kind == jString {
			return v.lit, true
		}
		return v.num, true
	}
	var c credentials
	c.grantType, c.hasGrant = str("grant_type")
	c.appID, c.hasAppID = str("appid")
	c.secret, c.hasSecret = str("secret")
	force := false
	if v, ok := obj["force_refresh"]; ok && v.kind != jNull {
		if v.kind != jBool {
			x.fail(47001, "data format error")
			return
		}
		force = v.b
	}
	if !s.checkCredentials(x, c, true) {
		return
	}
	now := s.clock.Now()
	s.mu.Lock()
	st := &s.state
	if !st.stableMinute.add(fmt.Sprint(minuteKey(now)), s.limits.StablePerMinute) ||
		!st.stableDay.add(dayKey(now), s.limits.StablePerDay) {
		s.mu.Unlock()
		x.fail(45009, quotaMsg)
		return
	}
	cur := st.tokens[st.stable]
	switch {
	case force && !st.lastForce.IsZero() && now.Sub(st.lastForce) < forceGap && cur != nil && now.Before(cur.expires):
		// A second force within 30 s changes nothing.
	case force:
		if !st.forces.add(dayKey(now), s.limits.StableForcePerDay) {
			s.mu.Unlock()
			x.fail(45009, quotaMsg)
			return
		}
		if cur != nil && now.Before(cur.expires) {
			cur.expires, cur.superseded = now, true
		}
		st.stable = s.mint(stableKind, now)
		st.lastForce = now
	case cur == nil || cur.expires.Sub(now) <= tokenGrace:
		// Rotate in the last 300 s; the old token lives to its own expiry.
		st.stable = s.mint(stableKind, now)
	}
	info := st.tokens[st.stable]
	token, left := st.stable, int(info.expires.Sub(now)/time.Second)
	s.mu.Unlock()
	x.ok(map[string]any{"access_token": token, "expires_in": left})
}

// checkToken applies the access_token checks of the code endpoints.
func (s *Server) checkToken(x *exchange) bool {
	q := x.r.URL.Query()
	t := q.Get("access_token")
	if t == "" {
		x.fail(41001, "access_token missing")
		return false
	}
	if s.foreign[t] {
		x.fail(48001, "api unauthorized")
		return false
	}
	now := s.clock.Now()
	s.mu.Lock()
	info, ok := s.state.tokens[t]
	var expires time.Time
	var superseded bool
	if ok {
		expires, superseded = info.expires, info.superseded
	}
	s.mu.Unlock()
	switch {
	case !ok && !tokenShaped(t):
		x.fail(40014, "invalid access_token")
		return false
	case !ok, superseded && !now.Before(expires):
		x.fail(40001, "invalid credential, access_token is invalid or not latest")
		return false
	case !now.Before(expires):
		x.fail(42001, "access_token expired")
		return false
	}
	return true
}

// tokenShaped: only base64url characters and underscores. Anything else
// (spaces, %, quotes) is clearly not a token: 40014 rather than 40001.
func tokenShaped(t string) bool {
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// clearQuota is POST /cgi-bin/clear_quota?access_token=…, body {"appid":…}.
func (s *Server) clearQuota(x *exchange) {
	if x.r.Method != http.MethodPost {
		x.fail(43002, "require POST method")
		return
	}
	if !s.checkToken(x) {
		return
	}
	obj, ok := x.body()
	if !ok {
		return
	}
	appid, has := obj["appid"]
	switch {
	case !has || appid.kind != jString || appid.lit == "":
		x.fail(41002, "appid missing")
		return
	case appid.lit != s.cfg.AppID:
		x.fail(40013, "invalid appid")
		return
	}
	s.resetQuota(x)
}

// clearQuotaV2 is POST /cgi-bin/clear_quota/v2 with appid and appsecret (query
// or form): it works when no token can be had.
func (s *Server) clearQuotaV2(x *exchange) {
	if x.r.Method != http.MethodPost {
		x.fail(43002, "require POST method")
		return
	}
	_ = x.r.ParseForm()
	f := x.r.Form
	c := credentials{grantType: "client_credential", appID: f.Get("appid"), secret: f.Get("appsecret"),
		hasAppID: f.Has("appid"), hasSecret: f.Has("appsecret")}
	if !s.checkCredentials(x, c, true) {
		return
	}
	s.resetQuota(x)
}

// resetQuota clears the daily and minute call counts, 10 times a month.
func (s *Server) resetQuota(x *exchange) {
	now := s.clock.Now()
	s.mu.Lock()
	if !s.state.clears.add(monthKey(now), s.limits.ClearQuotaPerMonth) {
		s.mu.Unlock()
		x.fail(48006, "forbid to clear quota because of reaching the limit")
		return
	}
	st := &s.state
	st.tokenDay, st.stableDay, st.stableMinute, st.forces, st.unlimitedMin = counter{}, counter{}, counter{}, counter{}, counter{}
	s.mu.Unlock()
	x.ok(map[string]any{"errcode": 0, "errmsg": "ok"})
}

func readAll(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err == nil && len(b) > maxBody {
		err = fmt.Errorf("body larger than %d bytes", maxBody)
	}
	return b, err
}
