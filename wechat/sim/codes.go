package sim

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"wxacode/wechat"
	"wxacode/wechat/scene"
)

// LaunchHost is the host of the URL an unlimited simulated code decodes to:
// https://sim.wxacode.invalid/<env_version>/<page>?scene=<encodeURIComponent(scene)>.
const LaunchHost = "sim.wxacode.invalid"

// LaunchURL is what scanning a simulated unlimited code yields.
func LaunchURL(env, page, sceneValue string) string {
	enc, err := scene.EncodeURIComponent(sceneValue)
	if err != nil {
		enc = sceneValue
	}
	return "https://" + LaunchHost + "/" + env + "/" + page + "?scene=" + enc
}

const (
	msgScene      = "invalid length for scene, or the data is not json string"
	msgPath       = "invalid length for path, or the data is not json string"
	msgScancode   = "not allow include scancode_time field"
	msgScancodeQR = "page or path not allow include scancode_time field"
)

// present is a key that is there and not null.
func present(obj map[string]jval, k string) (jval, bool) {
	v, ok := obj[k]
	return v, ok && v.kind != jNull
}

// boolField is a boolean option; a value of another type is 47001.
func (x *exchange) boolField(obj map[string]jval, k string, def bool) (bool, bool) {
	v, ok := present(obj, k)
	if !ok {
		return def, true
	}
	if v.kind != jBool {
		x.fail(47001, "data format error")
		return false, false
	}
	return v.b, true
}

// envField checks env_version: absent is release; anything but the three
// names, the empty string included, is 40097.
func (x *exchange) envField(obj map[string]jval) (string, bool) {
	v, ok := present(obj, "env_version")
	if !ok {
		return "release", true
	}
	if v.kind == jString {
		switch v.lit {
		case "release", "trial", "develop":
			return v.lit, true
		}
	}
	x.fail(40097, "invalid args")
	return "", false
}

// envAndHyaline checks env_version then is_hyaline, in WeChat's order for
// both wxacode endpoints.
func (x *exchange) envAndHyaline(obj map[string]jval) (env string, hyaline, ok bool) {
	if env, ok = x.envField(obj); !ok {
		return "", false, false
	}
	hyaline, ok = x.boolField(obj, "is_hyaline", false)
	return env, hyaline, ok
}

// widthAndColor checks width then line_color, in WeChat's order.
func (x *exchange) widthAndColor(obj map[string]jval) (width int, color wechat.Color, ok bool) {
	if width, ok = x.widthField(obj); !ok {
		return 0, wechat.Color{}, false
	}
	color, ok = x.colorField(obj)
	return width, color, ok
}

// numberOf reads a number or a numeric string (SDKs send both).
func numberOf(v jval) (float64, bool) {
	s := v.num
	if v.kind == jString {
		s = strings.TrimSpace(v.lit)
	} else if v.kind != jNumber {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil && !math.IsInf(f, 0) && !math.IsNaN(f)
}

// widthField: default 430, clamped to 280–1280 (a smaller width does not make a smaller code).
func (x *exchange) widthField(obj map[string]jval) (int, bool) {
	v, ok := present(obj, "width")
	if !ok {
		return wechat.DefaultWidth, true
	}
	f, ok := numberOf(v)
	if !ok {
		x.fail(47001, "data format error")
		return 0, false
	}
	return int(math.Max(wechat.MinWidth, math.Min(wechat.MaxWidth, f))), true
}

// colorField: auto_color picks the theme colour; else line_color, black by default.
func (x *exchange) colorField(obj map[string]jval) (wechat.Color, bool) {
	auto, ok := x.boolField(obj, "auto_color", false)
	if !ok {
		return wechat.Color{}, false
	}
	v, has := present(obj, "line_color")
	var c wechat.Color
	if has {
		if v.kind != jObject {
			x.fail(47001, "data format error")
			return c, false
		}
		for _, comp := range []struct {
			k   string
			dst *int
		}{{"r", &c.R}, {"g", &c.G}, {"b", &c.B}} {
			cv, ok := present(v.obj, comp.k)
			if !ok {
				continue
			}
			f, ok := numberOf(cv)
			if !ok {
				x.fail(47001, "data format error")
				return c, false
			}
			*comp.dst = int(math.Max(0, math.Min(255, f)))
		}
	}
	if auto {
		return x.s.auto, true
	}
	return c, true
}

// unlimited is getwxacodeunlimit, its checks in WeChat's order.
func (s *Server) unlimited(x *exchange, obj map[string]jval) {
	// Every authenticated call counts toward the minute, failed or not.
	now := s.clock.Now()
	s.mu.Lock()
	withinMinute := s.state.unlimitedMin.add(fmt.Sprint(minuteKey(now)), s.limits.UnlimitedPerMinute)
	s.mu.Unlock()

	var sc string
	v, ok := present(obj, "scene")
	switch {
	case !ok:
	case v.kind == jString:
		sc = v.lit
	case v.kind == jNumber:
		// A number goes through a double: long ids lose digits.
		if f, err := strconv.ParseFloat(v.num, 64); err == nil {
			sc = strconv.FormatFloat(f, 'f', -1, 64)
		}
	}
	if n := runeLen(sc); n == 0 || n > wechat.MaxSceneLen {
		x.fail(40169, msgScene)
		return
	}
	for _, r := range sc {
		if !wechat.IsSceneChar(r) {
			x.fail(40129, "invalid scene")
			return
		}
	}
	env, hyaline, ok := x.envAndHyaline(obj)
	if !ok {
		return
	}
	checkPath, ok := x.boolField(obj, "check_path", true)
	if !ok {
		return
	}
	if _, ok := x.boolField(obj, "auto_color", false); !ok {
		return
	}
	var page string
	if pv, ok := present(obj, "page"); ok {
		if pv.kind != jString {
			x.fail(47001, "data format error")
			return
		}
		page = pv.dropped
	}
	if strings.Contains(page, wechat.ReservedQueryName) {
		x.fail(85096, msgScancode)
		return
	}
	if strings.HasPrefix(page, "/") || strings.Contains(page, "?") {
		x.fail(41030, "invalid page")
		return
	}
	unchecked := false
	if checkPath {
		// env_version does not relax this: develop and trial pages must be released too.
		if s.cfg.Unpublished || page != "" && !s.released[page] {
			x.fail(41030, "invalid page")
			return
		}
	} else if page != "" && !s.released[page] {
		unchecked = true
		s.mu.Lock()
		full := !s.state.unchecked[page] && s.limits.UncheckedPages >= 0 && len(s.state.unchecked) >= s.limits.UncheckedPages
		s.mu.Unlock()
		if full {
			// Undocumented on WeChat; the simulator reports the page as invalid.
			x.fail(41030, "invalid page")
			return
		}
	}
	if !withinMinute {
		x.fail(45009, quotaMsg)
		return
	}
	width, color, ok := x.widthAndColor(obj)
	if !ok {
		return
	}
	if page == "" {
		page = s.home
	}
	content := LaunchURL(env, page, sc)
	img, warn, err := s.draw(codeSpec{content: content, width: width, color: color, hyaline: hyaline})
	if err != nil {
		x.fail(-1, "system error")
		return
	}
	if unchecked {
		s.mu.Lock()
		s.state.unchecked[page] = true
		s.mu.Unlock()
	}
	x.image(img, "_"+sc, content, warnHeader(warn))
}

// pathField reads the path of getwxacode and createwxaqrcode. WeChat drops
// the backslash of a \uXXXX escape here, so "\u0026" is stored as "u0026".
func (x *exchange) pathField(obj map[string]jval, max int, scancodeMsg string) (string, bool) {
	v, ok := present(obj, "path")
	if !ok || v.kind != jString || v.dropped == "" || len(v.dropped) > max {
		x.fail(40159, msgPath)
		return "", false
	}
	if strings.Contains(v.dropped, wechat.ReservedQueryName) {
		x.fail(85096, scancodeMsg)
		return "", false
	}
	return v.dropped, true
}

// limited is getwxacode.
func (s *Server) limited(x *exchange, obj map[string]jval) {
	max := wechat.MaxLimitedPath
	if s.cfg.LegacyPathLimit {
		max = wechat.MaxLegacyPath
	}
	path, ok := x.pathField(obj, max, msgScancode)
	if !ok {
		return
	}
	env, hyaline, ok := x.envAndHyaline(obj)
	if !ok {
		return
	}
	width, color, ok := x.widthAndColor(obj)
	if !ok {
		return
	}
	key := fmt.Sprintf("limited\x00%s\x00%s\x00%d\x00%s\x00%t", path, env, width, color.Hex(), hyaline)
	s.pooled(x, key, codeSpec{content: path, width: width, color: color, hyaline: hyaline})
}

// qrcode is createwxaqrcode: a plain square QR; colours do not apply.
func (s *Server) qrcode(x *exchange, obj map[string]jval) {
	path, ok := x.pathField(obj, wechat.MaxLegacyPath, msgScancodeQR)
	if !ok {
		return
	}
	width, ok := x.widthField(obj)
	if !ok {
		return
	}
	key := fmt.Sprintf("qrcode\x00%s\x00%d", path, width)
	s.pooled(x, key, codeSpec{content: path, width: width, square: true})
}

// pooled serves a code from the 100,000 lifetime pool shared by getwxacode and
// createwxaqrcode: repeats are free, new parameters count, 10,000 new a day.
func (s *Server) pooled(x *exchange, key string, spec codeSpec) {
	now := s.clock.Now()
	s.mu.Lock()
	st := &s.state
	added := false
	if !st.pool[key] {
		if s.limits.PoolLifetime >= 0 && len(st.pool) >= s.limits.PoolLifetime {
			s.mu.Unlock()
			x.fail(45029, "qrcode count out of limit")
			return
		}
		if !st.poolDay.add(dayKey(now), s.limits.PoolNewPerDay) {
			s.mu.Unlock()
			x.fail(45009, quotaMsg)
			return
		}
		st.pool[key], added = true, true
	}
	used := len(st.pool)
	s.mu.Unlock()
	img, warn, err := s.draw(spec)
	if err != nil {
		if added {
			s.mu.Lock()
			delete(st.pool, key)
			s.mu.Unlock()
		}
		x.fail(-1, "system error")
		return
	}
	h := warnHeader(warn)
	h.Set("Num-Used", strconv.Itoa(used))
	x.image(img, "_"+spec.content, spec.content, h)
}

// WarningHeader carries the simulator's remarks about a code it drew (low
// contrast, modules too small to scan); WeChat sends no such header.
const WarningHeader = "X-Sim-Warning"

func warnHeader(warn string) http.Header {
	h := http.Header{}
	if warn != "" {
		h.Set(WarningHeader, warn)
	}
	return h
}

// draw is the code image for spec: Config.CodeImageBytes when set (a real
// code, the same for every request), else one drawn for it.
func (s *Server) draw(spec codeSpec) ([]byte, string, error) {
	if b := s.cfg.CodeImageBytes; len(b) > 0 {
		return b, "", nil
	}
	return render(spec)
}
